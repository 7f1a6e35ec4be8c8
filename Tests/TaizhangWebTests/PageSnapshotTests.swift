import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

/// The main pages of the demo as the city administrator sees them, kept as HTML beside this
/// file: a change in a page — a figure, a column, a link — shows as a diff in review. The same
/// demo on both databases must give the same pages.
@Suite struct PageSnapshotTests {
    @Test(arguments: TestDatabase.all)
    func theMainPagesOfTheDemoAreAsKept(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "snapshot", grants: [(.cityAdmin, "3505")]))
            let bulletin = try #require(try await BulletinStore.list(campaign.id, on: app.db).last)
            let pages = [
                ("city-dashboard", "/campaigns/\(campaign.id)/areas/3505?asOf=2012-12-10"),
                ("county-dashboard", "/campaigns/\(campaign.id)/areas/350582?asOf=2012-12-10"),
                ("ranking", "/campaigns/\(campaign.id)/ranking?asOf=2012-12-10"),
                ("targets", "/campaigns/\(campaign.id)/targets?parent=350582"),
                ("bulletin", "/campaigns/\(campaign.id)/bulletins/\(bulletin.id)"),
                ("ledger-township", "/ledger?division=350582101"),
                ("red-flags-county", "/verification/red-flags/350583"),
                ("verification", "/verification"),
                ("review-queue-city", "/verification/queue?level=city&township=350524100"),
                ("sign-offs", "/verification/sign-offs"),
                ("spot-check-report", "/verification/spot-checks/\(try #require(try await SpotCheckStore.list(in: .everywhere, on: app.db).last).id)/report"),
            ]
            for (name, path) in pages {
                let page = try await city.get(path)
                #expect(page.status == .ok, "\(path)")
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile)
            }
        }
    }

    /// What the demo stamps with the moment it was seeded or the page was asked for.
    static let volatile: [(pattern: String, replacement: String)] = [
        (#"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"#, "TIMESTAMP"),
        ("生成于[^<]*", "生成于 NOW"),
    ]
}
