import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

extension LiaisonController {
    struct IndexModel: Encodable {
        var layout: LayoutContext
        var hasCampaign: Bool
        var campaignName = ""
        var areaName = ""
        var asOf = ""
        var rhythm = ""
        var rhythmDays = VisitRhythm.standard.days
        var mine: [MyTownship] = []
        var counties: [CountyRow] = []
        var total = 0
        var withLead = 0
        var townships: [TownshipRow] = []
        var form: AssignFormModel?
        var canLogVisit = false
        var rhythmForm: RhythmFormModel?
        var error: String?

        static func empty(layout: LayoutContext) -> IndexModel { IndexModel(layout: layout, hasCampaign: false) }
    }

    struct CountyRow: Encodable {
        var name: String
        var townships: Int
        var withLead: Int
        var withoutLead: Int
        var belowRhythm: Int
        var openItems: Int
        var overdueItems: Int

        init(_ county: LiaisonCoverage.County, tally: SupervisionStore.Tally?) {
            name = county.name
            townships = county.townships
            withLead = county.withLead
            withoutLead = county.withoutLead
            belowRhythm = county.belowRhythm
            openItems = tally?.open ?? 0
            overdueItems = tally?.overdue ?? 0
        }
    }

    struct TownshipRow: Encodable {
        var name: String
        var county: String
        var href: String
        var lead: String?
        var leadPhone: String?
        var helpers: String
        var lastVisit: String?
        var visits: Int
        var belowRhythm: Bool

        init(_ township: LiaisonCoverage.Township, campaignID: Int) {
            name = township.name
            county = township.countyName
            href = SiteURL.liaisonTownship(.value(township.code)).path + "?campaign=\(campaignID)"
            lead = township.lead.map { [$0.name, $0.post].compactMap(\.nilIfBlank).joined(separator: " ") }
            leadPhone = township.lead?.phone.nilIfBlank
            helpers = township.helpers.map(\.name).joined(separator: "、")
            lastVisit = township.lastVisit?.description
            visits = township.visitsInWindow
            belowRhythm = township.belowRhythm
        }
    }

    /// One of the signed-in cadre's townships: progress, pace, today's report, open items, days since the last visit.
    struct MyTownship: Encodable {
        var name: String
        var href: String
        var role: String
        var counted: Int
        var target: Int
        var percent: String
        var behindPace: Bool
        var reportToday: String
        var reported: Bool
        var openItems: Int
        var overdueItems: Int
        var daysSinceVisit: String
        var visitHref: String

        static func rows(cadre: LiaisonCadre, campaign: Campaign, rhythm: VisitRhythm, today: CalendarDay, req: Request) async throws -> [MyTownship] {
            // Only townships the account may open: a cadre assigned beyond their grant sees those on the coverage list instead.
            let visible = try req.scope(for: .view)
            let assignments = try await LiaisonStore.assignments(ofCadre: cadre.id, on: today, on: req.db)
                .filter { $0.campaignID == campaign.id && visible.contains($0.townshipPath) }
            guard !assignments.isEmpty else { return [] }
            var areas: [CampaignArea] = []
            for assignment in assignments {
                if let area = try await req.cachedArea(assignment.townshipCode) { areas.append(area) }
            }
            let figures = try await CampaignProgress.figures(campaign, areas: areas, asOf: today, on: req.db)
            let byCode = Dictionary(figures.map { ($0.area.code, $0) }, uniquingKeysWith: { a, _ in a })
            let schedule = try await ReportStore.schedule(campaign, on: req.db)
            let period = schedule.period(.daily, containing: today)
            let statuses = try await ReportStore.statuses(campaign.id, periodKey: period.key, codes: assignments.map(\.townshipCode), on: req.db)
            let now = ReportingClock.now()
            var rows: [MyTownship] = []
            for assignment in assignments {
                let items = try await SupervisionStore.items(of: assignment.townshipCode, on: req.db).filter { $0.state.isOpen }
                let rhythm = try await VisitStore.rhythm(under: assignment.townshipPath, window: rhythm.window(endingOn: today), on: req.db)
                let last = rhythm[assignment.townshipCode]?.lastVisit
                let figure = byCode[assignment.townshipCode]
                let status = statuses[assignment.townshipCode] ?? .missing
                rows.append(MyTownship(
                    name: figure?.area.name ?? assignment.townshipCode,
                    href: SiteURL.liaisonTownship(.value(assignment.townshipCode)).path + "?campaign=\(campaign.id)",
                    role: assignment.role.label, counted: figure?.progress.counted ?? 0, target: figure?.target ?? 0,
                    percent: DisplayFormat.percent(figure?.progress.percent ?? 0), behindPace: figure?.progress.isBehindPace ?? false,
                    reportToday: status.label, reported: status != .missing,
                    openItems: items.count, overdueItems: items.filter { $0.isOverdue(at: now) }.count,
                    daysSinceVisit: last.map { "\($0.days(until: today)) 天" } ?? "尚未走访",
                    visitHref: SiteURL.visitNew.path + "?township=\(assignment.townshipCode)"))
            }
            return rows
        }
    }

    /// The campaign's visit rhythm, for a city administrator to change.
    struct RhythmFormModel: Encodable {
        var action: String
        var campaignID: Int
        var visits: String
        var days: String
        var notice: String?
        var error: String?
    }

    struct AssignFormModel: Encodable {
        var action = SiteURL.liaisonAssignments.path
        var campaignID: Int
        var townships: [SelectOption]
        var cadres: [SelectOption]
        var roles: [SelectOption]
        var today: String

        static func make(campaign: Campaign, scope: Scope, today: CalendarDay, req: Request) async throws -> AssignFormModel {
            let townships = try await DivisionQueries.townships(under: scope, limit: 2000, on: req.db)
            let cadres = try await LiaisonStore.cadres(visibleIn: scope, on: req.db)
            return AssignFormModel(
                campaignID: campaign.id,
                townships: townships.map { SelectOption(value: $0.code, label: "\($0.countyName) \($0.name)") },
                cadres: cadres.map { SelectOption(value: String($0.id), label: [$0.name, $0.unit, $0.post].compactMap(\.nilIfBlank).joined(separator: " · ")) },
                roles: LiaisonRole.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) }, today: today.description)
        }
    }
}
