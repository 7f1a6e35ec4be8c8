import Foundation
import Synchronization

/// A calendar date with no time of day or zone (筹建批复日期, 成立日期, a move's date).
/// Stored and sent as "YYYY-MM-DD", which sorts as text in the same order as the dates.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly "YYYY-MM-DD": ten ASCII characters, digits but for the two hyphens (no
    /// sign, no spaces). Read byte by byte: a ledger page reads two dates a row.
    public init?(iso text: String) {
        var text = text
        let parts: (year: Int, month: Int, day: Int)? = text.withUTF8 { bytes in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = bytes[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int(digit)
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            return (year, month, day)
        }
        guard let parts else { return nil }
        self.init(year: parts.year, month: parts.month, day: parts.day)
    }

    public var description: String {
        // Without String(format:), which is slow on Linux and runs once per imported date.
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// The days anyone can mean in a ledger, a campaign or a report. A typed or requested date
    /// outside is refused, so no day arithmetic or day-by-day loop that a request drives can leave
    /// the years `CalendarDay` represents.
    public static let plausible: ClosedRange<CalendarDay> =
        CalendarDay(year: 1900, month: 1, day: 1)!...CalendarDay(year: 2199, month: 12, day: 31)!

    /// 2012年11月5日
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> CalendarDay {
        CalendarDay(dayNumber: dayNumber + days)
    }

    /// Today in the given zone (the League works in Asia/Shanghai), or the day fixed by
    /// `fixToday` (TAIZHANG_TODAY=YYYY-MM-DD) — for a demo that replays a past campaign as if it were running.
    public static func today(in zone: TimeZone = .shanghai, now: Date = Date()) -> CalendarDay {
        if let fixed = fixedToday { return fixed }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDay(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// The day fixed for a demo that replays a past campaign (`TAIZHANG_TODAY`, which the
    /// executable's settings read and set here at start-up), or nil in real use.
    public static var fixedToday: CalendarDay? { fixedTodayBox.withLock { $0 } }

    public static func fixToday(_ day: CalendarDay?) {
        fixedTodayBox.withLock { $0 = day }
    }

    private static let fixedTodayBox = Mutex<CalendarDay?>(nil)

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "日期「\(text)」应为 YYYY-MM-DD 格式"))
        }
        guard Self.plausible.contains(day) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "日期「\(text)」超出可用的年份（1900—2199 年）"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension TimeZone {
    public static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
}
