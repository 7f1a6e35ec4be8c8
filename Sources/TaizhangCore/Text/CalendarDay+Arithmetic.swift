/// Day arithmetic on whole days, without Foundation's calendar (fast enough for every row of a
/// daily series).
extension CalendarDay {
    /// 0 for Monday … 6 for Sunday.
    public var weekdayFromMonday: Int {
        // Days since 1970-01-05, a Monday.
        let days = Self(year: 1970, month: 1, day: 5)!.days(until: self)
        return ((days % 7) + 7) % 7
    }

    /// Whole days from this day to `other` (negative when `other` is earlier).
    public func days(until other: CalendarDay) -> Int {
        other.dayNumber - dayNumber
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for day arithmetic without Foundation.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day with this day number (inverse of `dayNumber`). Saturates at 0001-01-01 and
    /// 9999-12-31 rather than trap: dates from requests are kept inside `plausible`, far from both.
    public init(dayNumber: Int) {
        let z = min(max(dayNumber, Self.firstDayNumber), Self.lastDayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }

    private static let firstDayNumber = -719_162  // 0001-01-01
    private static let lastDayNumber = 2_932_896  // 9999-12-31
}
