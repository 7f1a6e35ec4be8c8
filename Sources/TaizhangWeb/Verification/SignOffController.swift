import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 签字确认: the city signs off a county's confirmed ledger as of a day; the page shows each
/// sign-off with its count, the SHA-256 of its list of codes, whether the list still hashes to
/// it, and who reopened what and why.
enum SignOffController {
    static func index(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    struct CreateForm: Content {
        var county: String?
        var asOf: String?
    }

    static func create(_ req: Request) async throws -> Response {
        do {
            let form = try req.content.decode(CreateForm.self)
            let scope = try req.requireUser().policy.reviewScope(.city)
            guard !scope.isEmpty else { throw Refusal("您没有市级签字确认的权限：签字确认须由市级核查人员进行", kind: .forbidden) }
            guard let county = form.county?.nilIfBlank else { throw Refusal("县（市、区）：请选择要签字确认的县", field: "county") }
            guard let asOf = form.asOf?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
                throw Refusal("截止日期：「\(form.asOf ?? "")」不是日期，请按 2012-12-15 的格式填写", field: "asOf")
            }
            let signOff = try await SignOffStore.signOff(county: county, asOf: asOf, scope: scope, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.signOff(.value(signOff.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func show(_ req: Request) async throws -> Response {
        try await renderOne(req, error: nil, status: .ok)
    }

    struct ReopenForm: Content {
        var reason: String?
    }

    static func reopen(_ req: Request) async throws -> Response {
        let id = try signOffID(req)
        let scope = try req.requireUser().policy.reviewScope(.city)
        // A county-level reviewer is refused outright, not shown a page of a sign-off it may not see.
        guard !scope.isEmpty else { throw Refusal("您没有撤销签字确认的权限：须由市级核查人员进行", kind: .forbidden) }
        do {
            let form = try req.content.decode(ReopenForm.self)
            _ = try await SignOffStore.reopen(id, reason: form.reason ?? "", scope: scope, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.signOff(.value(id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderOne(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func signOffID(_ req: Request) throws -> Int {
        let text = try req.parameters.require("signOffID")
        guard let id = Int(text) else { throw Abort(.notFound, reason: "找不到第 \(text) 号签字确认") }
        return id
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let user = try req.requireUser()
        let signOffs = try await SignOffStore.list(scope: try req.scope(for: .view), on: req.db)
        let cityScope = user.policy.reviewScope(.city)
        var counties: [Division] = []
        if case .within(let roots) = cityScope {
            for root in roots where root.depth <= 2 {
                guard let code = root.code else { continue }
                let children = try await DivisionQueries.children(of: code, on: req.db)
                counties += root.depth == 2 ? children : []
            }
        } else if case .everywhere = cityScope {
            for city in try await DivisionQueries.deploymentRoots(on: req.db) where city.level == .city {
                counties += try await DivisionQueries.children(of: city.code, on: req.db)
            }
        }
        let names = try await ReviewController.townshipNames(signOffs.map(\.countyCode), on: req.db)
        let model = ListModel(
            layout: LayoutContext(title: "签字确认", area: .verification, request: req),
            rows: signOffs.map { ListRow($0, name: names[$0.countyCode] ?? $0.countyCode) },
            counties: counties.map { CountyOption(code: $0.code, name: $0.name) },
            canSign: !cityScope.isEmpty, action: SiteURL.signOffs.path, today: CalendarDay.today().description, error: error)
        return try await req.view.render("signoffs", model).encodeResponse(status: status, for: req)
    }

    static func renderOne(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let id = try signOffID(req)
        let signOff = try await SignOffStore.find(id, scope: try req.scope(for: .view), on: req.db)
        let names = try await RedFlagStore.organizationNames(signOff.codes, on: req.db)
        let county = try await DivisionQueries.find(signOff.countyCode, on: req.db)
        let cityScope = try req.requireUser().policy.reviewScope(.city)
        let canReopen = signOff.isOpen && !cityScope.isEmpty
        let model = DetailModel(
            layout: LayoutContext(title: "签字确认第 \(id) 号", area: .verification, request: req),
            row: ListRow(signOff, name: county?.name ?? signOff.countyCode),
            organizations: signOff.codes.map { OrganizationLink(code: $0, name: names[$0] ?? $0, href: SiteURL.organization(.value($0)).path) },
            canReopen: canReopen,
            reopenAction: SiteURL.signOffReopen(.value(id)).path, listHref: SiteURL.signOffs.path, error: error)
        return try await req.view.render("signoff", model).encodeResponse(status: status, for: req)
    }
}
