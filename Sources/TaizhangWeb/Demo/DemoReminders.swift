import FluentKit
import TaizhangCore
import TaizhangStore

/// The reminders the scheduler would have queued at 15:00 on the demo's day (the replayed
/// `TAIZHANG_TODAY`, else the campaign's last day): 催报 to the reporters and lead liaisons of the
/// townships that had not reported, 催办 for the supervision items due or overdue. Inbox only.
enum DemoReminders {
    /// Called once the demo's accounts exist (they are who the reminders go to): by `DemoAccounts.prepare`,
    /// not by the seeder, so a seeded database holds no accounts of its own (tests make theirs).
    static func seed(_ campaign: Campaign, on db: any Database) async throws -> [String] {
        let day = min(CalendarDay.today(), campaign.deadline)
        let timing = ReminderTiming()
        let outcome = try await ReminderGenerator.run(now: ReminderTiming.instant(day, at: timing.reportReminderTime), timing: timing,
                                                      mailEnabled: false, on: db)
        return ["  提醒：\(day.chinese) \(timing.reportReminderTime) 催报 \(outcome.reportReminders) 条、催办 \(outcome.supervisionReminders) 条（在收件人的收件箱中）"]
    }
}
