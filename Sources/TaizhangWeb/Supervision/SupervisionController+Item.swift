import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

extension SupervisionController {
    struct RaiseForm: Content {
        var campaignID: Int?
        var division: String?
        var title: String?
        var detail: String?
        var ownerUnit: String?
        var responsibleName: String?
        var raisedOn: String?
        var deadline: String?
        var source: String?
        var sourceRef: String?
    }

    struct NewModel: Encodable {
        var layout: LayoutContext
        var action = SiteURL.supervision.path
        var campaignID: Int?
        var divisions: [SelectOption]
        var sources: [SelectOption]
        var values: RaiseForm
        var today: String
        var error: String?
    }

    static func new(_ req: Request) async throws -> Response {
        let today = CalendarDay.today()
        let values = RaiseForm(division: req.queryText("division"), raisedOn: today.description, deadline: today.adding(days: 7).description,
                               source: req.queryText("source"), sourceRef: req.queryText("sourceRef"))
        return try await renderNew(req, values: values, error: nil, status: .ok)
    }

    static func renderNew(_ req: Request, values: RaiseForm, error: String?, status: HTTPStatus) async throws -> Response {
        let scope = try req.scope(for: .liaise)
        let townships = try await DivisionQueries.townships(under: scope, limit: 2000, on: req.db)
        let model = NewModel(
            layout: LayoutContext(title: "新建督办事项", area: .liaisons, request: req), campaignID: try await req.pageCampaign()?.id,
            divisions: SelectOption.owners(townships),
            sources: SupervisionSource.allCases.map { .init(value: $0.rawValue, label: $0.label) }, values: values,
            today: CalendarDay.today().description, error: error)
        return try await req.view.render("supervision-new", model).encodeResponse(status: status, for: req)
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(RaiseForm.self)
        do {
            let item = try await SupervisionStore.raise(try draft(form), in: try req.scope(for: .liaise), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.supervisionItem(.value(item.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderNew(req, values: form, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func draft(_ form: RaiseForm) throws -> SupervisionItemDraft {
        guard let division = form.division?.nilIfBlank else { throw Refusal("责任单位：请选择乡镇（街道）或县", field: "division") }
        guard let raisedOn = form.raisedOn?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
            throw Refusal("提出日期：「\(form.raisedOn ?? "")」不是日期，请按 2012-11-30 的格式填写", field: "raisedOn")
        }
        guard let deadline = form.deadline?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
            throw Refusal("办结期限：「\(form.deadline ?? "")」不是日期，请按 2012-12-07 的格式填写", field: "deadline")
        }
        let source = form.source?.nilIfBlank.map { text in SupervisionSource(text: text) } ?? .other
        guard let source else { throw Refusal("来源：「\(form.source ?? "")」不是可选的来源", field: "source") }
        return SupervisionItemDraft(campaignID: form.campaignID, divisionCode: division, title: form.title ?? "", detail: form.detail ?? "",
                                    ownerUnit: form.ownerUnit ?? "", responsibleName: form.responsibleName ?? "", raisedOn: raisedOn,
                                    deadline: deadline, source: source, sourceRef: form.sourceRef?.nilIfBlank)
    }

    struct MoveOption: Encodable {
        var value: String
        var label: String
        var needsNote: Bool
        var noteLabel: String
    }

    struct ItemModel: Encodable {
        struct EventRow: Encodable {
            var at: String
            var actor: String
            var change: String
            var note: String?
        }

        var layout: LayoutContext
        var item: ItemRow
        var detail: String
        var divisionHref: String
        var result: String?
        var returnReason: String?
        var raisedBy: String
        var sourceHref: String?
        var history: [EventRow]
        var moves: [MoveOption]
        var moveAction: String
        var listHref: String
        var error: String?
    }

    static func show(_ req: Request) async throws -> Response {
        try await renderItem(req, error: nil, status: .ok)
    }

    struct MoveForm: Content {
        var move: String?
        var note: String?
    }

    static func move(_ req: Request) async throws -> Response {
        let id = try itemID(req)
        let form = try req.content.decode(MoveForm.self)
        do {
            guard let move = form.move.flatMap(SupervisionState.Move.init(rawValue:)) else {
                throw Refusal("操作：「\(form.move ?? "")」不是可做的操作", field: "move")
            }
            _ = try await SupervisionStore.move(id, move, note: form.note ?? "", in: try req.scope(for: .view), authority: authority(req),
                                                by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.supervisionItem(.value(id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderItem(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func authority(_ req: Request) throws -> SupervisionStore.Authority {
        let user = try req.requireUser()
        let works = Scope(roots: [Permission.supervise, .liaise].flatMap { permission in
            user.policy.grants.filter { $0.role.permissions.contains(permission) }.map(\.divisionPath)
        })
        return SupervisionStore.Authority(supervises: user.policy.scope(for: .supervise), works: works, userID: user.id.uuidString)
    }

    static func itemID(_ req: Request) throws -> Int {
        let text = try req.parameters.require("itemID")
        guard let id = Int(text) else { throw Abort(.notFound, reason: "找不到编号为 \(text) 的督办事项") }
        return id
    }

    static func renderItem(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let id = try itemID(req)
        let user = try req.requireUser()
        let item = try await SupervisionStore.require(id, in: try req.scope(for: .view), on: req.db)
        let now = ReportingClock.now()
        let names = try await divisionNames([item.divisionCode], on: req.db)
        let supervises = user.policy.allows(.supervise, at: item.divisionPath)
        let mayWork = supervises || user.policy.allows(.liaise, at: item.divisionPath)
        let responsible = item.responsibleUserID == user.id.uuidString
        var moves: [MoveOption] = []
        for move in SupervisionState.Move.allCases where (try? item.state.after(move)) != nil {
            switch move {
            case .start where mayWork || responsible: moves.append(.init(value: move.rawValue, label: move.label, needsNote: false, noteLabel: "说明（可不填）"))
            case .close where supervises || responsible: moves.append(.init(value: move.rawValue, label: move.label, needsNote: true, noteLabel: "办理结果"))
            case .reopen where supervises || item.raisedByID == user.id.uuidString:
                moves.append(.init(value: move.rawValue, label: move.label, needsNote: true, noteLabel: "退回原因"))
            default: break
            }
        }
        let sourceHref: String? = switch item.source {
        case .visit: item.sourceRef.flatMap(Int.init).map { SiteURL.visit(.value($0)).path }
        case .meeting, .interview, .inspection: item.sourceRef.flatMap(Int.init).map { SiteURL.escalation(.value($0)).path }
        case .spotCheck: item.sourceRef.flatMap(Int.init).map { SiteURL.spotCheck(.value($0)).path }
        case .redFlag: SiteURL.redFlags(.value(item.divisionCode)).path
        case .weeklyReview, .other: nil
        }
        let model = ItemModel(
            layout: LayoutContext(title: "督办事项第 \(id) 号", area: .liaisons, request: req),
            item: ItemRow(item, at: now, divisionName: names[item.divisionCode]), detail: item.detail,
            divisionHref: SiteURL.liaisonTownship(.value(item.divisionCode)).path, result: item.result, returnReason: item.returnReason,
            raisedBy: item.raisedBy, sourceHref: sourceHref,
            history: try await SupervisionStore.history(of: id, on: req.db).map {
                .init(at: DisplayFormat.dateTime($0.at), actor: $0.actor, change: ($0.from.map { $0.label + " → " } ?? "提出：") + $0.to.label, note: $0.note)
            },
            moves: moves, moveAction: SiteURL.supervisionItemMove(.value(id)).path, listHref: SiteURL.supervision.path, error: error)
        return try await req.view.render("supervision-item", model).encodeResponse(status: status, for: req)
    }
}
