import Foundation

/// The day, week or half month one report covers, with its deadline. Made by a
/// `ReportingSchedule`, which knows where weeks end and when reports are due.
public struct ReportingPeriod: Hashable, Codable, Sendable {
    public let frequency: ReportingFrequency
    public let firstDay: CalendarDay
    /// The period's last day, inclusive.
    public let lastDay: CalendarDay
    /// The instant the last day ends: 0:00 of the next day in Asia/Shanghai.
    public let closesAt: Date
    /// The instant the report is due; a report submitted within this second is on time.
    public let dueAt: Date

    init(frequency: ReportingFrequency, firstDay: CalendarDay, lastDay: CalendarDay, closesAt: Date, dueAt: Date) {
        self.frequency = frequency
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.closesAt = closesAt
        self.dueAt = dueAt
    }

    /// Names the period in URLs and records: frequency and first day, "weekly:2012-11-26".
    /// `ReportingSchedule.period(key:)` reads it back.
    public var key: String { frequency.rawValue + ":" + firstDay.description }

    /// 2012年11月28日 · 2012年第48周（11月26日—12月2日） · 2012年11月下半月（16日—30日）
    public var label: String {
        switch frequency {
        case .daily:
            return firstDay.chinese
        case .weekly:
            let week = weekOfYear
            let span = firstDay.year == lastDay.year
                ? "\(firstDay.month)月\(firstDay.day)日—\(lastDay.month)月\(lastDay.day)日"
                : "\(firstDay.chinese)—\(lastDay.chinese)"
            return "\(week.year)年第\(week.number)周（\(span)）"
        case .halfMonthly:
            let half = firstDay.day == 1 ? "上半月" : "下半月"
            return "\(firstDay.year)年\(firstDay.month)月\(half)（\(firstDay.day)日—\(lastDay.day)日）"
        }
    }

    /// The year a week is counted in and its number there. A week belongs to the year that
    /// holds most of its days (its fourth day) and is numbered from that year's first such
    /// week; for Monday-to-Sunday weeks this is the ISO 8601 week number.
    public var weekOfYear: (year: Int, number: Int) {
        let middle = CalendarDay(dayNumber: min(firstDay.dayNumber + 3, lastDay.dayNumber))
        let newYear = CalendarDay(year: middle.year, month: 1, day: 1)!
        return (middle.year, newYear.days(until: middle) / 7 + 1)
    }

    public func contains(_ day: CalendarDay) -> Bool {
        firstDay <= day && day <= lastDay
    }

    /// Whether the period's last day is over at `instant`.
    public func hasClosed(at instant: Date) -> Bool {
        instant >= closesAt
    }

    /// On time when submitted at or before the due second (17:00:00.999 still counts for
    /// 17:00), late after it.
    public func timeliness(ofSubmissionAt instant: Date) -> Timeliness {
        instant < dueAt.addingTimeInterval(1) ? .onTime : .late
    }
}
