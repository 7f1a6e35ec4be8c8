import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

extension DemonstrationController {
    struct DemonstrationCriterionRow: Encodable {
        var title: String
        var kind: String
        var bar: String
        var evidenceRequired: Bool
    }

    struct DemonstrationTownshipRow: Encodable {
        var name: String
        var href: String
        var status: String
        var underReview: Bool
        var met: String
        var reason: String
        var nominatedBy: String
        var accepted: String?
    }

    struct DemonstrationCountyRow: Encodable {
        var name: String
        var rows: [DemonstrationTownshipRow]
    }

    struct DemonstrationsPageModel: Encodable {
        var layout: LayoutContext
        var campaignID: Int?
        var campaignName: String
        var limit: Int
        var criteria: [DemonstrationCriterionRow]
        var counties: [DemonstrationCountyRow]
        var approved: Int
        var underReview: Int
        var canNominate: Bool
        var canManage: Bool
        var townships: [SelectOption]
        var kinds: [SelectOption]
        var modelCasesHref: String
        var criteriaAction = SiteURL.demonstrationCriteria.path
        var limitAction = SiteURL.demonstrationLimit.path
        var nominateAction = SiteURL.demonstrations.path
        var error: String?
    }

    static func indexModel(_ req: Request, error: String?) async throws -> DemonstrationsPageModel {
        let layout = LayoutContext(title: "示范乡镇", area: .demonstration, request: req)
        let kinds = DemonstrationCriterion.Kind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) }
        guard let campaign = try await req.pageCampaign() else {
            return DemonstrationsPageModel(layout: layout, campaignID: nil, campaignName: "", limit: NominationLimit.standard, criteria: [], counties: [], approved: 0,
                              underReview: 0, canNominate: false, canManage: false, townships: [], kinds: kinds,
                              modelCasesHref: SiteURL.modelCases.path, error: error)
        }
        let view = try req.scope(for: .view)
        let demonstrations = try await DemonstrationStore.list(campaign.id, under: "", in: view, on: req.db)
        let checklists = try await DemonstrationStore.checklists(demonstrations, campaign: campaign, asOf: .today(), on: req.db)
        let names = try await DemonstrationNames.of(demonstrations.flatMap { [$0.townshipCode, $0.countyCode] }, on: req.db)
        var counties: [DemonstrationCountyRow] = []
        for checklist in checklists {
            let d = checklist.demonstration
            let row = DemonstrationTownshipRow(name: names[d.townshipCode] ?? d.townshipCode, href: SiteURL.demonstration(.value(d.id)).path,
                                  status: checklist.statusLabel, underReview: checklist.isUnderReview,
                                  met: "\(checklist.metCount)/\(checklist.items.count)", reason: d.reason, nominatedBy: d.nominatedBy,
                                  accepted: d.acceptance.map { "\($0.day) 验收" })
            let county = names[d.countyCode] ?? d.countyCode
            if counties.last?.name == county { counties[counties.count - 1].rows.append(row) } else { counties.append(DemonstrationCountyRow(name: county, rows: [row])) }
        }
        let criteria = try await DemonstrationStore.criteria(campaign.id, on: req.db).map { criterion in
            DemonstrationCriterionRow(title: criterion.title, kind: criterion.kind.label, bar: criterion.threshold.map { "≥ " + criterion.kind.figureText($0) } ?? "—",
                         evidenceRequired: criterion.evidenceRequired)
        }
        let nominating = try req.scope(for: .proposeTargets)
        let townships = nominating.isEmpty ? [] : try await DivisionQueries.townships(under: nominating, limit: 2000, on: req.db)
            .map { SelectOption(value: $0.code, label: "\($0.countyName) \($0.name)") }
        return DemonstrationsPageModel(
            layout: layout, campaignID: campaign.id, campaignName: campaign.name, limit: try await DemonstrationStore.nominationLimit(campaign.id, on: req.db),
            criteria: criteria, counties: counties, approved: checklists.filter { $0.demonstration.status == .approved }.count,
            underReview: checklists.filter(\.isUnderReview).count, canNominate: !nominating.isEmpty,
            canManage: try req.scope(for: .manageCampaigns).contains(campaign.regionPath), townships: townships, kinds: kinds,
            modelCasesHref: SiteURL.modelCases.path, error: error)
    }
}

/// Names of divisions for the area's pages, read once per page.
enum DemonstrationNames {
    static func of(_ codes: [String], on db: any Database) async throws -> [String: String] {
        var result: [String: String] = [:]
        for code in Set(codes) { if let division = try await DivisionQueries.find(code, on: db) { result[code] = division.name } }
        return result
    }
}
