import Foundation

/// The instant reports and bulletins are stamped with: now, or — when `TAIZHANG_TODAY` fixes
/// the day for a demo — that day at the current Asia/Shanghai time of day, so a past campaign's
/// day can be played out with real deadlines.
public enum ReportingClock {
    public static func now(_ real: Date = Date()) -> Date {
        guard let fixed = CalendarDay.fixedToday else { return real }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .shanghai
        let time = calendar.dateComponents([.hour, .minute, .second], from: real)
        return calendar.date(from: DateComponents(year: fixed.year, month: fixed.month, day: fixed.day,
                                                  hour: time.hour, minute: time.minute, second: time.second)) ?? real
    }
}
