import Foundation
import SQLKit
import TaizhangCore
import TaizhangMail
import TaizhangStore
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import Vapor

/// 发件箱: the city's administrator sees the reminder mails queued, failed (with the error and the
/// next try) and sent, and retries a failed one now; a sent one is not sent twice.
@Suite struct OutboxWebTests {
    /// Accepts every message and remembers it.
    final class RecordingSender: MailSender, @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [MailMessage] = []
        var messages: [MailMessage] { lock.withLock { sent } }

        func send(_ message: MailMessage) async throws {
            lock.withLock { sent.append(message) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAdministratorRetriesAFailedMailNowAndItIsSentOnce(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let users = try await ReminderWebTests.queueReminders(app, mail: true)
            // A pass against a refusing server: the first mail fails, the second is sent, the rest stay queued.
            let claimed = try await ReminderMailQueue.claim(holder: "test", limit: 2, on: app.db)
            try #require(claimed.count == 2)
            try await ReminderMailQueue.recordFailure(claimed[0], error: "550 mailbox unavailable", holder: "test", on: app.db)
            try await ReminderMailQueue.recordSent(claimed[1], holder: "test", on: app.db)

            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "outbox-city", grants: [(.cityAdmin, "3505")]))
            let reporter = try await BrowserSession.signIn(app, users[0])
            #expect(try await city.get("/inbox").body.contains(#"href="/inbox/outbox""#))
            #expect(!(try await reporter.get("/inbox")).body.contains(#"href="/inbox/outbox""#))
            #expect(try await reporter.get("/inbox/outbox").status == .forbidden)

            let page = try await city.get("/inbox/outbox")
            #expect(page.status == .ok)
            #expect(page.body.contains("排队待发（\(users.count - 2) 封）") && page.body.contains("发送失败待重试（1 封）") && page.body.contains("已发送（1 封）"))
            #expect(row(of: "reminder-\(claimed[0].id)", in: page.body).contains("550 mailbox unavailable"))

            // Without a mail server the retry makes the mail due now; with one it is sent there and then.
            let due = try await city.post("/inbox/outbox/\(claimed[0].id)/retry", [:])
            #expect(due.status == .seeOther && due.headers.first(name: .location)?.contains("notice=due") == true)
            let sender = RecordingSender()
            app.reminderMailSender = sender
            let retried = try await city.post("/inbox/outbox/\(claimed[0].id)/retry", [:])
            #expect(retried.headers.first(name: .location)?.contains("notice=sent") == true)
            #expect(sender.messages.map(\.to) == [[try #require(claimed[0].mail.address)]])
            #expect(try await ReminderOutbox.list(.sent, in: .everywhere, on: app.db).map(\.id).sorted() == [claimed[0].id, claimed[1].id].sorted())
            let audit = try await app.db.sql.select().column("action").from("audit_events").where("action", .equal, "reminder.retry_now").all()
            #expect(audit.count == 2)

            // A mail already sent is not sent again; another city's administrator finds nothing.
            let again = try await city.post("/inbox/outbox/\(claimed[0].id)/retry", [:])
            #expect(again.status == .conflict && again.body.contains("不再重发"))
            #expect(sender.messages.count == 1)
            _ = try await DivisionLoader.load(region: "3501", from: bundledDivisions, by: testActor, on: app.db)
            let fuzhou = try await BrowserSession.signIn(app, try await makeTestUser(app, "outbox-fuzhou", grants: [(.cityAdmin, "3501")]))
            #expect(try await fuzhou.post("/inbox/outbox/\(claimed[0].id)/retry", [:]).status == .notFound)
        }
    }
}
