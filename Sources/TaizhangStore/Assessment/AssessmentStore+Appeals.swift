import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Appeals (申诉): a unit appeals one item of the latest published result within the window; the
/// assessors decide with a note (and, when it stands, the item's new points); accepted appeals go
/// into the next version by `republish`.
extension AssessmentStore {
    /// Files an appeal for `unitCode`; `scope` is where the actor may act for units.
    @discardableResult
    public static func fileAppeal(_ id: Int, unit unitCode: String, indicator key: String, reason: String, scope: Scope,
                                  today: CalendarDay = .today(), by actor: Actor, on database: any Database) async throws -> AssessmentAppeal {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Refusal("申诉理由：不能为空，请写明对哪项评分有异议及依据", field: "reason") }
        guard reason.count <= 1000 else { throw Refusal("申诉理由：不能超过 1000 字（现有 \(reason.count) 字）", field: "reason") }
        return try await writeTransaction(on: database) { db in
            let assessment = try await find(id, in: scope, on: db)
            // Where the unit is now (it may have moved since publication): the appellant must act for it there.
            guard let path = try await unitPath(unitCode, of: assessment, on: db), scope.contains(path) else {
                throw Refusal.notFound("找不到代码为「\(unitCode)」的单位")
            }
            guard let latest = try await results(id, on: db).last else { throw Refusal("考评结果尚未发布，发布后才能申诉", kind: .conflict) }
            guard let assessed = latest.content.outcome.units.first(where: { $0.code == unitCode }) else {
                throw Refusal("申诉单位：「\(unitCode)」不在本次考评的单位中", field: "unit")
            }
            let unit = (name: assessed.name, path: path)
            guard assessed.isEligible else { throw Refusal("申诉单位：「\(unit.name)」未参评（\(assessed.ineligibleReason ?? "")），没有可申诉的评分", field: "unit") }
            guard let line = assessed.line(key) else { throw Refusal("申诉指标：考评方案中没有编号为「\(key)」的指标", field: "indicator") }
            guard today <= latest.appealUntil else {
                throw Refusal("申诉期限已过：第 \(latest.version) 版结果于 \(latest.content.publishedOn) 发布，申诉截至 \(latest.appealUntil)", kind: .conflict)
            }
            let open = try await appeals(id, on: db).first { $0.unitCode == unitCode && $0.indicatorKey == key && $0.isOpen }
            if let open { throw Refusal("「\(unit.name)」对「\(line.name)」的申诉（第 \(open.id) 号）尚未答复，不能重复申诉", kind: .conflict) }
            let appealID = try await db.sql.insert(into: "assessment_appeals")
                .columns("assessment_id", "result_version", "unit_code", "unit_path", "indicator_key", "reason", "filed_by", "filed_at")
                .values(SQLBind(id), SQLBind(latest.version), SQLBind(unitCode), SQLBind(unit.path), SQLBind(key), SQLBind(reason),
                        SQLBind(actor.name), SQLBind(Date()))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("assessment.appeal", entityType: "assessment", entityID: String(id), divisionPath: unit.path, before: nil,
                                      after: ["申诉": "第\(appealID)号", "单位": unit.name, "指标": line.name, "理由": reason], by: actor, on: db)
            guard let appeal = try await appeals(id, on: db).first(where: { $0.id == appealID }) else { throw Refusal("申诉保存失败") }
            return appeal
        }
    }

    /// Decides an appeal: a note always; for an accepted one the item's new points (0 to its weight).
    @discardableResult
    public static func decideAppeal(_ id: Int, appeal appealID: Int, accept: Bool, newPoints: String?, note: String, scope: Scope,
                                    by actor: Actor, on database: any Database) async throws -> AssessmentAppeal {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw Refusal("答复意见：不能为空，请写明申诉是否成立及理由", field: "note") }
        guard note.count <= 1000 else { throw Refusal("答复意见：不能超过 1000 字（现有 \(note.count) 字）", field: "note") }
        return try await writeTransaction(on: database) { db in
            let assessment = try await findAssessing(id, in: scope, on: db)
            guard let appeal = try await appeals(id, on: db).first(where: { $0.id == appealID }) else {
                throw Refusal.notFound("找不到第 \(appealID) 号申诉")
            }
            guard appeal.isOpen else { throw Refusal("第 \(appealID) 号申诉已答复（\(appeal.decision?.label ?? "")），不能再次答复", kind: .conflict) }
            guard let indicator = assessment.rubric.indicator(appeal.indicatorKey) else { throw Refusal("申诉的指标已不在考评方案中", kind: .conflict) }
            var points: AssessmentPoints?
            if accept {
                let typed = newPoints?.trimmingCharacters(in: .whitespaces) ?? ""
                guard let value = Double(typed), value.isFinite else {
                    throw Refusal("改定得分：申诉成立时须填写该项改定后的得分（现为「\(typed)」）", field: "newPoints")
                }
                let adjusted = AssessmentPoints(rounding: value)
                guard adjusted >= .zero, adjusted <= AssessmentPoints(points: indicator.weight) else {
                    throw Refusal("改定得分：应在 0 到 \(indicator.weight) 分之间（现为 \(typed)）", field: "newPoints")
                }
                points = adjusted
            }
            try await db.sql.update("assessment_appeals").set("decision", to: SQLBind(accept ? "accepted" : "rejected"))
                .set("new_points", to: points.map { SQLBind($0.hundredths) as any SQLExpression } ?? SQLLiteral.null)
                .set("decision_note", to: SQLBind(note)).set("decided_by", to: SQLBind(actor.name)).set("decided_at", to: SQLBind(Date()))
                .where("id", .equal, appealID).run()
            try await AuditLog.record("assessment.appeal_decision", entityType: "assessment", entityID: String(id), divisionPath: appeal.unitPath,
                                      before: ["申诉": "第\(appealID)号", "状态": "待答复"],
                                      after: ["结论": accept ? "申诉成立" : "维持原评分", "改定得分": points?.description ?? "", "意见": note],
                                      by: actor, on: db)
            guard let decided = try await appeals(id, on: db).first(where: { $0.id == appealID }) else { throw Refusal("申诉答复保存失败") }
            return decided
        }
    }

    /// An assessment's appeals, oldest first.
    public static func appeals(_ id: Int, on db: any Database) async throws -> [AssessmentAppeal] {
        struct Row: Decodable {
            var id: Int
            var assessment_id: Int
            var result_version: Int
            var unit_code: String
            var unit_path: String
            var indicator_key: String
            var reason: String
            var filed_by: String
            var filed_at: Date
            var decision: String?
            var new_points: Int?
            var decision_note: String?
            var decided_by: String?
            var decided_at: Date?
            var applied_in_version: Int?
        }
        return try await db.sql.select()
            .columns("id", "assessment_id", "result_version", "unit_code", "unit_path", "indicator_key", "reason", "filed_by", "filed_at", "decision",
                     "new_points", "decision_note", "decided_by", "decided_at", "applied_in_version")
            .from("assessment_appeals").where("assessment_id", .equal, id).orderBy("id").all(decoding: Row.self).map {
                AssessmentAppeal(id: $0.id, assessmentID: $0.assessment_id, resultVersion: $0.result_version, unitCode: $0.unit_code,
                                 unitPath: $0.unit_path, indicatorKey: $0.indicator_key, reason: $0.reason, filedBy: $0.filed_by, filedAt: $0.filed_at,
                                 decision: $0.decision.flatMap(AssessmentAppeal.Decision.init(rawValue:)),
                                 newPoints: $0.new_points.map(AssessmentPoints.init(hundredths:)), decisionNote: $0.decision_note,
                                 decidedBy: $0.decided_by, decidedAt: $0.decided_at, appliedInVersion: $0.applied_in_version)
            }
    }
}
