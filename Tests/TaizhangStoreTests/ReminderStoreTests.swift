import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

/// Reminders (催报 / 催办) in the store: generated at exactly the reminder time and not a second
/// before, never queued twice, marked read only by their recipient; the e-mail outbox claimed by
/// one sender at a time and retried with a growing wait; the job's lease held by one instance.
@Suite struct ReminderStoreTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    /// `hh:mm:ss` on `day`, Asia/Shanghai.
    static func shanghai(_ day: String, _ hour: Int, _ minute: Int, _ second: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .shanghai
        let d = Self.day(day)
        return calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: hour, minute: minute, second: second))!
    }

    struct Person {
        var id: UUID
    }

    struct World {
        var campaign: Campaign
        var anhai: Person
        var cizao: Person
    }

    static func reporter(_ username: String, _ code: String, on db: any Database) async throws -> Person {
        let user = try await AccountStore.createUser(.init(username: username, displayName: username, phone: nil, passwordHash: "x",
                                                           grants: [(.townshipReporter, code)]), by: testActor, on: db)
        return Person(id: try user.requireID())
    }

    /// 泉州 with the campaign's targets on every township and daily reports from 15 November due at 17:00;
    /// reporters for 安海镇 and 磁灶镇, and 磁灶镇's report of 3 December already in at 14:00.
    static func world(_ db: any Database) async throws -> World {
        _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
        let campaign = try await CampaignStore.create(
            CampaignDraft(name: "泉州市乡镇“大团委”建团", regionCode: "3505", start: day("2012-10-15"), deadline: day("2012-12-15"), target: 5000),
            by: testActor, on: db)
        try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .weighted, weights: WeightRule(floorPerTownship: 20), cascade: true),
                                         by: testActor, on: db)
        try await ReportStore.setSchedule(.standard(startingOn: day("2012-11-15")), for: campaign, by: testActor, on: db)
        let anhai = try await reporter("anhai", "350582101", on: db)
        let cizao = try await reporter("cizao", "350582102", on: db)
        let schedule = try await ReportStore.schedule(campaign, on: db)
        let area = try #require(try await CampaignStore.area("350582102", on: db))
        try await ReportStore.submit(campaign, area: area, period: schedule.period(ReportingFrequency.daily, containing: day("2012-12-03")),
                                     narrative: ReportNarrative(workProgress: "走访企业 3 家", problems: "", nextSteps: ""),
                                     at: shanghai("2012-12-03", 14, 0, 0), by: testActor, on: db)
        return World(campaign: campaign, anhai: anhai, cizao: cizao)
    }

    @Test(arguments: TestDatabase.all)
    func reportRemindersGoOutAtExactlyThreeOClockToTownshipsThatHaveNotReported(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let world = try await Self.world(app.db)
            let timing = ReminderTiming()
            let before = try await ReminderGenerator.reportReminders(now: Self.shanghai("2012-12-03", 14, 59, 59), timing: timing, on: app.db)
            #expect(before.isEmpty)
            let due = try await ReminderGenerator.reportReminders(now: Self.shanghai("2012-12-03", 15, 0, 0), timing: timing, on: app.db)
            // Only townships with a reporter account are reminded: 安海镇 (not reported), not 磁灶镇 (reported at 14:00).
            #expect(due.map(\.recipientUserID) == [world.anhai.id])
            let reminder = try #require(due.first)
            #expect(reminder.periodKey == "daily:2012-12-03")
            #expect(reminder.text.subject == "【催报】安海镇：2012年12月3日日报尚未报送")
            #expect(reminder.text.body.contains("应于 2012年12月3日 17:00 前报送"))

            let first = try await ReminderGenerator.run(now: Self.shanghai("2012-12-03", 15, 0, 0), timing: timing, mailEnabled: false, on: app.db)
            #expect(first.reportReminders == 1)
            let again = try await ReminderGenerator.run(now: Self.shanghai("2012-12-03", 16, 30, 0), timing: timing, mailEnabled: false, on: app.db)
            #expect(again.reportReminders == 0)
            #expect(try await ReminderStore.unreadCount(world.anhai.id, on: app.db) == 1)
            #expect(try await ReminderStore.unreadCount(world.cizao.id, on: app.db) == 0)
            let inbox = try await ReminderStore.inbox(world.anhai.id, on: app.db)
            #expect(inbox.map(\.mail.delivery) == [.none])
            #expect(try await AuditLog.events(entityType: "reminder", on: app.db).map(\.action) == ["reminder.queue"])
            // A time of 16:00 moves the moment.
            let later = ReminderTiming(reportReminderTime: TimeOfDay(hour: 16, minute: 0)!)
            #expect(try await ReminderGenerator.reportReminders(now: Self.shanghai("2012-12-03", 15, 30, 0), timing: later, on: app.db).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyTheRecipientMarksAReminderReadAndAStrangersIDChangesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let world = try await Self.world(app.db)
            try await ReminderGenerator.run(now: Self.shanghai("2012-12-03", 15, 0, 0), timing: ReminderTiming(), mailEnabled: false, on: app.db)
            let id = try #require(try await ReminderStore.inbox(world.anhai.id, on: app.db).first?.id)
            let refusal = await #expect(throws: Refusal.self) {
                try await ReminderStore.markRead([id], of: world.cizao.id, by: testActor, on: app.db)
            }
            #expect(refusal?.message == "您的收件箱中没有编号为 \(id) 的提醒")
            #expect(try await ReminderStore.unreadCount(world.anhai.id, on: app.db) == 1)
            #expect(try await ReminderStore.markRead([id], of: world.anhai.id, by: testActor, on: app.db) == 1)
            #expect(try await ReminderStore.unreadCount(world.anhai.id, on: app.db) == 0)
            #expect(try await ReminderStore.markRead(nil, of: world.anhai.id, by: testActor, on: app.db) == 0)
            await #expect(throws: Refusal.self) {
                try await ReminderStore.setMailAddress("安海 <x@y>", for: world.anhai.id, by: testActor, on: app.db)
            }
            #expect(try await ReminderStore.mailAddresses([world.anhai.id], on: app.db).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMailIsClaimedByOneSenderAndAFailureWaitsForItsRetry(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let world = try await Self.world(app.db)
            try await ReminderStore.setMailAddress("anhai@example.org", for: world.anhai.id, by: testActor, on: app.db)
            try await ReminderGenerator.run(now: Self.shanghai("2012-12-03", 15, 0, 0), timing: ReminderTiming(), mailEnabled: true, on: app.db)
            let now = Date()
            let claimed = try await ReminderMailQueue.claim(holder: "a", now: now, on: app.db)
            #expect(claimed.map(\.mail.address) == ["anhai@example.org"])
            #expect(try await ReminderMailQueue.claim(holder: "b", now: now, on: app.db).isEmpty)
            let reminder = try #require(claimed.first)
            let next = try await ReminderMailQueue.recordFailure(reminder, error: "550 Mailbox unavailable", holder: "a", now: now, on: app.db)
            #expect(abs(next.timeIntervalSince(now) - 60) < 0.01)
            let stored = try #require(try await ReminderStore.inbox(world.anhai.id, on: app.db).first)
            #expect(stored.mail.delivery == .pending)
            #expect(stored.mail.attempts == 1)
            #expect(stored.mail.lastError == "550 Mailbox unavailable")
            #expect(try await ReminderMailQueue.claim(holder: "b", now: now.addingTimeInterval(59), on: app.db).isEmpty)
            let retry = try await ReminderMailQueue.claim(holder: "b", now: now.addingTimeInterval(61), on: app.db)
            #expect(retry.map(\.id) == [reminder.id])
            // The first sender's late report changes nothing: the mail is the second one's now.
            try await ReminderMailQueue.recordSent(reminder, holder: "a", now: now.addingTimeInterval(62), on: app.db)
            #expect(try await ReminderStore.inbox(world.anhai.id, on: app.db).first?.mail.delivery == .pending)
            try await ReminderMailQueue.recordSent(try #require(retry.first), holder: "b", now: now.addingTimeInterval(62), on: app.db)
            let sent = try #require(try await ReminderStore.inbox(world.anhai.id, on: app.db).first)
            #expect(sent.mail.delivery == .sent)
            #expect(sent.mail.attempts == 2)
            #expect(sent.mail.lastError == nil)
            #expect(MailRetry.delay(afterAttempts: 3) == 240)
            #expect(MailRetry.delay(afterAttempts: 30) == 6 * 3600)
            let actions = try await AuditLog.events(entityType: "reminder", on: app.db).map(\.action)
            #expect(actions.filter { $0 == "reminder.mail_failed" }.count == 1)
            #expect(actions.filter { $0 == "reminder.mail_sent" }.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func oneHolderAtATimeHasTheJobsLease(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let now = Date()
            #expect(try await JobLease.take("reminders", holder: "a", for: 60, now: now, on: app.db))
            #expect(try await !JobLease.take("reminders", holder: "b", for: 60, now: now.addingTimeInterval(59), on: app.db))
            #expect(try await JobLease.take("reminders", holder: "a", for: 60, now: now.addingTimeInterval(30), on: app.db))
            #expect(try await !JobLease.take("reminders", holder: "b", for: 60, now: now.addingTimeInterval(89), on: app.db))
            #expect(try await JobLease.take("reminders", holder: "b", for: 60, now: now.addingTimeInterval(91), on: app.db))
            #expect(try await JobLease.holder(of: "reminders", on: app.db)?.holder == "b")
            // Many instances racing for a free lease: exactly one wins.
            let later = now.addingTimeInterval(1000)
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 { group.addTask { try await JobLease.take("reminders", holder: "racer-\(index)", for: 60, now: later, on: app.db) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSupervisionItemRemindsItsOwnerTheDayBeforeItsDeadlineAndAgainWhenOverdue(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let world = try await Self.world(app.db)
            try await app.db.sql.insert(into: "supervision_items")
                .columns("campaign_id", "division_code", "division_path", "title", "detail", "owner_unit", "responsible_name", "responsible_user_id",
                         "raised_on", "deadline", "state", "source", "raised_by", "created_at")
                .values(SQLBind(world.campaign.id), SQLBind("350582101"), SQLBind(try #require(try await CampaignStore.area("350582101", on: app.db)).path),
                        SQLBind("补齐团员组织关系转接"), SQLBind(""), SQLBind("安海镇团委"), SQLBind("安海"), SQLBind(world.anhai.id.uuidString),
                        SQLBind("2012-11-30"), SQLBind("2012-12-04"), SQLBind("open"), SQLBind("visit"), SQLBind("测试"), SQLBind(Date()))
                .run()
            #expect(try await ReminderGenerator.supervisionReminders(now: Self.shanghai("2012-12-02", 23, 59, 59), on: app.db).isEmpty)
            let tomorrow = try await ReminderGenerator.supervisionReminders(now: Self.shanghai("2012-12-03", 0, 0, 0), on: app.db)
            #expect(tomorrow.map(\.text.subject) == ["【催办】补齐团员组织关系转接：明日到期"])
            _ = try await ReminderStore.queue(tomorrow, mailEnabled: false, now: Date(), by: testActor, on: app.db)
            let lastSecond = try await ReminderGenerator.run(now: Self.shanghai("2012-12-04", 23, 59, 59), timing: ReminderTiming(), mailEnabled: false, on: app.db)
            #expect(lastSecond.supervisionReminders == 0)
            let overdue = try await ReminderGenerator.run(now: Self.shanghai("2012-12-05", 0, 0, 0), timing: ReminderTiming(), mailEnabled: false, on: app.db)
            #expect(overdue.supervisionReminders == 1)
            let subjects = try await ReminderStore.inbox(world.anhai.id, on: app.db).filter { $0.kind == .supervision }.map(\.subject)
            #expect(subjects == ["【催办】补齐团员组织关系转接：已逾期", "【催办】补齐团员组织关系转接：明日到期"])
            try await app.db.sql.update("supervision_items").set("state", to: "closed").run()
            #expect(try await ReminderGenerator.supervisionReminders(now: Self.shanghai("2012-12-06", 9, 0, 0), on: app.db).isEmpty)
        }
    }
}
