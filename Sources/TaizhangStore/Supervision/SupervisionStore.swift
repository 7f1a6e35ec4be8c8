import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Supervision items (督办事项): raised, taken up, closed with a written result, reopened with a
/// reason. Every move is one audited transaction and a row of the item's history.
public enum SupervisionStore {
    /// Raises an item owned by a township or county inside `scope`.
    public static func raise(_ draft: SupervisionItemDraft, in scope: Scope, today: CalendarDay = .today(), by actor: Actor,
                             on database: any Database) async throws -> SupervisionItem {
        let problems = draft.problems(today: today)
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        let division = try await requireOwner(draft.divisionCode, in: scope, on: database)
        if let id = draft.campaignID { _ = try await CampaignStore.require(id, on: database) }
        return try await writeTransaction(on: database) { db in
            try await insert(draft, division: division, by: actor, on: db)
        }
    }

    static func requireOwner(_ code: String, in scope: Scope, on db: any Database) async throws -> Division {
        guard let division = try await DivisionQueries.find(code, on: db), scope.contains(division.path) else {
            throw Refusal.divisionNotFound(code)
        }
        guard division.level == .township || division.level == .county else {
            throw Refusal("责任单位：督办事项落实到县（市、区）或乡镇（街道），「\(division.name)」是\(division.level.label)", field: "division")
        }
        return division
    }

    /// Writes an item inside the caller's transaction (a visit's or meeting's problems come this way).
    static func insert(_ draft: SupervisionItemDraft, division: Division, by actor: Actor, on db: any Database) async throws -> SupervisionItem {
        let now = Date()
        let owner = draft.ownerUnit.nilIfBlank ?? (division.leagueCommitteeName ?? division.name)
        let id = try await db.sql.insert(into: "supervision_items")
            .columns("campaign_id", "division_code", "division_path", "title", "detail", "owner_unit", "responsible_name", "responsible_user_id",
                     "raised_on", "deadline", "state", "source", "source_ref", "raised_by", "raised_by_id", "created_at")
            .values(SQLBind(draft.campaignID), SQLBind(division.code), SQLBind(division.path), SQLBind(draft.title.trimmedWhitespace),
                    SQLBind(draft.detail.trimmedWhitespace), SQLBind(owner), SQLBind(draft.responsibleName.trimmedWhitespace),
                    SQLBind(draft.responsibleUserID), SQLBind(draft.raisedOn.description), SQLBind(draft.deadline.description),
                    SQLBind(SupervisionState.open.rawValue), SQLBind(draft.source.rawValue), SQLBind(draft.sourceRef),
                    SQLBind(actor.name), SQLBind(actor.userID), SQLBind(now))
            .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
        try await event(item: id, from: nil, to: .open, note: draft.title, by: actor, at: now, on: db)
        try await AuditLog.record("supervision.raise", entityType: "supervision_item", entityID: String(id), divisionPath: division.path,
                                  before: nil, after: [
                                      "事项": draft.title, "责任单位": owner, "责任人": draft.responsibleName,
                                      "提出日期": draft.raisedOn.description, "办结期限": draft.deadline.description, "来源": draft.source.label,
                                  ], by: actor, on: db)
        return SupervisionItem(id: id, campaignID: draft.campaignID, divisionCode: division.code, divisionPath: division.path,
                               title: draft.title.trimmedWhitespace, detail: draft.detail.trimmedWhitespace, ownerUnit: owner,
                               responsibleName: draft.responsibleName.trimmedWhitespace, responsibleUserID: draft.responsibleUserID,
                               raisedOn: draft.raisedOn, deadline: draft.deadline, state: .open, source: draft.source, sourceRef: draft.sourceRef,
                               raisedBy: actor.name, raisedByID: actor.userID, result: nil, closedBy: nil, closedAt: nil, returnReason: nil)
    }

    /// Who may make which move, decided by the web layer from the user's grants.
    public struct Authority: Sendable {
        /// Where the user may close and reopen any item (county and city administrators).
        public var supervises: Scope
        /// Where the user may take items up (liaison cadres and administrators).
        public var works: Scope
        public var userID: String?

        public init(supervises: Scope, works: Scope, userID: String?) {
            self.supervises = supervises
            self.works = works
            self.userID = userID
        }
    }

    /// Moves an item: 开始办理, 办结 (with a result), 退回重办 (with a reason, by whoever raised it or a supervisor).
    public static func move(_ id: Int, _ move: SupervisionState.Move, note: String, in scope: Scope, authority: Authority,
                            by actor: Actor, on database: any Database) async throws -> SupervisionItem {
        let text = note.nilIfBlank
        switch move {
        case .close where text == nil: throw Refusal("办理结果：办结须写明办理结果", field: "note")
        case .reopen where text == nil: throw Refusal("退回原因：请写明为什么退回重办", field: "note")
        default: break
        }
        return try await writeTransaction(on: database) { db in
            var item = try await require(id, in: scope, on: db)
            let next = try item.state.after(move)
            let supervises = authority.supervises.contains(item.divisionPath)
            let isResponsible = authority.userID != nil && authority.userID == item.responsibleUserID
            let raisedIt = authority.userID != nil && authority.userID == item.raisedByID
            switch move {
            case .start where !(supervises || isResponsible || authority.works.contains(item.divisionPath)):
                throw Refusal("只有责任人、挂钩干部或县、市级管理员可以开始办理", kind: .forbidden)
            case .close where !(supervises || isResponsible):
                throw Refusal("只有责任人或县、市级管理员可以办结督办事项", kind: .forbidden)
            case .reopen where !(supervises || raisedIt):
                throw Refusal("只有提出人或县、市级管理员可以退回重办", kind: .forbidden)
            default: break
            }
            let now = Date()
            let update = db.sql.update("supervision_items").set("state", to: SQLBind(next.rawValue)).where("id", .equal, id)
            switch move {
            case .close:
                _ = update.set("result", to: SQLBind(text)).set("closed_by", to: SQLBind(actor.name)).set("closed_at", to: SQLBind(now))
                item.result = text; item.closedBy = actor.name; item.closedAt = now
            case .reopen:
                _ = update.set("return_reason", to: SQLBind(text))
                item.returnReason = text
            case .start: break
            }
            try await update.run()
            try await event(item: id, from: item.state, to: next, note: text, by: actor, at: now, on: db)
            try await AuditLog.record("supervision.\(move.rawValue)", entityType: "supervision_item", entityID: String(id), divisionPath: item.divisionPath,
                                      before: ["状态": item.state.label], after: ["状态": next.label, "说明": text ?? ""], by: actor, on: db)
            item.state = next
            return item
        }
    }

    static func event(item: Int, from: SupervisionState?, to: SupervisionState, note: String?, by actor: Actor, at: Date,
                      on db: any Database) async throws {
        try await db.sql.insert(into: "supervision_item_events").columns("item_id", "from_state", "to_state", "note", "actor", "actor_id", "at")
            .values(SQLBind(item), SQLBind(from?.rawValue), SQLBind(to.rawValue), SQLBind(note), SQLBind(actor.name), SQLBind(actor.userID), SQLBind(at))
            .run()
    }

    /// The paths of a township's items and escalations follow it to another county.
    static func followTownship(_ code: String, to path: String, on db: any Database) async throws {
        try await db.sql.update("supervision_items").set("division_path", to: path).where("division_code", .equal, code).run()
        try await db.sql.update("escalations").set("division_path", to: path).where("division_code", .equal, code).run()
    }
}
