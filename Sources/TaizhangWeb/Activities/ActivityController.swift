import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 品牌活动: the activities of an area (`?division=`), the form and recording one.
enum ActivityController {
    struct Row: Encodable {
        var day: String
        var township: String
        var kind: String
        var title: String
        var youth: Int
        var units: String
    }

    struct ListModel: Encodable {
        var layout: LayoutContext
        var areaName: String
        var rows: [Row]
        var canRecord: Bool
        var newHref: String
        var conversionHref: String
        var conferencesHref: String
    }

    static func list(_ req: Request) async throws -> View {
        let area = try await req.conferenceArea()
        let activities = try await ActivityStore.list(under: area.path, in: try req.scope(for: .view), on: req.db)
        let names = try await townshipNames(in: try req.scope(for: .view), on: req.db)
        return try await req.view.render("activities", ListModel(
            layout: LayoutContext(title: "品牌活动", area: .conferences, request: req), areaName: area.name,
            rows: activities.map { Row(day: $0.heldOn.description, township: names[$0.townshipCode] ?? $0.townshipCode, kind: $0.kind, title: $0.title,
                                       youth: $0.youthReached, units: $0.units.map(\.name).joined(separator: "、")) },
            canRecord: try req.requireUser().policy.allowsSomewhere(.editLedger),
            newHref: SiteURL.activityNew.path + (area.level == .township ? "?township=\(area.code)" : ""),
            conversionHref: SiteURL.activityConversion(.value(area.code)).path, conferencesHref: SiteURL.conferences.path + "?division=\(area.code)"))
    }

    static func townshipNames(in scope: Scope, on db: any Database) async throws -> [String: String] {
        Dictionary(try await DivisionQueries.townships(under: scope, limit: 100_000, on: db).map { ($0.code, $0.name) }, uniquingKeysWith: { $1 })
    }

    struct Form: Content {
        var township: String?
        var kind: String?
        var title: String?
        var heldOn: String?
        var organizer: String?
        var youthReached: String?
        var notes: String?
        var members: [Int]?
        var organizations: String?
        var otherUnits: String?
    }

    struct FormModel: Encodable {
        var layout: LayoutContext
        var action: String
        /// Where choosing a township reloads the form, to list its conference members.
        var reloadHref = SiteURL.activityNew.path
        var townships: [SelectOption]
        var kinds: [String]
        var members: [SelectOption]
        var values: Form
        var chosenMembers: [Int]
        var today: String
        var error: String?
    }

    static func new(_ req: Request) async throws -> Response {
        try await renderForm(req, form: Form(township: req.queryText("township"), heldOn: CalendarDay.today().description), error: nil, status: .ok)
    }

    static func renderForm(_ req: Request, form: Form, error: String?, status: HTTPStatus) async throws -> Response {
        let scope = try req.scope(for: .editLedger)
        let townships = try await DivisionQueries.townships(under: scope, limit: 5000, on: req.db)
        var members: [SelectOption] = []
        if let code = form.township?.nilIfBlank, townships.contains(where: { $0.code == code }) {
            members = try await ConferenceStore.members(of: code, on: req.db).filter { $0.leftOn == nil }
                .map { SelectOption(value: String($0.id), label: $0.name) }
        }
        let model = FormModel(layout: LayoutContext(title: "记录品牌活动", area: .conferences, request: req), action: SiteURL.activities.path,
                              townships: townships.map { SelectOption(value: $0.code, label: "\($0.countyName) \($0.name)") }, kinds: try await req.referenceLists().list(.activityKind),
                              members: members, values: form, chosenMembers: form.members ?? [], today: CalendarDay.today().description, error: error)
        return try await req.view.render("activity-new", model).encodeResponse(status: status, for: req)
    }

    static func draft(_ form: Form) throws -> ActivityDraft {
        guard let township = form.township?.nilIfBlank else { throw Refusal("乡镇：请选择乡镇（街道）", field: "township") }
        guard let day = CalendarDay(iso: (form.heldOn ?? "").trimmedWhitespace) else {
            throw Refusal("活动日期：「\(form.heldOn ?? "")」不是日期，请按 2012-11-28 的格式填写", field: "heldOn")
        }
        let youthText = (form.youthReached ?? "").trimmedWhitespace
        guard let youth = youthText.isEmpty ? 0 : Int(youthText) else { throw Refusal("覆盖青年人数：「\(youthText)」不是整数", field: "youthReached") }
        func split(_ text: String?) -> [String] {
            (text ?? "").split(whereSeparator: { ",，、;；\n\r\t".contains($0) }).map { String($0).trimmedWhitespace }.filter { !$0.isEmpty }
        }
        let units = (form.members ?? []).map { Activity.Unit(name: "", memberID: $0) }
            + split(form.organizations).map { Activity.Unit(name: "", organizationCode: $0) }
            + split(form.otherUnits).map { Activity.Unit(name: $0) }
        return ActivityDraft(townshipCode: township, kind: form.kind ?? "", title: form.title ?? "", heldOn: day, organizer: form.organizer ?? "",
                             youthReached: youth, notes: form.notes ?? "", units: units)
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        do {
            let activity = try await ActivityStore.record(try draft(form), in: try req.scope(for: .editLedger), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.activities.path + "?division=\(activity.townshipCode)", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderForm(req, form: form, error: error.message, status: ErrorPresentation(error).status)
        }
    }
}
