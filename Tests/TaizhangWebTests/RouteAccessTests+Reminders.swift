import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport

/// The probes of the 收件箱 (reminders, issue 17 part 4): every signed-in user has an inbox of their own.
extension RouteAccessTests {
    static var reminderProbes: [Probe] {
        [
            Probe(method: .GET, route: "/inbox", requirement: .signedIn, path: { _ in "/inbox" }),
            Probe(method: .POST, route: "/inbox/read", requirement: .signedIn, path: { _ in "/inbox/read" }, form: ["all": "1"]),
            Probe(method: .POST, route: "/inbox/mail-address", requirement: .signedIn, path: { _ in "/inbox/mail-address" },
                  form: ["address": "probe@example.org"]),
            Probe(method: .GET, route: "/inbox/outbox", requirement: .somewhere(.manageCampaigns), path: { _ in "/inbox/outbox" }),
            Probe(method: .POST, route: "/inbox/outbox/:reminderID/retry", requirement: .somewhereThenOn(.manageCampaigns, township),
                  path: { f in "/inbox/outbox/\(try await waitingMail(f))/retry" }, form: [:]),
            Probe(method: .GET, route: "/api/v1/inbox", requirement: .signedIn, path: { _ in "/api/v1/inbox?unread=1" }),
            Probe(method: .POST, route: "/api/v1/inbox/read", requirement: .signedIn, path: { _ in "/api/v1/inbox/read" }, json: { "{}" }),
        ]
    }

    /// A reminder mail to the target user about the target township, waiting in the outbox.
    static func waitingMail(_ f: Fixture) async throws -> Int {
        try await ReminderStore.setMailAddress("probe@example.org", for: f.targetUser.id, by: probeActor, on: f.app.db)
        _ = try await ReminderStore.queue([NewReminder(kind: .report, dedupeKey: "probe:outbox", recipientUserID: f.targetUser.id,
                                                       text: ReminderText(subject: "探针提醒", body: "探针"), divisionCode: township,
                                                       divisionPath: try await DivisionQueries.require(township, on: f.app.db).path)],
                                          mailEnabled: true, now: Date(), by: probeActor, on: f.app.db)
        return try await f.app.db.sql.select().column("id").from("reminders").where("dedupe_key", .equal, "probe:outbox")
            .first(decodingColumn: "id", as: Int.self) ?? 0
    }
}
