import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// 对标定级 in a township: each organization scores itself (自评) on the checked items — entered by the
/// township for it, by whoever keeps the township's ledger — and the assessors review (审核) each item
/// after it; the reviewed score counts, the self-assessment stands beside it on every page.
extension AssessmentStore {
    /// An assessed unit's name and division path: a child division of the assessing one, or in a
    /// township's rating one of its organizations. Refused by name otherwise.
    static func assessedUnit(_ code: String, of assessment: Assessment, on db: any Database) async throws -> (name: String, path: String) {
        if assessment.isOrganizationLevel {
            struct Row: Decodable { var name: String; var division_path: String }
            guard let row = try await db.sql.select().columns("name", "division_path").from("organizations").where("code", .equal, code)
                .first(decoding: Row.self), DivisionPath(assessment.scopePath).contains(row.division_path) else {
                throw Refusal("考评对象：「\(code)」不是\(assessment.scopeName)的团组织", field: "unit")
            }
            return (row.name, row.division_path)
        }
        guard let unit = try await DivisionQueries.find(code, on: db), unit.parentCode == assessment.scopeCode else {
            throw Refusal("考评对象：「\(code)」不是\(assessment.scopeName)下属的\(assessment.unitLabel)", field: "unit")
        }
        return (unit.name, unit.path)
    }

    /// Where a unit of the assessment is now (an organization's division path, or a division's path), wherever it moved; nil when gone.
    static func unitPath(_ code: String, of assessment: Assessment, on db: any Database) async throws -> String? {
        if assessment.isOrganizationLevel {
            return try await db.sql.select().column("division_path").from("organizations").where("code", .equal, code)
                .first(decodingColumn: "division_path", as: String.self)
        }
        return try await DivisionQueries.find(code, on: db)?.path
    }

    /// Records an organization's own score of a checked item (again to correct it, until the result is
    /// published). `scope` is where the actor keeps ledgers: it must hold the organization.
    public static func selfAssess(_ id: Int, unit unitCode: String, indicator key: String, points: String, note: String,
                                  evidence files: [UploadedFile] = [], maximumBytes: Int = 0, scope: Scope,
                                  by actor: Actor, on database: any Database) async throws {
        let files = try checkedEvidence(files, maximumBytes: maximumBytes)
        try await writeTransaction(on: database) { db in
            let assessment = try await find(id, in: scope, on: db)
            guard assessment.isOrganizationLevel else {
                throw Refusal("自评只用于乡镇的团组织对标定级；「\(assessment.title)」由\(assessment.scopeName)直接评分", kind: .conflict)
            }
            try await refuseIfPublished(assessment, on: db)
            let unit = try await assessedUnit(unitCode, of: assessment, on: db)
            guard scope.contains(unit.path) else { throw Refusal.organizationNotFound(unitCode) }
            guard let indicator = assessment.rubric.indicator(key) else { throw Refusal("指标：考评方案中没有编号为「\(key)」的指标", field: "indicator") }
            let score: CheckedScore
            do { score = try CheckedScore.validated(points, note: note, for: indicator, by: actor.name, stage: "自评") } catch let problem as InvalidInput {
                throw Refusal("\(unit.name)\(problem.message)", field: "points")
            }
            // A reviewed item keeps the own score its review saw.
            if let review = try await checkedScores(id, on: db).first(where: { $0.unitCode == unitCode && $0.indicatorKey == key }) {
                throw Refusal("「\(unit.name)」的「\(indicator.name)」已由\(review.score.scoredBy)审核，自评不能再改",
                              kind: .conflict)
            }
            let before = try await selfScores(id, on: db).first { $0.unitCode == unitCode && $0.indicatorKey == key }
            try await ScoreTable.own.save(score, assessment: id, unit: unitCode, indicator: key, by: actor, on: db)
            let stored = try await storeEvidence(files, assessment: id, unit: unitCode, indicator: key, by: actor, on: db)
            var after = ["团组织": unit.name, "指标": indicator.name, "自评得分": score.points.description, "自评说明": score.note]
            if !stored.isEmpty { after["佐证材料"] = stored.joined(separator: "、") }
            try await AuditLog.record("assessment.self_score", entityType: "assessment", entityID: String(id), divisionPath: unit.path,
                                      before: before.map { ["自评得分": $0.score.points.description, "自评说明": $0.score.note] }, after: after,
                                      by: actor, on: db)
        }
    }

    /// The organizations' own scores entered so far.
    public static func selfScores(_ id: Int, on db: any Database) async throws -> [StoredCheckedScore] {
        try await ScoreTable.own.scores(assessment: id, on: db)
    }
}
