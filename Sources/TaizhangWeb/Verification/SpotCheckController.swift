import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 数据抽查 (`/verification/spot-checks`): the spot checks of the user's subtree with the draw
/// form, each spot check with its design, seed, frame, the redraw check and its sample, and the
/// form that records a finding per sampled organization. The report is `SpotCheckReportController`'s.
enum SpotCheckController {
    static func index(_ req: Request) async throws -> Response {
        try await renderIndex(req, form: nil, error: nil, status: .ok)
    }

    static func renderIndex(_ req: Request, form: SpotCheckForm?, error: String?, status: HTTPStatus) async throws -> Response {
        let user = try req.requireUser()
        let scope = try req.scope(for: .view)
        let spotChecks = try await SpotCheckStore.list(in: scope, on: req.db)
        let campaigns = try await CampaignStore.list(overlapping: scope, on: req.db)
        let campaignNames = Dictionary(campaigns.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let canDraw = user.policy.allowsSomewhere(.verify)
        let scopes = canDraw ? try await drawScopes(try req.scope(for: .verify), on: req.db) : []
        let references = try await req.referenceLists()
        var generator = SystemRandomNumberGenerator()
        let form = form ?? SpotCheckForm(campaignID: campaigns.first.map { String($0.id) }, scopeCode: scopes.first?.code,
                                         asOf: campaigns.first?.defaultAsOf.description, stratifyBy: scopes.first?.stratifyBy,
                                         sizeRule: "percent", percent: "5", minimum: "5", fixedSize: "10",
                                         seed: SpotCheckSeed.random(using: &generator).description)
        let model = IndexPage(
            layout: LayoutContext(title: "数据抽查", area: .verification, request: req),
            rows: spotChecks.map { spotCheck in
                ListRow(href: SiteURL.spotCheck(.value(spotCheck.id)).path, reportHref: SiteURL.spotCheckReport(.value(spotCheck.id)).path,
                        number: "第 \(spotCheck.id) 号", campaign: campaignNames[spotCheck.campaignID] ?? "活动 \(spotCheck.campaignID)",
                        scope: spotCheck.scopeName, asOf: spotCheck.asOf.description, design: spotCheck.design.label,
                        frameSize: spotCheck.frameSize, sampleSize: spotCheck.sampleSize, seed: spotCheck.seed.description,
                        createdBy: spotCheck.createdBy, createdAt: DisplayFormat.dateTime(spotCheck.createdAt))
            },
            canDraw: canDraw && !campaigns.isEmpty && !scopes.isEmpty,
            drawAction: SiteURL.spotChecks.path,
            campaigns: campaigns.map { Option(value: String($0.id), label: $0.name, selected: String($0.id) == form.campaignID) },
            scopes: scopes.map { Option(value: $0.code, label: $0.label, selected: $0.code == form.scopeCode) },
            stratifications: SpotCheckDesign.Stratification.allCases.map {
                Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == (form.stratifyBy ?? "county"))
            },
            categories: references.list(.unitCategory).map { Option(value: $0, label: $0, selected: $0 == form.unitCategory) },
            modes: references.list(.buildMode).map { Option(value: $0, label: $0, selected: $0 == form.buildMode) },
            form: form, fixedChosen: form.sizeRule == "fixed", flaggedFirst: form.isFlaggedFirst,
            apiHref: APIURL.spotChecks.path, error: error)
        return try await req.view.render("spot-checks", model).encodeResponse(status: status, for: req)
    }

    /// The divisions one may draw over: each subtree one verifies, and the counties of a city among them.
    static func drawScopes(_ scope: Scope, on db: any Database) async throws -> [ScopeChoice] {
        var roots: [Division] = []
        switch scope {
        case .everywhere: roots = try await DivisionQueries.deploymentRoots(on: db)
        case .within(let paths):
            for path in paths { if let code = path.code, let division = try await DivisionQueries.find(code, on: db) { roots.append(division) } }
        }
        var choices: [ScopeChoice] = []
        for root in roots where root.level != .township {
            choices.append(ScopeChoice(division: root))
            if root.level == .city || root.level == .province {
                for child in try await DivisionQueries.children(of: root.code, on: db) where child.level == .county {
                    choices.append(ScopeChoice(division: child))
                }
            }
        }
        return choices
    }

    /// `POST /verification/spot-checks`: draws and shows the new spot check.
    static func draw(_ req: Request) async throws -> Response {
        let form = try req.content.decode(SpotCheckForm.self)
        do {
            let spotCheck = try await drawSpotCheck(form, req)
            return req.redirect(to: SiteURL.spotCheck(.value(spotCheck.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await renderIndex(req, form: form, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    /// Draws as the form asks, with the open red flags of the division when they go first.
    static func drawSpotCheck(_ form: SpotCheckForm, _ req: Request) async throws -> SpotCheck {
        let request = try form.request()
        let scope = try req.scope(for: .verify)
        var flagged: Set<String> = []
        if request.design.flaggedFirst, let division = try await DivisionQueries.find(request.scopeCode, on: req.db), scope.contains(division.path) {
            let within = Scope.within(division.path)
            flagged = Set(RedFlagStore.openFlagCounts(try await RedFlagController.listing(req, within)).keys)
        }
        return try await SpotCheckStore.draw(request, flagged: flagged, in: scope, by: req.actor, on: req.db)
    }

    static func spotCheck(_ req: Request, for permission: Permission = .view) async throws -> SpotCheck {
        guard let id = req.parameters.get("spotCheckID", as: Int.self) else { throw Refusal.notFound("抽查编号应为数字") }
        return try await SpotCheckStore.find(id, in: try req.scope(for: permission), on: req.db)
    }

    static func show(_ req: Request) async throws -> Response {
        try await renderShow(req, try await spotCheck(req), error: nil, failedCode: nil, status: .ok)
    }

    static func renderShow(_ req: Request, _ spotCheck: SpotCheck, error: String?, failedCode: String?, status: HTTPStatus) async throws -> Response {
        let user = try req.requireUser()
        let samples = try await SpotCheckStore.samples(spotCheck, on: req.db)
        let redraw = try await SpotCheckStore.redraw(spotCheck, comparingLedger: req.queryText("compare") == "ledger", on: req.db)
        let campaign = try await CampaignStore.find(spotCheck.campaignID, on: req.db)
        let model = ShowPage(spotCheck, samples: samples, redraw: redraw, campaignName: campaign?.name ?? "",
                             canRecord: user.policy.allows(.verify, at: spotCheck.scopePath), error: error, failedCode: failedCode,
                             layout: LayoutContext(title: "数据抽查第 \(spotCheck.id) 号 · \(spotCheck.scopeName)", area: .verification, request: req))
        return try await req.view.render("spot-check", model).encodeResponse(status: status, for: req)
    }

    /// `POST /verification/spot-checks/{id}/samples/{code}`: records a finding.
    static func record(_ req: Request) async throws -> Response {
        let spotCheck = try await spotCheck(req, for: .verify)
        let code = try req.parameters.require("code")
        do {
            let finding = try req.content.decode(SpotCheckFindingForm.self).finding()
            try await SpotCheckStore.record(finding, for: code, in: spotCheck.id, scope: try req.scope(for: .verify), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.spotCheck(.value(spotCheck.id)).path + "#sample-\(code)", redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await renderShow(req, spotCheck, error: error.message, failedCode: code, status: ErrorPresentation(error).status)
        }
    }
}
