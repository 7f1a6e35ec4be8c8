import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore

/// The reminders the scheduler would have queued at 15:00 on the demo's day (the replayed
/// `TAIZHANG_TODAY`, else the campaign's last day): 催报 to the reporters and lead liaisons of the
/// townships that had not reported, 催办 for the supervision items due or overdue. Three accounts
/// have a mail address, so the administrators' outbox shows mails: 安海镇's reporter's sent, the
/// others' alternately refused by the mail server (waiting to be retried) and still queued.
enum DemoReminders {
    static let mailAccounts = ["anhai", "guagou", "jinjiang"]

    /// Called once the demo's accounts exist (they are who the reminders go to): by `DemoAccounts.prepare`,
    /// not by the seeder, so a seeded database holds no accounts of its own (tests make theirs).
    static func seed(_ campaign: Campaign, on db: any Database) async throws -> [String] {
        let day = min(CalendarDay.today(), campaign.deadline)
        let timing = ReminderTiming()
        for username in mailAccounts {
            guard let user = try await AccountStore.user(named: username, on: db), let id = user.id else { continue }
            try await ReminderStore.setMailAddress("\(username)@example.com", for: id, by: .system, on: db)
        }
        let outcome = try await ReminderGenerator.run(now: ReminderTiming.instant(day, at: timing.reportReminderTime), timing: timing,
                                                      mailEnabled: true, on: db)
        if outcome.reportReminders + outcome.supervisionReminders > 0 {
            // What a pass against a refusing mail server would have left.
            let holder = "演示"
            let sentTo = try await AccountStore.user(named: "anhai", on: db)?.id
            var others = 0
            for reminder in try await ReminderMailQueue.claim(holder: holder, limit: 50, claimFor: 0, on: db) {
                if reminder.recipientUserID == sentTo {
                    try await ReminderMailQueue.recordSent(reminder, holder: holder, on: db)
                } else {
                    if others % 2 == 0 {
                        try await ReminderMailQueue.recordFailure(reminder, error: "邮件服务器拒收：550 mailbox unavailable（演示）", holder: holder, on: db)
                    }
                    others += 1
                }
            }
        }
        return ["  提醒：\(day.chinese) \(timing.reportReminderTime) 催报 \(outcome.reportReminders) 条、催办 \(outcome.supervisionReminders) 条（在收件人的收件箱中；anhai、guagou、jinjiang 的邮件见发件箱）"]
    }
}
