import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The weekly review (周报周评) beside the scope's open supervision items: each county's open and
/// overdue count next to its score, and the items themselves linked to their pages, where the
/// review closes or moves them.
extension ReportController {
    struct SupervisionPanel: Encodable {
        var open: Int
        var overdue: Int
        var rows: [SupervisionController.ItemRow]
        var hasRows: Bool
        var listHref: String
        var overdueHref: String
        var truncated: Bool
    }

    static let supervisionShown = 200

    /// The campaign's open items under `area` (and those raised outside any campaign) that the user
    /// sees, nearest deadline first (the overdue ones lead); with each unit's open and overdue count
    /// for the review rows.
    static func supervisionPanel(_ campaign: Campaign, area: CampaignArea, req: Request) async throws
        -> (panel: SupervisionPanel, tally: [String: SupervisionStore.Tally]) {
        let now = ReportingClock.now()
        let items = try await SupervisionStore.list(.open, under: area.path, in: try req.scope(for: .view), at: now, limit: 100_000, on: req.db)
            .filter { $0.campaignID == nil || $0.campaignID == campaign.id }
        let shown = items.prefix(supervisionShown)
        let names = try await SupervisionController.divisionNames(shown.map(\.divisionCode), on: req.db)
        var tally: [String: SupervisionStore.Tally] = [:]
        for item in items {
            // Counted for the item's division and every division above it (a county row counts its townships' items).
            for code in item.divisionPath.split(separator: "/").map(String.init) {
                tally[code, default: .init()].open += 1
                if item.isOverdue(at: now) { tally[code, default: .init()].overdue += 1 }
            }
        }
        let division = "?division=\(area.code)"
        let panel = SupervisionPanel(
            open: items.count, overdue: items.filter { $0.isOverdue(at: now) }.count,
            rows: shown.map { SupervisionController.ItemRow($0, at: now, divisionName: names[$0.divisionCode]) }, hasRows: !shown.isEmpty,
            listHref: SiteURL.supervision.path + division + "&view=open",
            overdueHref: SiteURL.supervision.path + division + "&view=overdue", truncated: items.count > supervisionShown)
        return (panel, tally)
    }
}
