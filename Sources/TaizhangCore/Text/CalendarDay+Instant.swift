import Foundation

extension CalendarDay {
    private static let shanghaiCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .shanghai
        return calendar
    }()

    /// The instant this day begins, 0:00:00 Asia/Shanghai.
    public var startInShanghai: Date {
        Self.shanghaiCalendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// The instant this day ends: 0:00:00 Asia/Shanghai of the next day.
    public var endInShanghai: Date { adding(days: 1).startInShanghai }

    /// The day an instant falls on in Asia/Shanghai.
    public init(shanghai instant: Date) {
        let c = Self.shanghaiCalendar.dateComponents([.year, .month, .day], from: instant)
        self = CalendarDay(year: c.year!, month: c.month!, day: c.day!)!
    }
}
