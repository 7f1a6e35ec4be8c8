/// A day of the week; Chinese weeks run Monday to Sunday, so `allCases` starts on Monday.
public enum Weekday: String, Codable, Sendable, CaseIterable, Hashable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// 星期一 … 星期日
    public var label: String {
        "星期" + ["一", "二", "三", "四", "五", "六", "日"][Self.allCases.firstIndex(of: self)!]
    }
}

extension CalendarDay {
    /// The day of the week this day falls on.
    public var weekday: Weekday { Weekday.allCases[weekdayFromMonday] }
}
