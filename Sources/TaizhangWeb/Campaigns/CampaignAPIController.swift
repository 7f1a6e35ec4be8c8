import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/campaigns…`: campaigns, the dashboard figures of any area, rankings, allocations
/// and proposals — the same operations as the pages, as JSON.
enum CampaignAPIController {
    struct CampaignJSON: Content {
        var id: Int
        var name: String
        var regionCode: String
        var start: CalendarDay
        var deadline: CalendarDay
        var target: Int
        var rule: CountingRule
        var version: Int

        init(_ campaign: Campaign) {
            id = campaign.id
            name = campaign.name
            regionCode = campaign.regionCode
            start = campaign.start
            deadline = campaign.deadline
            target = campaign.target
            rule = campaign.rule
            version = campaign.version
        }
    }

    struct AreaFigures: Content {
        var code: String
        var name: String
        var level: DivisionLevel?
        var target: Int
        var hasTarget: Bool
        var counted: Int
        var percent: Double
        var remaining: Int
        var newToday: Int
        var newThisWeek: Int
        var lastSevenDays: Int
        var expected: Int
        var neededPerDay: Double?
        var actualPerDay: Double
        var projectedCompletion: CalendarDay?
        var isBehindPace: Bool
        var isStalled: Bool
        var rank: Int?

        init(_ figures: CampaignProgress.Figures, rank: Int? = nil) {
            let p = figures.progress
            code = figures.area.code
            name = figures.area.name
            level = figures.area.level
            target = p.target
            hasTarget = figures.hasTarget
            counted = p.counted
            percent = (p.percent * 100).rounded() / 100
            remaining = p.remaining
            newToday = p.newToday
            newThisWeek = p.newThisWeek
            lastSevenDays = p.lastSevenDays
            expected = p.expected
            neededPerDay = p.neededPerDay.map { ($0 * 100).rounded() / 100 }
            actualPerDay = (p.actualPerDay * 100).rounded() / 100
            projectedCompletion = p.projectedCompletion
            isBehindPace = p.isBehindPace
            isStalled = p.isStalled
            self.rank = rank
        }
    }

    struct Count: Content {
        var name: String
        var count: Int
    }

    struct ProgressResponse: Content {
        var campaign: CampaignJSON
        var asOf: CalendarDay
        var area: AreaFigures
        var children: [AreaFigures]
        var daily: [CampaignProgress.DayPoint]
        var stages: [Count]
        var unitCategories: [Count]
        var buildModes: [Count]
    }

    struct RankingResponse: Content {
        var campaignID: Int
        var level: DivisionLevel
        var asOf: CalendarDay
        var areas: [AreaFigures]
    }

    static func list(_ req: Request) async throws -> [CampaignJSON] {
        try await CampaignStore.list(overlapping: try req.scope(for: .view), on: req.db).map(CampaignJSON.init)
    }

    static func show(_ req: Request) async throws -> CampaignJSON {
        CampaignJSON(try req.requireCampaign())
    }

    static func create(_ req: Request) async throws -> Response {
        let draft = try req.content.decode(CampaignDraft.self)
        try await CampaignController.authorizeRegion(req, code: draft.regionCode, permission: .manageCampaigns)
        let campaign = try await CampaignStore.create(draft, by: req.actor, on: req.db)
        return try await CampaignJSON(campaign).encodeResponse(status: .created, for: req)
    }

    /// The dashboard of `?area=` (default: the caller's landing area) on `?asOf=`.
    /// Encoded once per campaign, area and day, and served from the cache until the data changes.
    static func progress(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let area = try await req.queryText("area")?.nilIfBlank
            .asyncMap { try await CampaignDashboard.area($0, campaign: campaign, req: req) }
        let asOf = try CampaignDashboard.asOf(req, campaign: campaign, blankMeansDefault: false)
        let chosen: CampaignArea
        if let area { chosen = area } else { chosen = try await CampaignDashboard.landingArea(campaign, req: req) }
        let key = CampaignDashboard.cacheKey(campaign, area: chosen, asOf: asOf)
        let body = try await req.application.campaignCaches.progressJSON.value(key, at: try await req.dataVersion()) {
            let data = try await CampaignDashboard.cached(campaign, area: chosen, asOf: asOf, req: req)
            return try await progressResponse(data, campaign: campaign, asOf: asOf).encodeResponse(for: req).body.buffer
                ?? ByteBuffer()
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }

    static func progressResponse(_ data: CampaignDashboard, campaign: Campaign, asOf: CalendarDay) -> ProgressResponse {
        ProgressResponse(
            campaign: CampaignJSON(campaign), asOf: asOf, area: AreaFigures(data.figures),
            children: data.children.enumerated().map { AreaFigures($1, rank: $0 + 1) }, daily: data.series,
            stages: data.stages.map { Count(name: $0.stage.label, count: $0.count) },
            unitCategories: data.categories.map { Count(name: $0.name, count: $0.count) },
            buildModes: data.modes.map { Count(name: $0.name, count: $0.count) })
    }

    static func ranking(_ req: Request) async throws -> RankingResponse {
        let campaign = try req.requireCampaign()
        let level = try CampaignController.rankingLevel(req, campaign: campaign)
        let asOf = try CampaignDashboard.asOf(req, campaign: campaign, blankMeansDefault: false)
        let ranked = try await CampaignController.rankedFigures(campaign, level: level, asOf: asOf, on: req.db)
        return RankingResponse(campaignID: campaign.id, level: level, asOf: asOf,
                               areas: ranked.enumerated().map { AreaFigures($1, rank: $0 + 1) })
    }

    struct AllocationRequest: Content {
        var parentCode: String
        var method: TargetAllocation.Method
        var weights: WeightRule?
        var shares: [String: Int]?
        var cascade: Bool?
        var reason: String?
        var excluded: [String]?
        var dryRun: Bool?
    }

    struct AllocationResponse: Content {
        var saved: Bool
        var shares: [CampaignStore.Share]
    }

    static func allocate(_ req: Request) async throws -> AllocationResponse {
        let campaign = try req.requireCampaign()
        let body = try req.content.decode(AllocationRequest.self)
        _ = try await CampaignDashboard.area(body.parentCode, campaign: campaign, req: req)
        let allocation = CampaignStore.Allocation(parentCode: body.parentCode, method: body.method, weights: body.weights ?? .init(),
                                                  manualShares: body.shares ?? [:], cascade: body.cascade ?? false, reason: body.reason,
                                                  excluded: Set(body.excluded ?? []))
        if body.dryRun == true {
            return AllocationResponse(saved: false, shares: try await CampaignStore.preview(campaign.id, allocation, on: req.db))
        }
        return AllocationResponse(saved: true, shares: try await CampaignStore.allocate(campaign.id, allocation, by: req.actor, on: req.db))
    }

    struct ProposalRequest: Content {
        var parentCode: String
        var shares: [String: Int]
        var reason: String
    }

    static func propose(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let body = try req.content.decode(ProposalRequest.self)
        let area = try await CampaignDashboard.area(body.parentCode, campaign: campaign, req: req)
        guard try req.requireUser().policy.allows(.proposeTargets, at: area.path) else { throw AccessDenied.notPermitted(area.name) }
        let proposal = try await CampaignStore.propose(campaign.id, divisionCode: area.code, shares: body.shares, reason: body.reason,
                                                       by: req.actor, on: req.db)
        return try await proposal.encodeResponse(status: .created, for: req)
    }

    struct DecisionRequest: Content {
        var decision: String
        var note: String?
    }

    static func decide(_ req: Request) async throws -> TargetProposal {
        let campaign = try req.requireCampaign()
        let body = try req.content.decode(DecisionRequest.self)
        guard let id = req.parameters.get("proposalID", as: Int.self),
              let proposal = try? await CampaignStore.proposal(id, on: req.db), proposal.campaignID == campaign.id else {
            throw Refusal("找不到该调整方案", kind: .notFound)
        }
        guard ["accept", "reject"].contains(body.decision) else {
            throw Refusal("decision：应为 accept 或 reject（现为「\(body.decision)」）")
        }
        return try await CampaignStore.decide(proposal.id, accept: body.decision == "accept", note: body.note, by: req.actor, on: req.db)
    }
}

extension TargetProposal: Content {}
extension CampaignStore.Share: Content {}
