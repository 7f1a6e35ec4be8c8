import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Assessments, their rubrics and the assessors' checked scores, and the live preview. Publication
/// and appeals are in `AssessmentStore+Publication` and `+Appeals`; organizations' own scores (自评,
/// 对标定级) in `+SelfAssessment`.
public enum AssessmentStore {
    /// Starts the assessment of `scopeCode`'s units for a year, from the standard rubric.
    /// `scope` is where the actor may assess.
    public static func create(campaignID: Int, scopeCode: String, year: Int, asOf: CalendarDay, title: String?, scope: Scope,
                              by actor: Actor, on database: any Database) async throws -> Assessment {
        guard (2000...2199).contains(year) else { throw Refusal("考评年度：应为 2000 到 2199 之间的年份（现为 \(year)）", field: "year") }
        guard CalendarDay.plausible.contains(asOf) else { throw Refusal("考评日期：\(asOf) 不在 1900 到 2199 年之间", field: "asOf") }
        return try await writeTransaction(on: database) { db in
            guard let campaign = try await CampaignStore.find(campaignID, on: db) else { throw Refusal.notFound("找不到编号为 \(campaignID) 的建设活动") }
            guard let division = try await DivisionQueries.find(scopeCode, on: db), scope.contains(division.path) else {
                throw Refusal.notFound("找不到代码为「\(scopeCode)」的行政区划")
            }
            guard [.city, .county, .township].contains(division.level) else {
                throw Refusal("考评单位：「\(division.name)」是\(division.level.label)；年度考评由市考评县、县考评乡镇，乡镇为团组织对标定级",
                              field: "scopeCode")
            }
            let forOrganizations = division.level == .township
            guard campaign.region.contains(division.path) else {
                throw Refusal("考评单位：「\(division.name)」不在活动「\(campaign.name)」的地区内", field: "scopeCode")
            }
            let existing = try await db.sql.select().column("id").from("assessments").where("campaign_id", .equal, campaignID)
                .where("scope_code", .equal, scopeCode).where("year", .equal, year).first()
            if let existing {
                throw Refusal("「\(division.name)」\(year) 年度考评已建立（第 \(try existing.decode(column: "id", as: Int.self)) 号考评），不能重复建立",
                              kind: .conflict)
            }
            let title = title?.nilIfBlank?.trimmingCharacters(in: .whitespacesAndNewlines)
                ?? (forOrganizations ? "\(division.name)\(year)年度团组织对标定级" : "\(division.name)\(year)年度乡镇“大团委”建设工作考评")
            guard title.count <= 100 else { throw Refusal("标题：不能超过 100 字（现有 \(title.count) 字）", field: "title") }
            let now = Date()
            let id = try await db.sql.insert(into: "assessments")
                .columns("campaign_id", "scope_code", "scope_path", "year", "title", "as_of", "rubric", "rubric_version", "created_by",
                         "created_at", "updated_by", "updated_at")
                .values(SQLBind(campaignID), SQLBind(division.code), SQLBind(division.path), SQLBind(year), SQLBind(title),
                        SQLBind(asOf.description), SQLBind(try json(forOrganizations ? AssessmentRubric.organizationStandard : .standard)), SQLBind(1), SQLBind(actor.name), SQLBind(now),
                        SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("assessment.create", entityType: "assessment", entityID: String(id), divisionPath: division.path,
                                      before: nil, after: ["标题": title, "年度": String(year), "考评日期": asOf.description], by: actor, on: db)
            return try await find(id, in: .everywhere, on: db)
        }
    }

    /// Saves a rubric; refused with every problem named when it does not add up, when someone saved
    /// since `expectedVersion` was read, or once a result is published.
    public static func saveRubric(_ id: Int, _ rubric: AssessmentRubric, expectedVersion: Int, scope: Scope, by actor: Actor,
                                  on database: any Database) async throws -> Assessment {
        return try await writeTransaction(on: database) { db in
            let current = try await findAssessing(id, in: scope, on: db)
            let problems = rubric.problems(forOrganizations: current.isOrganizationLevel)
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            try await refuseIfPublished(current, on: db)
            guard current.rubricVersion == expectedVersion else {
                throw Refusal("考评方案已由\(current.updatedBy)于此后修改，请重新打开页面后再改", kind: .conflict)
            }
            let checkedKeys = Set(rubric.indicators.filter { $0.kind == .checked }.map(\.key))
            try await db.sql.update("assessments").set("rubric", to: SQLBind(try json(rubric))).set("rubric_version", to: SQLBind(expectedVersion + 1))
                .set("updated_by", to: SQLBind(actor.name)).set("updated_at", to: SQLBind(Date())).where("id", .equal, id).run()
            // Scores of items that are no longer checked items would count nowhere: they go.
            let stale = try await checkedScores(id, on: db).filter { !checkedKeys.contains($0.indicatorKey) }
            for score in stale {
                try await db.sql.delete(from: "assessment_checked_scores").where("assessment_id", .equal, id)
                    .where("unit_code", .equal, score.unitCode).where("indicator_key", .equal, score.indicatorKey).run()
            }
            try await AuditLog.record("assessment.rubric", entityType: "assessment", entityID: String(id), divisionPath: current.scopePath,
                                      before: ["考评方案": try json(current.rubric)], after: ["考评方案": try json(rubric)], by: actor, on: db)
            return try await find(id, in: .everywhere, on: db)
        }
    }

    public struct StoredCheckedScore: Sendable {
        public var unitCode: String
        public var indicatorKey: String
        public var score: CheckedScore
        public var scoredAt: Date
    }

    /// Records an assessor's score of a checked item for one unit (again to correct it; the audit trail keeps the earlier one),
    /// with evidence files if any (up to `maximumBytes` each).
    public static func scoreChecked(_ id: Int, unit unitCode: String, indicator key: String, points: String, note: String,
                                    evidence files: [UploadedFile] = [], maximumBytes: Int = 0, scope: Scope,
                                    by actor: Actor, on database: any Database) async throws {
        let files = try checkedEvidence(files, maximumBytes: maximumBytes)
        try await writeTransaction(on: database) { db in
            let assessment = try await findAssessing(id, in: scope, on: db)
            try await refuseIfPublished(assessment, on: db)
            let unit = try await assessedUnit(unitCode, of: assessment, on: db)
            guard let indicator = assessment.rubric.indicator(key) else { throw Refusal("指标：考评方案中没有编号为「\(key)」的指标", field: "indicator") }
            if assessment.isOrganizationLevel, indicator.kind == .checked {
                guard let enteredBy = try await ScoreTable.own.enteredBy(assessment: id, unit: unitCode, indicator: key, on: db) else {
                    throw Refusal("「\(unit.name)」尚未自评「\(indicator.name)」：对标定级先由团组织自评，再审核", kind: .conflict)
                }
                guard enteredBy != actor.userID ?? actor.name else {
                    throw Refusal("「\(unit.name)」的「\(indicator.name)」自评是您本人录入的，须由另一位考评人员审核（双人把关）", kind: .conflict)
                }
            }
            let score: CheckedScore
            do { score = try CheckedScore.validated(points, note: note, for: indicator, by: actor.name) } catch let problem as InvalidInput {
                throw Refusal("\(unit.name)\(problem.message)", field: "points")
            }
            let before = try await checkedScores(id, on: db).first { $0.unitCode == unitCode && $0.indicatorKey == key }
            try await ScoreTable.checked.save(score, assessment: id, unit: unitCode, indicator: key, by: actor, on: db)
            let stored = try await storeEvidence(files, assessment: id, unit: unitCode, indicator: key, by: actor, on: db)
            var after = ["单位": unit.name, "指标": indicator.name, "得分": score.points.description, "说明": score.note]
            if !stored.isEmpty { after["佐证材料"] = stored.joined(separator: "、") }
            try await AuditLog.record("assessment.score", entityType: "assessment", entityID: String(id), divisionPath: unit.path,
                                      before: before.map { ["得分": $0.score.points.description, "说明": $0.score.note] }, after: after,
                                      by: actor, on: db)
        }
    }

    public static func checkedScores(_ id: Int, on db: any Database) async throws -> [StoredCheckedScore] {
        try await ScoreTable.checked.scores(assessment: id, on: db)
    }

    /// Where scores of checked items are kept: the assessors' (评分、审核) and organizations' own (自评).
    struct ScoreTable {
        var name: String
        var byColumn: String
        var atColumn: String

        /// The account that entered the score (its user ID, or a command's name), where the table keeps it (organizations' own scores).
        var byIDColumn: String?

        static let checked = ScoreTable(name: "assessment_checked_scores", byColumn: "scored_by", atColumn: "scored_at")
        static let own = ScoreTable(name: "assessment_self_scores", byColumn: "entered_by", atColumn: "entered_at", byIDColumn: "entered_by_id")

        /// Records a score, replacing the unit's earlier one of the same item.
        func save(_ score: CheckedScore, assessment id: Int, unit: String, indicator key: String, by actor: Actor, on db: any Database) async throws {
            let extra = byIDColumn.map { [$0] } ?? []
            try await db.sql.insert(into: name)
                .columns(["assessment_id", "unit_code", "indicator_key", "points", "note", byColumn, atColumn] + extra)
                .values([SQLBind(id), SQLBind(unit), SQLBind(key), SQLBind(score.points.hundredths), SQLBind(score.note), SQLBind(score.scoredBy),
                         SQLBind(Date())] + extra.map { _ in SQLBind(actor.userID ?? actor.name) })
                .onConflict(with: ["assessment_id", "unit_code", "indicator_key"]) { update in
                    var update = update.set(excludedValueOf: "points").set(excludedValueOf: "note").set(excludedValueOf: byColumn)
                        .set(excludedValueOf: atColumn)
                    for column in extra { update = update.set(excludedValueOf: column) }
                    return update
                }.run()
        }

        /// Who entered the unit's score of the item (the account), where the table keeps it.
        func enteredBy(assessment id: Int, unit: String, indicator key: String, on db: any Database) async throws -> String? {
            guard let byIDColumn else { return nil }
            return try await db.sql.select().column(byIDColumn).from(name).where("assessment_id", .equal, id).where("unit_code", .equal, unit)
                .where("indicator_key", .equal, key).first(decodingColumn: byIDColumn, as: String.self)
        }

        func scores(assessment id: Int, on db: any Database) async throws -> [StoredCheckedScore] {
            try await ResultRows.all(db.sql.select().columns("unit_code", "indicator_key", "points", "note", byColumn, atColumn)
                .from(name).where("assessment_id", .equal, id).orderBy("unit_code").orderBy("indicator_key").query, on: db) { row in
                StoredCheckedScore(unitCode: try row.string("unit_code"), indicatorKey: try row.string("indicator_key"),
                                   score: CheckedScore(points: AssessmentPoints(hundredths: try row.int("points")), note: try row.string("note"),
                                                       scoredBy: try row.string(byColumn)),
                                   scoredAt: try row.date(atColumn))
            }
        }
    }

    /// The units with their figures as of the assessment date and the checked scores entered so far.
    public static func units(_ assessment: Assessment, on db: any Database) async throws -> [AssessmentUnit] {
        var units: [AssessmentUnit]
        if assessment.isOrganizationLevel {
            units = try await AssessmentFacts.organizations(inside: assessment.scopePath, asOf: assessment.asOf, on: db)
        } else {
            let campaign = try await CampaignStore.require(assessment.campaignID, on: db)
            guard let scope = try await CampaignStore.area(assessment.scopeCode, on: db) else { throw Refusal.divisionNotFound(assessment.scopeCode) }
            units = try await AssessmentFacts.units(campaign, scope: scope, asOf: assessment.asOf, on: db)
        }
        let scores = Dictionary(grouping: try await checkedScores(assessment.id, on: db), by: \.unitCode)
        let own = assessment.isOrganizationLevel ? Dictionary(grouping: try await selfScores(assessment.id, on: db), by: \.unitCode) : [:]
        let files = Dictionary(grouping: try await evidence(assessment.id, on: db), by: \.unitCode)
        for index in units.indices {
            for stored in scores[units[index].code] ?? [] { units[index].checked[stored.indicatorKey] = stored.score }
            for stored in own[units[index].code] ?? [] { units[index].selfAssessed[stored.indicatorKey] = stored.score }
            for file in files[units[index].code] ?? [] { units[index].evidence[file.indicatorKey, default: []].append(file.fileName) }
        }
        return units
    }

    /// The result as it would be published now, computed from the live data.
    public static func preview(_ assessment: Assessment, on db: any Database) async throws -> AssessmentOutcome {
        AssessmentScoring.assess(try await units(assessment, on: db), rubric: assessment.rubric, asOf: assessment.asOf)
    }

    /// What the assessment shows now: the latest published version's frozen outcome, else the live preview.
    public static func current(_ assessment: Assessment, on db: any Database) async throws -> (latest: AssessmentResult?, outcome: AssessmentOutcome) {
        if let latest = try await results(assessment.id, on: db).last { return (latest, latest.content.outcome) }
        return (nil, try await preview(assessment, on: db))
    }

    static func refuseIfPublished(_ assessment: Assessment, on db: any Database) async throws {
        if let result = try await results(assessment.id, on: db).last {
            throw Refusal("考评结果已于 \(result.content.publishedOn) 发布（第 \(result.number) 号），方案和评分不能再改；如有异议请走申诉", kind: .conflict)
        }
    }

    // MARK: - Reading

    static let columns = ["id", "campaign_id", "scope_code", "scope_path", "year", "title", "as_of", "rubric", "rubric_version", "created_by",
                          "created_at", "updated_by", "updated_at"]

    struct Row: Decodable {
        var id: Int
        var campaign_id: Int
        var scope_code: String
        var scope_path: String
        var year: Int
        var title: String
        var as_of: String
        var rubric: String
        var rubric_version: Int
        var created_by: String
        var created_at: Date
        var updated_by: String
        var updated_at: Date

        func assessment(names: [String: String]) throws -> Assessment {
            Assessment(id: id, campaignID: campaign_id, scopeCode: scope_code, scopePath: scope_path, scopeName: names[scope_code] ?? scope_code,
                       year: year, title: title, asOf: CalendarDay(iso: as_of) ?? CalendarDay(year: year, month: 12, day: 31)!,
                       rubric: try JSONDecoder().decode(AssessmentRubric.self, from: Data(rubric.utf8)), rubricVersion: rubric_version,
                       createdBy: created_by, createdAt: created_at, updatedBy: updated_by, updatedAt: updated_at)
        }
    }

    /// Assessments made by divisions inside `scope` or above it (a county sees the city's assessment of it), newest year first.
    public static func list(visibleIn scope: Scope, on db: any Database) async throws -> [Assessment] {
        let rows = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("assessments")
            .orderBy("year", .descending).orderBy("id").all(decoding: Row.self)
            .filter { scope.overlaps($0.scope_path) }
        let names = try await scopeNames(rows.map(\.scope_code), on: db)
        return try rows.map { try $0.assessment(names: names) }
    }

    /// One assessment whose assessing division `scope` overlaps (inside it, or above part of it); else not found.
    public static func find(_ id: Int, in scope: Scope, on db: any Database) async throws -> Assessment {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("assessments").where("id", .equal, id)
            .first(decoding: Row.self), scope.overlaps(row.scope_path) else {
            throw Refusal.notFound("找不到第 \(id) 号考评")
        }
        return try row.assessment(names: try await scopeNames([row.scope_code], on: db))
    }

    /// One assessment for its assessors: `scope` (where the actor may assess) must hold the assessing division;
    /// a unit's own administrator sees the assessment but is refused here.
    public static func findAssessing(_ id: Int, in scope: Scope, on db: any Database) async throws -> Assessment {
        let assessment = try await find(id, in: scope, on: db)
        guard scope.contains(assessment.scopePath) else {
            throw Refusal("您不能修改「\(assessment.scopeName)」的考评：考评方案、评分和发布由\(assessment.scopeName)的管理员进行", kind: .forbidden)
        }
        return assessment
    }

    static func scopeNames(_ codes: [String], on db: any Database) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await db.sql.select().columns("code", "name").from("divisions").where("code", .in, Array(Set(codes))).all()
        return Dictionary(try rows.map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) },
                          uniquingKeysWith: { $1 })
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
    }
}
