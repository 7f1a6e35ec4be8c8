import Foundation
import SQLKit
import TaizhangCore
import TaizhangMail
import TaizhangStore
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import Vapor

/// Reminders end to end: two app instances on one database, both running the scheduler, mail each
/// reminder exactly once to a real SMTP server (aiosmtpd); a refusing or unreachable server leaves
/// the reminder queued with its error, shown in the inbox, and a later retry sends it; the inbox
/// page, its header count and its API.
@Suite(.serialized) struct ReminderWebTests {
    static func shanghai(_ day: String, _ hour: Int, _ minute: Int, _ second: Int) -> Date {
        ReminderTiming.instant(CalendarDay(iso: day)!, at: TimeOfDay(hour: hour, minute: minute)!).addingTimeInterval(Double(second))
    }

    static let townships = ["350582101", "350582102", "350582103", "350582104", "350582105", "350582106"]

    /// 泉州's campaign with daily reports due at 17:00, a reporter (with a mail address) for six
    /// 晋江 townships, none of which has reported for 3 December; the reminders of 15:00 queued.
    static func queueReminders(_ app: Application, mail: Bool) async throws -> [TestUser] {
        _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
        let campaign = try await CampaignStore.create(
            CampaignDraft(name: "泉州市乡镇“大团委”建团", regionCode: "3505", start: CalendarDay(iso: "2012-10-15")!,
                          deadline: CalendarDay(iso: "2012-12-15")!, target: 5000), by: testActor, on: app.db)
        try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .weighted, weights: WeightRule(floorPerTownship: 20), cascade: true),
                                         by: testActor, on: app.db)
        try await ReportStore.setSchedule(.standard(startingOn: CalendarDay(iso: "2012-11-15")!), for: campaign, by: testActor, on: app.db)
        var users: [TestUser] = []
        for (index, code) in townships.enumerated() {
            let user = try await makeTestUser(app, "reporter\(index)", grants: [(.townshipReporter, code)])
            try await ReminderStore.setMailAddress("reporter\(index)@example.org", for: user.id, by: testActor, on: app.db)
            users.append(user)
        }
        let outcome = try await ReminderGenerator.run(now: shanghai("2012-12-03", 15, 0, 0), timing: ReminderTiming(), mailEnabled: mail, on: app.db)
        #expect(outcome.reportReminders == townships.count)
        return users
    }

    static func smtp(_ port: Int) -> SMTPMailSender {
        SMTPMailSender(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, from: "noreply@taizhang.test", fromName: "台账系统", timeout: 5))
    }

    @Test(arguments: TestDatabase.all)
    func twoInstancesRunningTheSchedulerMailEachReminderExactlyOnce(_ database: TestDatabase) async throws {
        let server = try TestSMTPServer.start()
        defer { server.stop() }
        try await withTestApp(database) { app async throws in
            let users = try await Self.queueReminders(app, mail: true)
            try await withSecondInstance(of: app) { second async throws in
                app.reminderMailSender = Self.smtp(server.port)
                second.reminderMailSender = Self.smtp(server.port)
                let schedulers = [ReminderScheduler(interval: .milliseconds(100), holder: "instance-1"),
                                  ReminderScheduler(interval: .milliseconds(100), holder: "instance-2")]
                try await schedulers[0].didBootAsync(app)
                try await schedulers[1].didBootAsync(second)
                // Besides the schedulers, a pass by hand on each instance at the same moment (no lease): the claims keep them apart.
                async let byHand1 = ReminderPass.run(app, lease: nil)
                async let byHand2 = ReminderPass.run(second, lease: nil)
                _ = try await (byHand1, byHand2)
                var waited = 0
                while try await ReminderMailQueue.waitingCount(on: app.db) > 0, waited < 300 {
                    try await Task.sleep(for: .milliseconds(100))
                    waited += 1
                }
                try await Task.sleep(for: .milliseconds(500))
                await schedulers[0].shutdownAsync(app)
                await schedulers[1].shutdownAsync(second)
            }
            let messages = try server.messages()
            #expect(messages.count == users.count)
            #expect(Set(messages.flatMap(\.to)) == Set((0..<users.count).map { "reporter\($0)@example.org" }))
            #expect(messages.allSatisfy { $0.from == "noreply@taizhang.test" })
            let anhai = try #require(messages.first { $0.to == ["reporter0@example.org"] })
            #expect(anhai.subject == "【催报】安海镇：2012年12月3日日报尚未报送")
            #expect(anhai.body.contains("活动「泉州市乡镇“大团委”建团」的日报（2012年12月3日）应于 2012年12月3日 17:00 前报送"))
            for user in users {
                let inbox = try await ReminderStore.inbox(user.id, on: app.db)
                #expect(inbox.count == 1)
                #expect(inbox.first?.mail.delivery == .sent)
                #expect(inbox.first?.mail.attempts == 1)
            }
            let sent = try await AuditLog.events(entityType: "reminder", limit: 100, on: app.db).filter { $0.action == "reminder.mail_sent" }
            #expect(sent.count == users.count)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedOrUnreachableServerKeepsTheReminderQueuedAndALaterRetrySendsIt(_ database: TestDatabase) async throws {
        let refusing = try TestSMTPServer.start(refuse: 550)
        defer { refusing.stop() }
        let accepting = try TestSMTPServer.start()
        defer { accepting.stop() }
        try await withTestApp(database) { app async throws in
            let users = try await Self.queueReminders(app, mail: true)
            let start = Date()
            app.reminderMailSender = Self.smtp(refusing.port)
            let refused = try await ReminderPass.run(app, mailNow: { start }, lease: nil)
            #expect(refused.failed == users.count)
            #expect(refused.mailed == 0)
            var reminder = try #require(try await ReminderStore.inbox(users[0].id, on: app.db).first)
            #expect(reminder.mail.delivery == .pending)
            #expect(reminder.mail.attempts == 1)
            #expect(reminder.mail.lastError?.contains("550") == true)
            #expect(abs((reminder.mail.nextAttemptAt ?? .distantPast).timeIntervalSince(start) - 60) < 0.01)

            // The page says so.
            let session = try await BrowserSession.signIn(app, users[0])
            let page = try await session.get("/inbox")
            #expect(page.body.contains("邮件发送失败 1 次"))
            #expect(page.body.contains("提醒仍在待发送队列中，不会丢失"))

            // Before the retry time nothing is tried; after it, an unreachable server: still queued, the wait doubled.
            let closed = TestSMTPServer.closedPort()
            app.reminderMailSender = Self.smtp(closed)
            #expect(try await ReminderPass.run(app, mailNow: { start.addingTimeInterval(59) }, lease: nil).failed == 0)
            let unreachable = try await ReminderPass.run(app, mailNow: { start.addingTimeInterval(61) }, lease: nil)
            #expect(unreachable.failed == users.count)
            reminder = try #require(try await ReminderStore.inbox(users[0].id, on: app.db).first)
            #expect(reminder.mail.attempts == 2)
            #expect(reminder.mail.lastError?.contains("无法连接 SMTP 服务器 127.0.0.1:\(closed)") == true)
            #expect(abs((reminder.mail.nextAttemptAt ?? .distantPast).timeIntervalSince(start) - (61 + 120)) < 0.01)

            app.reminderMailSender = Self.smtp(accepting.port)
            let retried = try await ReminderPass.run(app, mailNow: { start.addingTimeInterval(61 + 121) }, lease: nil)
            #expect(retried.mailed == users.count)
            #expect(try refusing.messages().isEmpty)
            #expect(try accepting.messages().count == users.count)
            reminder = try #require(try await ReminderStore.inbox(users[0].id, on: app.db).first)
            #expect(reminder.mail.delivery == .sent)
            #expect(reminder.mail.attempts == 3)
            #expect(try await session.get("/inbox").body.contains("邮件已发送至 reporter0@example.org"))
        }
    }

    struct InboxJSON: Decodable {
        struct Reminder: Decodable {
            var id: Int
            var kind: String
            var subject: String
            var href: String?
            var readAt: Date?
        }
        var unread: Int
        var reminders: [Reminder]
    }

    @Test(arguments: TestDatabase.all)
    func theInboxShowsTheUnreadCountListsRemindersAndMarksThemRead(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let users = try await Self.queueReminders(app, mail: false)
            let session = try await BrowserSession.signIn(app, users[0])
            let home = try await session.get("/inbox")
            #expect(home.status == .ok)
            #expect(home.body.contains("data-unread=\"1\""))
            #expect(home.body.contains("【催报】安海镇：2012年12月3日日报尚未报送"))
            #expect(home.body.contains("/reports?period=daily:2012-12-03&amp;area=350582101"))

            let api = try await APIClient.make(app, as: users[0])
            let (status, body, _) = try await api.call(.GET, "/api/v1/inbox", template: "/api/v1/inbox")
            #expect(status == .ok)
            let inbox = try decode(InboxJSON.self, body)
            #expect(inbox.unread == 1)
            let id = try #require(inbox.reminders.first?.id)
            #expect(inbox.reminders.first?.kind == "report")

            // Someone else's reminder is not found, and nothing changes.
            let other = try await APIClient.make(app, as: users[1])
            let (refused, refusal, _) = try await other.call(.POST, "/api/v1/inbox/read", template: "/api/v1/inbox/read", json: "{\"ids\": [\(id)]}")
            #expect(refused == .notFound)
            #expect(errorMessage(refusal) == "您的收件箱中没有编号为 \(id) 的提醒")
            #expect(try await ReminderStore.unreadCount(users[0].id, on: app.db) == 1)

            let marked = try await session.post("/inbox/read", ["ids[]": String(id)])
            #expect(marked.status == .seeOther)
            let after = try await session.get("/inbox")
            #expect(!after.body.contains("data-unread="))
            #expect(after.body.contains("未读 <span id=\"inbox-unread\">0</span> 条"))
            let (_, all, _) = try await other.call(.POST, "/api/v1/inbox/read", template: "/api/v1/inbox/read", json: "{}")
            #expect(try decode([String: Int].self, all) == ["marked": 1, "unread": 0])
            // The header's count is kept between pages; a reminder queued meanwhile, by whatever
            // writer, shows on the next one, and reading it takes it away again.
            #expect(!(try await session.get("/ledger")).body.contains("data-unread="))
            let township = try #require(try await DivisionQueries.find(Self.townships[0], on: app.db))
            let queued = try await ReminderStore.queue([NewReminder(
                kind: .supervision, dedupeKey: "header-count-test", recipientUserID: users[0].id,
                text: ReminderText(subject: "【催办】测试事项：明日到期", body: "测试"), divisionCode: township.code,
                divisionPath: township.path)], mailEnabled: false, now: Date(), by: testActor, on: app.db)
            #expect(queued == 1)
            #expect(try await session.get("/ledger").body.contains("data-unread=\"1\""))
            #expect(try await session.post("/inbox/read", ["all": "1"]).status == .seeOther)
            #expect(!(try await session.get("/ledger")).body.contains("data-unread="))

            let bad = try await session.post("/inbox/mail-address", ["address": "安海镇团委"])
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("邮件提醒地址：「安海镇团委」不是有效的电子邮件地址"))
            #expect(try await session.post("/inbox/mail-address", ["address": "anhai@example.org"]).status == .seeOther)
            #expect(try await session.get("/inbox").body.contains("value=\"anhai@example.org\""))
        }
    }
}
