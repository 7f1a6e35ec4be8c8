import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The red-flag pages (数据预警): a division's open flags with their sentences and records, a
/// summary by county or township, the dismiss form, and the dismissed flags apart.
enum RedFlagController {
    /// The most open flags one page lists; the summary sends the reader further down for the rest.
    static let pageLimit = 300

    /// `/verification/red-flags`: the flags of the user's own subtree.
    static func start(_ req: Request) async throws -> Response {
        let scope = try req.scope(for: .view)
        let code: String?
        switch scope {
        case .everywhere: code = try await DivisionQueries.deploymentRoots(on: req.db).first?.code
        case .within(let roots): code = roots.first?.code
        }
        guard let code else { throw Refusal("您没有可查看的地区", kind: .notFound) }
        return req.redirect(to: SiteURL.redFlags(.value(code)).path)
    }

    static func show(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    struct DismissForm: Content {
        var flagID: String?
        var reason: String?
    }

    static func dismiss(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        do {
            let division = try await DivisionQueries.require(code, on: req.db)
            let form = try req.content.decode(DismissForm.self)
            guard let flagID = form.flagID?.nilIfBlank else { throw Refusal("缺少预警编号，请从预警列表中选择要忽略的预警") }
            let scope = Scope.within(division.path)
            try await RedFlagStore.dismiss(flagID, reason: form.reason ?? "", in: scope, try await context(req, scope),
                                          parts: req.application.redFlagParts, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.redFlags(.value(code)).path + "#dismissed", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func context(_ req: Request, _ scope: Scope, today: CalendarDay = .today()) async throws -> RedFlagStore.Context {
        try await RedFlagStore.context(for: scope, settings: RedFlagSettings(checks: req.application.settings.organizationChecks),
                                       today: today, on: req.db)
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let code = try req.parameters.require("code")
        let division = try await DivisionQueries.require(code, on: req.db)
        let user = try req.requireUser()
        let scope = Scope.within(division.path)
        let listing = try await listing(req, scope)
        let names = try await organizationNames(listing, on: req.db)
        let ancestors = try await DivisionQueries.ancestors(of: division, on: req.db).filter { user.policy.allows(.view, at: $0.path) }
        let children = division.level == .township ? [] : try await DivisionQueries.children(of: code, on: req.db)
        let model = PageModel(
            layout: LayoutContext(title: "数据预警 · \(division.name)", area: .verification, request: req),
            divisionName: division.name,
            divisionHref: SiteURL.division(.value(code)).path,
            breadcrumbs: ancestors.map { Link(label: $0.name, href: SiteURL.redFlags(.value($0.code)).path) },
            apiHref: APIURL.redFlags(.value(code)).path,
            dismissAction: SiteURL.redFlagDismiss(.value(code)).path,
            openCount: listing.open.count,
            dismissedCount: listing.dismissed.count,
            kinds: kindCounts(listing.open),
            children: childRows(children, listing.open),
            childLevel: division.level == .city ? "县（市、区）" : "乡镇（街道）",
            flags: listing.open.prefix(pageLimit).map { flagRow($0, names: names) },
            truncated: listing.open.count > pageLimit,
            pageLimit: pageLimit,
            dismissed: listing.dismissed.map { dismissedRow($0.dismissal, current: $0.current, names: names) },
            canDismiss: user.policy.allows(.verify, at: division.path),
            error: error)
        return try await req.view.render("red-flags", model).encodeResponse(status: status, for: req)
    }

    /// The names of the organizations the listed flags concern, for their links.
    static func organizationNames(_ listing: RedFlagStore.Listing, on db: any Database) async throws -> [String: String] {
        var codes = Set(listing.open.prefix(pageLimit).flatMap(\.codes))
        for entry in listing.dismissed { codes.formUnion(entry.dismissal.codes) }
        return try await RedFlagStore.organizationNames(Array(codes).sorted(), on: db)
    }

    static func kindCounts(_ flags: [RedFlag]) -> [KindCount] {
        let counts = Dictionary(grouping: flags, by: \.kind).mapValues(\.count)
        return RedFlagKind.allCases.map { KindCount(label: $0.label, count: counts[$0] ?? 0) }
    }

    static func childRows(_ children: [Division], _ flags: [RedFlag]) -> [ChildRow] {
        children.map { child in
            let inside = flags.filter { $0.townshipPaths.contains { DivisionPath(child.path).contains($0) } }
            return ChildRow(name: child.name, href: SiteURL.redFlags(.value(child.code)).path, count: inside.count,
                            records: Set(inside.flatMap(\.codes)).count)
        }
    }

    static func links(_ codes: [String], names: [String: String]) -> [Link] {
        codes.prefix(30).map { Link(label: names[$0] ?? $0, href: SiteURL.organization(.value($0)).path) }
    }

    static func flagRow(_ flag: RedFlag, names: [String: String]) -> FlagRow {
        FlagRow(id: flag.id, kind: flag.kind.label, sentence: flag.sentence, records: links(flag.codes, names: names),
                moreRecords: flag.codes.count > 30 ? "等另 \(flag.codes.count - 30) 个" : nil)
    }

    static func dismissedRow(_ dismissal: RedFlagStore.Dismissal, current: RedFlag?, names: [String: String]) -> DismissedRow {
        DismissedRow(id: dismissal.flagID, kind: dismissal.kind.label, sentence: dismissal.sentence, reason: dismissal.reason,
                     dismissedBy: dismissal.dismissedBy, dismissedAt: DisplayFormat.dateTime(dismissal.dismissedAt),
                     status: current == nil ? "台账已不再触发" : "仍触发，已忽略", records: links(dismissal.codes, names: names))
    }
}
