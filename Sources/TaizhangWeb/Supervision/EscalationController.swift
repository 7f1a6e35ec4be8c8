import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 工作约谈、调度会、现场推进会、督导: the list, the form (a meeting's decisions and an
/// interview's promise become supervision items), and one record with the items it produced.
enum EscalationController {
    struct Row: Encodable {
        var id: Int
        var kind: String
        var division: String
        var heldOn: String
        var participants: String
        var heldBy: String
        var summary: String
        var href: String
    }

    struct ListModel: Encodable {
        var layout: LayoutContext
        var areaName: String
        var rows: [Row]
        var canRecord: Bool
        var newHref: String
        var supervisionHref: String
    }

    static func list(_ req: Request) async throws -> Response {
        let area = try await req.pageDivision()
        let escalations = try await EscalationStore.list(under: area.path, in: try req.scope(for: .view), on: req.db)
        let names = try await SupervisionController.divisionNames(escalations.map(\.divisionCode), on: req.db)
        let model = ListModel(
            layout: LayoutContext(title: "约谈、会议和督导", area: .liaisons, request: req), areaName: area.name,
            rows: escalations.map { Row(id: $0.id, kind: $0.kind.label, division: names[$0.divisionCode] ?? $0.divisionCode, heldOn: $0.heldOn.description,
                                        participants: $0.participants, heldBy: $0.heldBy, summary: $0.summary, href: SiteURL.escalation(.value($0.id)).path) },
            canRecord: !(try req.scope(for: .supervise)).isEmpty, newHref: SiteURL.escalationNew.path, supervisionHref: SiteURL.supervision.path)
        return try await req.view.render("escalations", model).encodeResponse(for: req)
    }

    struct Form: Content {
        var campaignID: Int?
        var kind: String?
        var division: String?
        var heldOn: String?
        var place: String?
        var participants: String?
        var heldBy: String?
        var summary: String?
        var promise: String?
        var promisedBy: String?
        var decisionTitle: [String]?
        var decisionOwner: [String]?
        var decisionResponsible: [String]?
        var decisionDeadline: [String]?
    }

    struct NewModel: Encodable {
        var layout: LayoutContext
        var action = SiteURL.escalations.path
        var campaignID: Int?
        var kinds: [SelectOption]
        var divisions: [SelectOption]
        var values: Form
        var decisionSlots = [0, 1, 2]
        var today: String
        var error: String?
    }

    static func new(_ req: Request) async throws -> Response {
        let values = Form(kind: req.queryText("kind") ?? EscalationKind.interview.rawValue, division: req.queryText("division"),
                          heldOn: CalendarDay.today().description)
        return try await renderNew(req, values: values, error: nil, status: .ok)
    }

    static func renderNew(_ req: Request, values: Form, error: String?, status: HTTPStatus) async throws -> Response {
        let scope = try req.scope(for: .supervise)
        let townships = try await DivisionQueries.townships(under: scope, limit: 2000, on: req.db)
        let model = NewModel(
            layout: LayoutContext(title: "记录约谈、会议或督导", area: .liaisons, request: req), campaignID: try await req.pageCampaign()?.id,
            kinds: EscalationKind.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            divisions: SelectOption.owners(townships), values: values,
            today: CalendarDay.today().description, error: error)
        return try await req.view.render("escalation-new", model).encodeResponse(status: status, for: req)
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        do {
            let (escalation, _) = try await EscalationStore.record(try draft(form), in: try req.scope(for: .supervise), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.escalation(.value(escalation.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderNew(req, values: form, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func draft(_ form: Form) throws -> EscalationDraft {
        guard let kind = form.kind.flatMap(EscalationKind.init(text:)) else { throw Refusal("类型：请选择约谈、调度会、现场推进会或督导", field: "kind") }
        guard let division = form.division?.nilIfBlank else { throw Refusal("对象：请选择乡镇（街道）或县", field: "division") }
        guard let heldOn = form.heldOn?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
            throw Refusal("日期：「\(form.heldOn ?? "")」不是日期，请按 2012-11-30 的格式填写", field: "heldOn")
        }
        var promisedBy: CalendarDay?
        if let text = form.promisedBy?.nilIfBlank {
            guard let day = CalendarDay(iso: text) else { throw Refusal("承诺期限：「\(text)」不是日期", field: "promisedBy") }
            promisedBy = day
        }
        var decisions: [EscalationDraft.Decision] = []
        for (index, title) in (form.decisionTitle ?? []).enumerated() where title.nilIfBlank != nil {
            func value(_ list: [String]?) -> String { (list ?? []).indices.contains(index) ? list![index] : "" }
            guard let deadline = CalendarDay(iso: value(form.decisionDeadline).trimmedWhitespace) else {
                throw Refusal("第 \(index + 1) 项决定的期限：「\(value(form.decisionDeadline))」不是日期", field: "decisionDeadline")
            }
            decisions.append(.init(title: title, ownerUnit: value(form.decisionOwner), responsibleName: value(form.decisionResponsible), deadline: deadline))
        }
        return EscalationDraft(kind: kind, campaignID: form.campaignID, divisionCode: division, heldOn: heldOn, place: form.place ?? "",
                               participants: form.participants ?? "", heldBy: form.heldBy ?? "", summary: form.summary ?? "",
                               promise: form.promise, promisedBy: promisedBy, decisions: decisions)
    }

    struct ShowModel: Encodable {
        var layout: LayoutContext
        var row: Row
        var place: String
        var promise: String?
        var promisedBy: String?
        var items: [SupervisionController.ItemRow]
        var townshipHref: String
        var recorded: String
    }

    static func show(_ req: Request) async throws -> Response {
        let text = try req.parameters.require("escalationID")
        guard let id = Int(text) else { throw Abort(.notFound, reason: "找不到编号为 \(text) 的记录") }
        let escalation = try await EscalationStore.require(id, in: try req.scope(for: .view), on: req.db)
        let names = try await SupervisionController.divisionNames([escalation.divisionCode], on: req.db)
        let now = ReportingClock.now()
        let items = try await SupervisionStore.items(of: escalation.divisionCode, on: req.db)
            .filter { $0.source == escalation.kind.itemSource && $0.sourceRef == String(id) }
        let model = ShowModel(
            layout: LayoutContext(title: "\(escalation.kind.label)第 \(id) 号", area: .liaisons, request: req),
            row: Row(id: id, kind: escalation.kind.label, division: names[escalation.divisionCode] ?? escalation.divisionCode, heldOn: escalation.heldOn.description,
                     participants: escalation.participants, heldBy: escalation.heldBy, summary: escalation.summary, href: ""),
            place: escalation.place, promise: escalation.promise, promisedBy: escalation.promisedBy?.description,
            items: items.map { SupervisionController.ItemRow($0, at: now) },
            townshipHref: SiteURL.liaisonTownship(.value(escalation.divisionCode)).path,
            recorded: "\(escalation.recordedBy) 记录于 \(DisplayFormat.dateTime(escalation.recordedAt))")
        return try await req.view.render("escalation", model).encodeResponse(for: req)
    }
}
