import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Publishing a result (numbered per assessing division and year, its content frozen) and
/// republishing it as a new version once appeals have changed items.
extension AssessmentStore {
    /// Publishes the preview as 第N号: refused a second time, and while a checked item has no score.
    @discardableResult
    public static func publish(_ id: Int, issuingBody: String? = nil, scope: Scope, today: CalendarDay = .today(), by actor: Actor,
                               on database: any Database) async throws -> AssessmentResult {
        try await writeTransaction(on: database) { db in
            let assessment = try await findAssessing(id, in: scope, on: db)
            if let published = try await results(id, on: db).last {
                throw Refusal("考评结果已发布（第 \(published.number) 号，第 \(published.version) 版），不能重复发布；结果如需改动，须经申诉改定后重新发布",
                              kind: .conflict)
            }
            let outcome = try await preview(assessment, on: db)
            let unscored = outcome.unscored
            guard unscored.isEmpty else {
                throw Refusal("尚有 \(unscored.count) 项检查类指标未评分，不能发布：\(unscored.prefix(5).joined(separator: "、"))\(unscored.count > 5 ? "等" : "")",
                              kind: .conflict)
            }
            guard outcome.eligibleCount > 0 else { throw Refusal("没有参评单位，不能发布", kind: .conflict) }
            let campaign = try await CampaignStore.require(assessment.campaignID, on: db)
            let number = try await nextNumber(assessment, on: db)
            let content = AssessmentResultContent(
                title: assessment.title, issuingBody: issuingBody?.nilIfBlank ?? "共青团\(assessment.scopeName)委员会",
                scopeName: assessment.scopeName, unitLabel: assessment.unitLabel, campaignName: campaign.name, year: assessment.year,
                asOf: assessment.asOf, publishedOn: today, number: number, version: 1, rubric: assessment.rubric, outcome: outcome, changes: [])
            let result = try await insert(assessment, content, by: actor, on: db)
            try await AuditLog.record("assessment.publish", entityType: "assessment", entityID: String(id), divisionPath: assessment.scopePath,
                                      before: nil, after: ["标题": assessment.title, "编号": "第\(number)号", "参评单位": String(outcome.eligibleCount),
                                                           "五星级": String(outcome.count(.five)), "降级": String(outcome.demoted.count)],
                                      by: actor, on: db)
            return result
        }
    }

    /// Publishes the next version of a result with every accepted appeal applied to the frozen
    /// figures (nothing is recomputed from today's data) and the grades rated again; the changes are listed.
    @discardableResult
    public static func republish(_ id: Int, scope: Scope, today: CalendarDay = .today(), by actor: Actor,
                                 on database: any Database) async throws -> AssessmentResult {
        try await writeTransaction(on: database) { db in
            let assessment = try await findAssessing(id, in: scope, on: db)
            guard let latest = try await results(id, on: db).last else { throw Refusal("考评结果尚未发布，请先发布", kind: .conflict) }
            let pending = try await appeals(id, on: db).filter(\.awaitsRepublication)
            guard !pending.isEmpty else { throw Refusal("没有已改定、待重新发布的申诉，无需重新发布", kind: .conflict) }
            var units = latest.content.outcome.units
            for appeal in pending {
                guard let index = units.firstIndex(where: { $0.code == appeal.unitCode }), let points = appeal.newPoints else { continue }
                units[index] = AssessmentScoring.adjusting(units[index], line: appeal.indicatorKey, to: points, note: appeal.decisionNote ?? "")
            }
            let outcome = StarQuotaRating.rate(units, rubric: latest.content.rubric)
            var content = latest.content
            content.version = latest.version + 1
            content.publishedOn = today
            content.outcome = outcome
            content.changes = changes(from: latest.content.outcome, to: outcome, appeals: pending, rubric: latest.content.rubric)
            let result = try await insert(assessment, content, by: actor, on: db)
            for appeal in pending {
                try await db.sql.update("assessment_appeals").set("applied_in_version", to: SQLBind(content.version)).where("id", .equal, appeal.id).run()
            }
            try await AuditLog.record("assessment.republish", entityType: "assessment", entityID: String(id), divisionPath: assessment.scopePath,
                                      before: ["版本": "第\(latest.version)版"], after: ["版本": "第\(content.version)版", "变化": content.changes.joined(separator: "；")],
                                      by: actor, on: db)
            return result
        }
    }

    /// One sentence per changed item, total, grade or place.
    static func changes(from old: AssessmentOutcome, to new: AssessmentOutcome, appeals: [AssessmentAppeal], rubric: AssessmentRubric) -> [String] {
        var sentences: [String] = []
        for appeal in appeals {
            guard let unit = new.units.first(where: { $0.code == appeal.unitCode }), let line = unit.line(appeal.indicatorKey) else { continue }
            sentences.append("\(unit.name)「\(line.name)」经申诉由 \(line.adjustedFrom ?? line.points) 分改为 \(line.points) 分（第 \(appeal.id) 号申诉）")
        }
        for unit in new.units {
            guard let before = old.units.first(where: { $0.code == unit.code }) else { continue }
            if before.total != unit.total { sentences.append("\(unit.name)总分由 \(before.total) 分变为 \(unit.total) 分") }
            if before.grade != unit.grade { sentences.append("\(unit.name)由\(before.grade.label)变为\(unit.grade.label)") }
            if before.position != unit.position, let from = before.position, let to = unit.position {
                sentences.append("\(unit.name)名次由第 \(from) 名变为第 \(to) 名")
            }
        }
        return sentences
    }

    static func insert(_ assessment: Assessment, _ content: AssessmentResultContent, by actor: Actor, on db: any Database) async throws -> AssessmentResult {
        let now = Date()
        let appealUntil = content.publishedOn.adding(days: content.rubric.appealDays)
        let id = try await db.sql.insert(into: "assessment_results")
            .columns("assessment_id", "number", "version", "content", "published_by", "published_at", "appeal_until")
            .values(SQLBind(assessment.id), SQLBind(content.number), SQLBind(content.version), SQLBind(try json(content)), SQLBind(actor.name),
                    SQLBind(now), SQLBind(appealUntil.description))
            .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
        return AssessmentResult(id: id, assessmentID: assessment.id, number: content.number, version: content.version, content: content,
                                publishedBy: actor.name, publishedAt: now, appealUntil: appealUntil)
    }

    /// 第N号: the next number among the results published by the same division for the same year.
    static func nextNumber(_ assessment: Assessment, on db: any Database) async throws -> Int {
        let row = try await db.sql.select().column(SQLFunction("MAX", args: SQLColumn("number", table: "r")), as: "last")
            .from(SQLAlias(SQLIdentifier("assessment_results"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("assessments"), as: SQLIdentifier("a")), on: SQLColumn("id", table: "a"), .equal, SQLColumn("assessment_id", table: "r"))
            .where(SQLColumn("scope_code", table: "a"), .equal, SQLBind(assessment.scopeCode))
            .where(SQLColumn("year", table: "a"), .equal, SQLBind(assessment.year)).first()
        let last = try row?.decodeNil(column: "last") == false ? try row?.decode(column: "last", as: Int.self) : nil
        return (last ?? 0) + 1
    }

    /// Every published version of an assessment's result, oldest first.
    public static func results(_ id: Int, on db: any Database) async throws -> [AssessmentResult] {
        struct Row: Decodable {
            var id: Int
            var assessment_id: Int
            var number: Int
            var version: Int
            var content: String
            var published_by: String
            var published_at: Date
            var appeal_until: String
        }
        return try await db.sql.select().columns("id", "assessment_id", "number", "version", "content", "published_by", "published_at", "appeal_until")
            .from("assessment_results").where("assessment_id", .equal, id).orderBy("version").all(decoding: Row.self).map {
                AssessmentResult(id: $0.id, assessmentID: $0.assessment_id, number: $0.number, version: $0.version,
                                 content: try JSONDecoder().decode(AssessmentResultContent.self, from: Data($0.content.utf8)),
                                 publishedBy: $0.published_by, publishedAt: $0.published_at,
                                 appealUntil: CalendarDay(iso: $0.appeal_until) ?? .today())
            }
    }

    public static func result(_ id: Int, version: Int, on db: any Database) async throws -> AssessmentResult {
        guard let result = try await results(id, on: db).first(where: { $0.version == version }) else {
            throw Refusal.notFound("第 \(id) 号考评没有第 \(version) 版结果")
        }
        return result
    }
}
