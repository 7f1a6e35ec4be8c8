import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Interviews, meetings and inspections (工作约谈, 调度会, 现场推进会, 督导). A meeting's decisions
/// and an interview's promise become supervision items in the same transaction.
public enum EscalationStore {
    public static func record(_ draft: EscalationDraft, in scope: Scope, today: CalendarDay = .today(), by actor: Actor,
                              on database: any Database) async throws -> (escalation: Escalation, items: [SupervisionItem]) {
        let problems = draft.problems(today: today)
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        let division = try await SupervisionStore.requireOwner(draft.divisionCode, in: scope, on: database)
        if let id = draft.campaignID { _ = try await CampaignStore.require(id, on: database) }
        return try await writeTransaction(on: database) { db in
            let now = Date()
            let id = try await db.sql.insert(into: "escalations")
                .columns("kind", "campaign_id", "division_code", "division_path", "held_on", "place", "participants", "held_by", "summary",
                         "promise", "promised_by", "recorded_by", "recorded_at")
                .values(SQLBind(draft.kind.rawValue), SQLBind(draft.campaignID), SQLBind(division.code), SQLBind(division.path),
                        SQLBind(draft.heldOn.description), SQLBind(draft.place.trimmedWhitespace), SQLBind(draft.participants.trimmedWhitespace),
                        SQLBind(draft.heldBy.trimmedWhitespace), SQLBind(draft.summary.trimmedWhitespace), SQLBind(draft.promise?.nilIfBlank),
                        SQLBind(draft.promisedBy?.description), SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("escalation.record", entityType: "escalation", entityID: String(id), divisionPath: division.path,
                                      before: nil, after: [
                                          "类型": draft.kind.label, "单位": division.name, "日期": draft.heldOn.description,
                                          "参加": draft.participants, "主持": draft.heldBy, "内容": draft.summary,
                                          "承诺": draft.promise ?? "", "承诺期限": draft.promisedBy?.description ?? "",
                                      ], by: actor, on: db)
            var items: [SupervisionItem] = []
            var decisions = draft.decisions
            if draft.kind == .interview, let promise = draft.promise?.nilIfBlank, let by = draft.promisedBy {
                decisions.insert(.init(title: promise, ownerUnit: "", responsibleName: draft.participants, deadline: by), at: 0)
            }
            for decision in decisions {
                items.append(try await SupervisionStore.insert(
                    SupervisionItemDraft(campaignID: draft.campaignID, divisionCode: division.code, title: decision.title,
                                         detail: "\(draft.kind.label)（\(draft.heldOn)）", ownerUnit: decision.ownerUnit,
                                         responsibleName: decision.responsibleName, raisedOn: draft.heldOn, deadline: decision.deadline,
                                         source: draft.kind.itemSource, sourceRef: String(id)),
                    division: division, by: actor, on: db))
            }
            let escalation = Escalation(id: id, kind: draft.kind, campaignID: draft.campaignID, divisionCode: division.code, divisionPath: division.path,
                                        heldOn: draft.heldOn, place: draft.place.trimmedWhitespace, participants: draft.participants.trimmedWhitespace,
                                        heldBy: draft.heldBy.trimmedWhitespace, summary: draft.summary.trimmedWhitespace,
                                        promise: draft.promise?.nilIfBlank, promisedBy: draft.promisedBy, recordedBy: actor.name, recordedAt: now)
            return (escalation, items)
        }
    }

    struct Row: Decodable {
        var id: Int
        var kind: String
        var campaignId: Int?
        var divisionCode: String
        var divisionPath: String
        var heldOn: String
        var place: String
        var participants: String
        var heldBy: String
        var summary: String
        var promise: String?
        var promisedBy: String?
        var recordedBy: String
        var recordedAt: Date

        var escalation: Escalation {
            Escalation(id: id, kind: EscalationKind(rawValue: kind) ?? .inspection, campaignID: campaignId, divisionCode: divisionCode,
                       divisionPath: divisionPath, heldOn: CalendarDay(iso: heldOn) ?? .init(year: 2000, month: 1, day: 1)!, place: place,
                       participants: participants, heldBy: heldBy, summary: summary, promise: promise,
                       promisedBy: promisedBy.flatMap(CalendarDay.init(iso:)), recordedBy: recordedBy, recordedAt: recordedAt)
        }
    }

    static let columns = ["id", "kind", "campaign_id", "division_code", "division_path", "held_on", "place", "participants", "held_by", "summary",
                          "promise", "promised_by", "recorded_by", "recorded_at"]

    public static func require(_ id: Int, in scope: Scope, on db: any Database) async throws -> Escalation {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("escalations").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase), scope.contains(row.divisionPath) else {
            throw Refusal.notFound("找不到编号为 \(id) 的约谈、会议或督导记录")
        }
        return row.escalation
    }

    /// Escalations concerning divisions under `path` inside `scope`, newest first.
    public static func list(under path: String, in scope: Scope, limit: Int = 200, on db: any Database) async throws -> [Escalation] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("escalations").whereInside(scope, SQLColumn("division_path"))
            .whereInside(.within(path), SQLColumn("division_path")).orderBy("held_on", .descending).orderBy("id", .descending).limit(limit)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.escalation)
    }

    /// Those held for a township or for its county (a county meeting concerns all its townships).
    public static func list(concerning township: Division, on db: any Database) async throws -> [Escalation] {
        let codes = [township.code, township.parentCode].compactMap { $0 }
        return try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("escalations").where("division_code", .in, codes)
            .orderBy("held_on", .descending).orderBy("id", .descending)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.escalation)
    }
}
