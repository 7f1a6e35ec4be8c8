import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

extension PageSnapshotTests {
    /// 挂钩联系 and 督办 as the city sees them: coverage, a stalled township's timeline beside its
    /// curve, the overdue items. The test runs long after 2012, so today's date is a placeholder.
    @Test(arguments: TestDatabase.all)
    func theLiaisonPagesOfTheDemoAreAsKept(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "snapshot", grants: [(.cityAdmin, "3505")]))
            let interview = try #require(try await EscalationStore.list(under: "35/3505/", in: .everywhere, on: app.db).last { $0.kind == .interview })
            for (name, path) in [
                ("liaisons-city", "/liaisons"),
                ("liaison-township-stalled", "/liaisons/townships/\(interview.divisionCode)"),
                ("supervision-overdue", "/supervision?view=overdue&division=350524"),
                ("escalations", "/supervision/escalations"),
            ] {
                let page = try await city.get(path)
                #expect(page.status == .ok, "\(path)")
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile + [(#"20(1[3-9]|[2-9]\d)-\d{2}-\d{2}"#, "TODAY")])
            }
        }
    }

    /// Issue 17's leftovers: the lead liaison beside each township judged (a county's completeness
    /// table, the township ranking, the division page), the weekly review beside the open items,
    /// and the administrators' outbox with a refused mail.
    @Test(arguments: TestDatabase.all)
    func theLiaisonColumnsTheWeeklyReviewAndTheOutboxAreAsKept(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "snapshot", grants: [(.cityAdmin, "3505")]))
            let recipient = try await makeTestUser(app, "snapshot-reporter", grants: [(.townshipReporter, "350582101")])
            try await ReminderStore.setMailAddress("reporter@example.org", for: recipient.id, by: testActor, on: app.db)
            _ = try await ReminderStore.queue([NewReminder(kind: .report, dedupeKey: "snapshot:outbox", recipientUserID: recipient.id,
                                                           text: ReminderText(subject: "【催报】安海镇：日报尚未报送", body: "请报送。"),
                                                           divisionCode: "350582101", divisionPath: "35/3505/350582/350582101/")],
                                              mailEnabled: true, now: Date(), by: testActor, on: app.db)
            for reminder in try await ReminderMailQueue.claim(holder: "snapshot", on: app.db) {
                try await ReminderMailQueue.recordFailure(reminder, error: "550 mailbox unavailable", holder: "snapshot", on: app.db)
            }
            for (name, path) in [
                ("reports-county-liaisons", "/campaigns/\(campaign.id)/reports?area=350526&period=daily:2012-12-10"),
                ("reports-weekly-review", "/campaigns/\(campaign.id)/reports?area=3505&period=weekly:2012-11-26"),
                ("ranking-townships", "/campaigns/\(campaign.id)/ranking?level=township&asOf=2012-12-10"),
                ("division-county-liaisons", "/divisions/350526"),
                ("outbox", "/inbox/outbox"),
            ] {
                let page = try await city.get(path)
                #expect(page.status == .ok, "\(path)")
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile + [(#"20(1[3-9]|[2-9]\d)-\d{2}-\d{2}"#, "TODAY")])
            }
        }
    }
}
