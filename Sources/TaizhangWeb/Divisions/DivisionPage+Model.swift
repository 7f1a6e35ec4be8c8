import FluentKit
import TaizhangCore
import TaizhangStore
import Vapor

/// A division with the link to its page (the API's `DivisionResponse` carries no link).
struct DivisionLink: Encodable {
    var division: DivisionResponse
    var href: String
    /// A township's lead liaison in the campaign the page shows (rows of townships only).
    var lead: LeadLiaisonLabel?

    init(_ division: DivisionResponse, lead: LeadLiaisonLabel? = nil) {
        self.division = division
        self.href = SiteURL.division(.value(division.code)).path
        self.lead = lead
    }
}

/// The division page: the detail the API returns, plus what its forms need.
struct DivisionPage: Encodable {
    struct TagOption: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct MoveTarget: Encodable {
        var code: String
        var name: String
        var isManagementZone: Bool
    }

    var layout: LayoutContext
    var detail: DivisionDetailResponse
    /// The breadcrumbs: the ancestors the user may open.
    var ancestors: [DivisionLink]
    var children: [DivisionLink]
    var committeeHref: String
    var attributesAction: String
    var moveAction: String
    var zonesAction: String
    var isTownship: Bool
    var isCity: Bool
    var isCountyLevel: Bool
    var childHeading: String
    var tagOptions: [TagOption]
    var moveTargets: [MoveTarget]
    var today: String
    var hasChildren: Bool
    var hasMoves: Bool
    var canMove: Bool
    var showTownshipForm: Bool
    var showCommitteeNameForm: Bool
    var showZoneForm: Bool
    var youthPopulationText: String
    /// The latest campaign covering the division, whose lead liaisons the page names; its name.
    var liaisonCampaign: String?
    /// A township's own lead liaison.
    var lead: LeadLiaisonLabel?
    /// The children are townships: their table names each one's lead liaison.
    var showLiaisons: Bool
    /// A township's joint conference.
    var conference: ConferencePanel?
    /// A refused form submission, shown above the forms.
    var formError: String?

    static func build(code: String, request: Request, formError: String? = nil) async throws -> DivisionPage {
        var detail = try await DivisionDetailResponse.query(code: code, on: request.db)
        let policy = try request.requireUser().policy
        // Breadcrumbs link only to ancestors the user may open.
        var ancestorPath = ""
        var visibleAncestors: [DivisionResponse] = []
        for ancestor in detail.ancestors {
            ancestorPath += ancestor.code + "/"
            if policy.allows(.view, at: ancestorPath) { visibleAncestors.append(ancestor) }
        }
        detail.ancestors = visibleAncestors
        let division = detail.division
        let record = try await DivisionQueries.require(code, on: request.db)
        let path = record.path
        var moveTargets: [MoveTarget] = []
        if division.level == .township, let countyCode = division.parentCode,
           let county = try await DivisionQueries.find(countyCode, on: request.db), let cityCode = county.parentCode {
            moveTargets = try await DivisionQueries.children(of: cityCode, on: request.db)
                .filter { $0.level == .county && $0.code != countyCode && policy.allows(.manageZones, at: $0.path) }
                .map { MoveTarget(code: $0.code, name: $0.name, isManagementZone: $0.isManagementZone) }
        }
        // Who answers for the township, or for each township of a county, in the latest campaign covering it.
        let campaign = try await CampaignStore.list(overlapping: .within(path), on: request.db)
            .first { DivisionPath($0.regionPath).contains(path) }
        let townshipCodes = division.level == .township ? [division.code] : detail.children.filter { $0.level == .township }.map(\.code)
        var leads: [String: LiaisonCadre]?
        if let campaign {
            leads = try await LiaisonStore.leads(campaignID: campaign.id, townships: townshipCodes, on: CalendarDay.today(), on: request.db)
        }
        return DivisionPage(
            layout: LayoutContext(title: division.name, area: .divisions, request: request),
            detail: detail,
            ancestors: detail.ancestors.map { DivisionLink($0) },
            children: detail.children.map { child in
                DivisionLink(child, lead: leads.flatMap { child.level == .township ? LeadLiaisonLabel($0[child.code]) : nil })
            },
            committeeHref: SiteURL.committee(.value(division.code)).path,
            attributesAction: SiteURL.divisionAttributes(.value(division.code)).path,
            moveAction: SiteURL.divisionMove(.value(division.code)).path,
            zonesAction: SiteURL.divisionZones(.value(division.code)).path,
            isTownship: division.level == .township,
            isCity: division.level == .city,
            isCountyLevel: division.level == .county,
            childHeading: division.level.childLevel.map { "下辖\($0.label)" } ?? "",
            tagOptions: KeyAreaTag.allCases.map {
                TagOption(value: $0.rawValue, label: $0.label, checked: division.keyAreaTags.contains($0))
            },
            moveTargets: moveTargets,
            today: CalendarDay.today().description,
            hasChildren: !detail.children.isEmpty,
            hasMoves: !detail.moves.isEmpty,
            canMove: !moveTargets.isEmpty && policy.allows(.manageZones, at: path),
            showTownshipForm: division.level == .township && policy.allows(.editDivisions, at: path),
            showCommitteeNameForm: division.level == .county && policy.allows(.editDivisions, at: path),
            showZoneForm: division.level == .city && policy.allows(.manageZones, at: path),
            youthPopulationText: division.youthPopulation.map(String.init) ?? "",
            liaisonCampaign: campaign?.name,
            lead: leads.flatMap { division.level == .township ? LeadLiaisonLabel($0[division.code]) : nil },
            showLiaisons: leads != nil && detail.children.contains { $0.level == .township },
            conference: division.level == .township ? try await ConferencePanel.load(township: record, request: request) : nil,
            formError: formError
        )
    }
}

/// The division index: the loaded regions and a search over names and codes.
struct DivisionIndexPage: Encodable {
    var layout: LayoutContext
    var heading: String
    var roots: [DivisionLink]
    var query: String
    var results: [DivisionLink]
    var searched: Bool
    var hasResults: Bool
    var hasRoots: Bool

    static func build(request: Request, area: Area, heading: String) async throws -> DivisionIndexPage {
        let query = (try? request.query.get(String.self, at: "q"))?.trimmingCharacters(in: .whitespaces) ?? ""
        let roots = try await request.visibleRootDivisions()
        let counts = try await DivisionQueries.descendantCounts(of: roots, on: request.db)
        let results = query.isEmpty ? nil : try request.visible(try await DivisionQueries.search(query, limit: 200, on: request.db))
        return DivisionIndexPage(
            layout: LayoutContext(title: heading, area: area, request: request),
            heading: heading,
            roots: roots.map { DivisionLink(DivisionResponse($0, counts: counts[$0.code])) },
            query: query,
            results: (results ?? []).map { DivisionLink(DivisionResponse($0)) },
            searched: !query.isEmpty,
            hasResults: !(results ?? []).isEmpty,
            hasRoots: !roots.isEmpty
        )
    }
}
