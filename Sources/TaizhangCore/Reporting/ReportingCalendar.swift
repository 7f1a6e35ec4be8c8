import Foundation

/// Periods of a schedule: which day, week or half month a day falls in, which periods a
/// report is asked for, and the keys that name them. Days and deadlines are in Asia/Shanghai.
extension ReportingSchedule {
    /// The period of `frequency` that contains `day`: the day itself, the seven days up to the
    /// next `weekEndsOn`, or the 1st–15th / 16th–last day of its month. Weeks at the ends of
    /// the calendar (years 1 and 9999) are cut short rather than leave it.
    public func period(_ frequency: ReportingFrequency, containing day: CalendarDay) -> ReportingPeriod {
        let first: CalendarDay
        let last: CalendarDay
        switch frequency {
        case .daily:
            first = day
            last = day
        case .weekly:
            let endIndex = Weekday.allCases.firstIndex(of: weekEndsOn)!
            let lastNumber = day.dayNumber + (endIndex - day.weekdayFromMonday + 7) % 7
            first = CalendarDay(dayNumber: max(lastNumber - 6, Self.earliestDay.dayNumber))
            last = CalendarDay(dayNumber: min(lastNumber, Self.latestDay.dayNumber))
        case .halfMonthly:
            let monthEnd = CalendarDay.daysIn(month: day.month, year: day.year)
            first = CalendarDay(year: day.year, month: day.month, day: day.day <= 15 ? 1 : 16)!
            last = CalendarDay(year: day.year, month: day.month, day: day.day <= 15 ? 15 : monthEnd)!
        }
        let rule = self[frequency]
        return ReportingPeriod(
            frequency: frequency, firstDay: first, lastDay: last,
            closesAt: Self.instant(last, daysLater: 1, at: TimeOfDay(hour: 0, minute: 0)!),
            dueAt: Self.instant(last, daysLater: rule.dueDaysAfterEnd, at: rule.dueTime))
    }

    /// The periods of `frequency` a report is asked for that overlap `first…last`, in order:
    /// none when the frequency is switched off, none that end before its start date.
    public func periods(_ frequency: ReportingFrequency, from first: CalendarDay, through last: CalendarDay) -> [ReportingPeriod] {
        let rule = self[frequency]
        guard rule.isEnabled else { return [] }
        let start = max(first, rule.startsOn ?? first)
        guard start <= last else { return [] }
        var result = [period(frequency, containing: start)]
        while let previous = result.last, previous.lastDay < last {
            result.append(period(frequency, containing: previous.lastDay.adding(days: 1)))
        }
        return result
    }

    /// The period a key names ("daily:2012-11-28", "weekly:2012-11-26",
    /// "half_monthly:2012-11-16"); the day must be the first of its period.
    public func period(key: String) throws -> ReportingPeriod {
        let field = "报送周期"
        let parts = key.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let frequency = ReportingFrequency(rawValue: String(parts[0])) else {
            throw InvalidInput(field: field,
                reason: "「\(key)」不是报送周期，应写作 daily:2012-11-28、weekly:2012-11-26 或 half_monthly:2012-11-16")
        }
        guard let day = CalendarDay(iso: String(parts[1])) else {
            throw InvalidInput(field: field, reason: "「\(key)」中的日期「\(parts[1])」不存在或不是 YYYY-MM-DD 格式")
        }
        let found = period(frequency, containing: day)
        guard found.firstDay == day else {
            throw InvalidInput(field: field,
                reason: "「\(key)」不是\(frequency.label)周期的第一天：\(day.chinese)所在的周期从\(found.firstDay.chinese)开始")
        }
        return found
    }

    private static let earliestDay = CalendarDay(year: 1, month: 1, day: 1)!
    private static let latestDay = CalendarDay(year: 9999, month: 12, day: 31)!

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .shanghai
        return calendar
    }()

    /// `time` on the day `days` after `day`, Asia/Shanghai wall clock. The calendar carries a
    /// day past the month's end into the next month (December 32 is January 1).
    private static func instant(_ day: CalendarDay, daysLater days: Int, at time: TimeOfDay) -> Date {
        calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day + days,
                                           hour: time.hour, minute: time.minute))!
    }
}
