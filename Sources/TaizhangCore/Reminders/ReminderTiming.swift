import Foundation

/// When reminders are due, in Asia/Shanghai: 催报 at a set time of day on a day a report is due,
/// 催办 from the day before an item's deadline on.
public struct ReminderTiming: Sendable, Hashable {
    /// The time of day the 催报 reminders go out (TAIZHANG_REMIND_AT, default 15:00).
    public var reportReminderTime: TimeOfDay

    public init(reportReminderTime: TimeOfDay = ReminderTiming.defaultReportReminderTime) {
        self.reportReminderTime = reportReminderTime
    }

    public static let defaultReportReminderTime = TimeOfDay(hour: 15, minute: 0)!

    /// The day `instant` falls on in Asia/Shanghai (the instant itself decides, not a demo's fixed day:
    /// callers pass `ReportingClock.now()`, which already carries it).
    public static func day(of instant: Date) -> CalendarDay {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return CalendarDay(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// `time` on `day`, Asia/Shanghai wall clock.
    public static func instant(_ day: CalendarDay, at time: TimeOfDay) -> Date {
        calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute))!
    }

    /// The periods whose report is due on the day of `now`, once the reminder time of that day has
    /// come (15:00:00 exactly counts, 14:59:59 does not); none before it. Only periods asked for
    /// (the frequency switched on, not before its start) and inside the campaign's window.
    public func reportPeriodsToChase(_ schedule: ReportingSchedule, campaignStart: CalendarDay, campaignDeadline: CalendarDay,
                                     now: Date) -> [ReportingPeriod] {
        let today = Self.day(of: now)
        guard now >= Self.instant(today, at: reportReminderTime) else { return [] }
        return ReportingFrequency.allCases.compactMap { frequency in
            let rule = schedule[frequency]
            guard rule.isEnabled else { return nil }
            let lastDay = today.adding(days: -rule.dueDaysAfterEnd)
            let period = schedule.period(frequency, containing: lastDay)
            guard period.lastDay == lastDay else { return nil }
            if let start = rule.startsOn, period.lastDay < start { return nil }
            guard period.lastDay >= campaignStart, period.firstDay <= campaignDeadline else { return nil }
            return period
        }
    }

    /// Whether a supervision item with this deadline (a calendar day) is chased at `now`: from
    /// 0:00 of the day before its deadline ("due tomorrow"), and every day after it while open.
    public static func chasesItem(deadline: CalendarDay, now: Date) -> Bool {
        day(of: now) >= deadline.adding(days: -1)
    }

    /// Whether the item is overdue at `now`: from 0:00:00 of the day after its deadline.
    public static func isOverdue(deadline: CalendarDay, now: Date) -> Bool {
        now >= instant(deadline.adding(days: 1), at: TimeOfDay(hour: 0, minute: 0)!)
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .shanghai
        return calendar
    }()
}

/// How long a failed e-mail waits before the next try: one minute, doubling with each failure,
/// at most six hours. A reminder is never dropped; it waits.
public enum MailRetry {
    public static let firstDelay: TimeInterval = 60
    public static let longestDelay: TimeInterval = 6 * 3600

    /// The wait after the `attempts`-th failed try (1 for the first failure).
    public static func delay(afterAttempts attempts: Int) -> TimeInterval {
        let doublings = min(max(attempts - 1, 0), 20)
        return min(firstDelay * pow(2, Double(doublings)), longestDelay)
    }
}
