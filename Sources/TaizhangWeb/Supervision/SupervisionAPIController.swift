import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/supervision…`: items (list, raise, one with its history, moves) and escalations.
enum SupervisionAPIController {
    struct ItemJSON: Content {
        var item: SupervisionItem
        var status: String
        var overdue: Bool

        init(_ item: SupervisionItem, at instant: Date) {
            self.item = item
            status = item.statusLabel(at: instant)
            overdue = item.isOverdue(at: instant)
        }
    }

    struct ItemListJSON: Content {
        var view: String
        var items: [ItemJSON]
    }

    static func items(_ req: Request) async throws -> ItemListJSON {
        let (view, _, items) = try await SupervisionController.selection(req)
        let now = ReportingClock.now()
        return ItemListJSON(view: view.rawValue, items: items.map { ItemJSON($0, at: now) })
    }

    struct DetailJSON: Content {
        var item: ItemJSON
        var history: [SupervisionStore.Event]
    }

    static func item(_ req: Request) async throws -> DetailJSON {
        let id = try SupervisionController.itemID(req)
        let item = try await SupervisionStore.require(id, in: try req.scope(for: .view), on: req.db)
        return DetailJSON(item: ItemJSON(item, at: ReportingClock.now()), history: try await SupervisionStore.history(of: id, on: req.db))
    }

    static func raise(_ req: Request) async throws -> Response {
        let form = try req.content.decode(SupervisionController.RaiseForm.self)
        let item = try await SupervisionStore.raise(try SupervisionController.draft(form), in: try req.scope(for: .liaise), by: req.actor, on: req.db)
        let response = try await ItemJSON(item, at: ReportingClock.now()).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.supervisionItem(.value(item.id)).path)
        return response
    }

    static func move(_ req: Request) async throws -> ItemJSON {
        let id = try SupervisionController.itemID(req)
        let form = try req.content.decode(SupervisionController.MoveForm.self)
        guard let move = form.move.flatMap(SupervisionState.Move.init(rawValue:)) else {
            throw Refusal("move：「\(form.move ?? "")」不是 start、close 或 reopen", field: "move")
        }
        let item = try await SupervisionStore.move(id, move, note: form.note ?? "", in: try req.scope(for: .view),
                                                   authority: try SupervisionController.authority(req), by: req.actor, on: req.db)
        return ItemJSON(item, at: ReportingClock.now())
    }

    struct EscalationListJSON: Content {
        var items: [Escalation]
    }

    static func escalations(_ req: Request) async throws -> EscalationListJSON {
        let area = try await req.pageDivision()
        return EscalationListJSON(items: try await EscalationStore.list(under: area.path, in: try req.scope(for: .view), on: req.db))
    }

    struct RecordedJSON: Content {
        var escalation: Escalation
        var items: [SupervisionItem]
    }

    static func record(_ req: Request) async throws -> Response {
        let form = try req.content.decode(EscalationController.Form.self)
        let (escalation, items) = try await EscalationStore.record(try EscalationController.draft(form), in: try req.scope(for: .supervise),
                                                                   by: req.actor, on: req.db)
        return try await RecordedJSON(escalation: escalation, items: items).encodeResponse(status: .created, for: req)
    }
}
