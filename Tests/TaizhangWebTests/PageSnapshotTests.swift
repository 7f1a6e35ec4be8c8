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
                // The sign-off form offers today (the real day: the demo's replay fixes no day in tests).
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile + [
                    (#"value="20(1[3-9]|[2-9]\d)-\d{2}-\d{2}" max="20(1[3-9]|[2-9]\d)-\d{2}-\d{2}""#, #"value="TODAY" max="TODAY""#),
                ])
            }
        }
    }

    /// The assessment pages (年度考评): the list, the city's published scoring page, its rubric, the printable
    /// result and 晋江's preview. The demo publishes on the day it is seeded, so later days are placeholders.
    @Test(arguments: TestDatabase.all)
    func theAssessmentPagesOfTheDemoAreAsKept(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "snapshot", grants: [(.cityAdmin, "3505")]))
            let assessments = try await AssessmentStore.list(visibleIn: .everywhere, on: app.db)
            let cityAssessment = try #require(assessments.first { $0.scopeCode == "3505" }).id
            let countyAssessment = try #require(assessments.first { $0.scopeCode == "350582" }).id
            for (name, path) in [
                ("assessments", "/assessments"),
                ("assessment-city", "/assessments/\(cityAssessment)"),
                ("assessment-rubric", "/assessments/\(cityAssessment)/rubric"),
                ("assessment-result", "/assessments/\(cityAssessment)/results/2"),
                ("assessment-county-preview", "/assessments/\(countyAssessment)"),
            ] {
                let page = try await city.get(path)
                #expect(page.status == .ok, "\(path)")
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile + [
                    (#"20(1[3-9]|[2-9]\d)年\d{1,2}月\d{1,2}日"#, "TODAY"), (#"20(1[3-9]|[2-9]\d)-\d{2}-\d{2}"#, "TODAY"),
                    (#"name="year" value="\d+""#, #"name="year" value="YEAR""#),
                ])
            }
        }
    }

    /// What the demo stamps with the moment it was seeded or the page was asked for.
    static let volatile: [(pattern: String, replacement: String)] = [
        (#"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"#, "TIMESTAMP"),
        ("生成于[^<]*", "生成于 NOW"),
    ]
}
