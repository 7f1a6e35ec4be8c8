import TaizhangFiles

extension XLSXCell {
    /// Excel's day 0. Serial days are right from 1900-03-01 on (Excel counts a 1900-02-29).
    private static let excelEpoch = CalendarDay(year: 1899, month: 12, day: 30)!.dayNumber

    /// A calendar day as an Excel date; as text before 1900-03-01, where Excel's serial days
    /// are off by its fictitious 1900-02-29.
    public static func date(_ day: CalendarDay) -> XLSXCell {
        guard (day.year, day.month) >= (1900, 3) else { return .text(day.description) }
        return .serialDate(day.dayNumber - excelEpoch)
    }
}
