import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 典型案例: the list searched by build mode, unit category and words; the form; one case as an A4
/// page to print and hand out.
enum ModelCaseController {
    struct CaseRow: Encodable {
        var title: String
        var href: String
        var township: String
        var unit: String
        var buildMode: String
        var unitCategory: String
        var excerpt: String
    }

    struct CaseListModel: Encodable {
        var layout: LayoutContext
        var rows: [CaseRow]
        var buildModes: [SelectOption]
        var categories: [SelectOption]
        var buildMode: String
        var unitCategory: String
        var text: String
        var canWrite: Bool
        var newHref: String
        var demonstrationsHref: String
    }

    static func list(_ req: Request) async throws -> Response {
        let buildMode = req.queryText("buildMode") ?? "", category = req.queryText("category") ?? "", text = req.queryText("q") ?? ""
        let cases = try await ModelCaseStore.search(buildMode: buildMode, unitCategory: category, text: text, in: try req.scope(for: .view), on: req.db)
        let names = try await DemonstrationNames.of(cases.map(\.divisionCode), on: req.db)
        let lists = try await ReferenceStore.lists(on: req.db)
        let model = CaseListModel(
            layout: LayoutContext(title: "典型案例", area: .demonstration, request: req),
            rows: cases.map { CaseRow(title: $0.title, href: SiteURL.modelCase(.value($0.id)).path, township: names[$0.divisionCode] ?? $0.divisionCode,
                                  unit: $0.unitName ?? "", buildMode: $0.buildMode, unitCategory: $0.unitCategory,
                                  excerpt: String($0.whatWorked.prefix(90)) + ($0.whatWorked.count > 90 ? "…" : "")) },
            buildModes: (lists.values[.buildMode] ?? []).map { SelectOption(value: $0, label: $0) },
            categories: (lists.values[.unitCategory] ?? []).map { SelectOption(value: $0, label: $0) },
            buildMode: buildMode, unitCategory: category, text: text, canWrite: !(try req.scope(for: .editLedger)).isEmpty,
            newHref: SiteURL.modelCaseNew.path, demonstrationsHref: SiteURL.demonstrations.path)
        return try await req.view.render("model-cases", model).encodeResponse(for: req)
    }

    struct CaseForm: Content {
        var campaignID: Int?
        var township: String?
        var unitName: String?
        var title: String?
        var buildMode: String?
        var unitCategory: String?
        var whatWorked: String?
        var organizations: String?
        /// The ticked activities of the township (`activities[]`).
        var activities: [Int]?
    }

    static func draft(_ form: CaseForm) -> ModelCaseDraft {
        ModelCaseDraft(campaignID: form.campaignID, divisionCode: form.township ?? "", unitName: form.unitName ?? "", title: form.title ?? "",
                       buildMode: form.buildMode ?? "", unitCategory: form.unitCategory ?? "", whatWorked: form.whatWorked ?? "",
                       organizationCodes: (form.organizations ?? "").split(whereSeparator: { " ,，、;；\n\r\t".contains($0) }).map(String.init),
                       activityIDs: form.activities ?? [])
    }

    /// The form; `?township=` (set when the township is chosen) lists that township's activities to tick.
    static func new(_ req: Request) async throws -> Response {
        try await renderForm(req, form: CaseForm(township: req.queryText("township")), error: nil, status: .ok)
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(CaseForm.self)
        do {
            let created = try await ModelCaseStore.create(draft(form), in: try req.scope(for: .editLedger), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.modelCase(.value(created.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderForm(req, form: form, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    struct ActivityOption: Encodable {
        var activity: ActivityLine
        var checked: Bool
    }

    struct CaseFormModel: Encodable {
        var layout: LayoutContext
        var action = SiteURL.modelCases.path
        /// Where choosing a township reloads the form, to list its activities.
        var reloadHref = SiteURL.modelCaseNew.path
        var campaignID: Int?
        var townships: [SelectOption]
        var buildModes: [SelectOption]
        var categories: [SelectOption]
        var values: CaseValues
        /// The chosen township's recorded activities, newest first; nil before a township is chosen.
        var activities: [ActivityOption]?
        var error: String?

        struct CaseValues: Encodable {
            var township, unitName, title, buildMode, unitCategory, whatWorked, organizations: String
        }
    }

    static func renderForm(_ req: Request, form: CaseForm, error: String?, status: HTTPStatus) async throws -> Response {
        let scope = try req.scope(for: .editLedger)
        let townships = try await DivisionQueries.townships(under: scope, limit: 2000, on: req.db)
        let lists = try await ReferenceStore.lists(on: req.db)
        var activities: [ActivityOption]?
        if let code = form.township?.nilIfBlank, townships.contains(where: { $0.code == code }),
           let township = try await DivisionQueries.find(code, on: req.db) {
            let ticked = Set(form.activities ?? [])
            activities = try await ActivityStore.list(under: township.path, in: scope, limit: 100, on: req.db)
                .map { ActivityOption(activity: ActivityLine($0), checked: ticked.contains($0.id)) }
        }
        let model = CaseFormModel(
            layout: LayoutContext(title: "新增典型案例", area: .demonstration, request: req), campaignID: try await req.pageCampaign()?.id,
            townships: townships.map { SelectOption(value: $0.code, label: "\($0.countyName) \($0.name)") },
            buildModes: (lists.values[.buildMode] ?? []).map { SelectOption(value: $0, label: $0) },
            categories: (lists.values[.unitCategory] ?? []).map { SelectOption(value: $0, label: $0) },
            values: .init(township: form.township ?? "", unitName: form.unitName ?? "", title: form.title ?? "", buildMode: form.buildMode ?? "",
                          unitCategory: form.unitCategory ?? "", whatWorked: form.whatWorked ?? "", organizations: form.organizations ?? ""),
            activities: activities, error: error)
        return try await req.view.render("model-case-new", model).encodeResponse(status: status, for: req)
    }

    struct CasePageModel: Encodable {
        struct CaseOrganization: Encodable {
            var code: String
            var name: String
            var href: String
        }

        var layout: LayoutContext
        var listHref: String
        var title: String
        var township: String
        var county: String
        var unit: String
        var buildMode: String
        var unitCategory: String
        var paragraphs: [String]
        var organizations: [CaseOrganization]
        var activities: [ActivityLine]
        var written: String
    }

    static func show(_ req: Request) async throws -> Response {
        let text = try req.parameters.require("caseID")
        guard let id = Int(text) else { throw Abort(.notFound, reason: "找不到编号为 \(text) 的典型案例") }
        let found = try await ModelCaseStore.require(id, in: try req.scope(for: .view), on: req.db)
        let township = try await DivisionQueries.find(found.divisionCode, on: req.db)
        var county = ""
        if let parent = township?.parentCode { county = try await DivisionQueries.find(parent, on: req.db)?.name ?? "" }
        let names = try await RedFlagStore.organizationNames(found.organizationCodes, on: req.db)
        let model = CasePageModel(
            layout: LayoutContext(title: found.title, area: .demonstration, request: req), listHref: SiteURL.modelCases.path, title: found.title,
            township: township?.name ?? found.divisionCode, county: county, unit: found.unitName ?? "", buildMode: found.buildMode,
            unitCategory: found.unitCategory,
            paragraphs: found.whatWorked.split(whereSeparator: \.isNewline).map { String($0).trimmedWhitespace }.filter { !$0.isEmpty },
            organizations: found.organizationCodes.map { .init(code: $0, name: names[$0] ?? $0, href: SiteURL.organization(.value($0)).path) },
            activities: try await ActivityStore.list(ids: found.activityIDs, on: req.db).map(ActivityLine.init),
            written: "\(found.createdBy) \(DisplayFormat.dateTime(found.createdAt))")
        return try await req.view.render("model-case", model).encodeResponse(for: req)
    }
}
