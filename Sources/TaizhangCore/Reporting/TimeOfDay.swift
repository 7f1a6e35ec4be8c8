/// A wall-clock time to the minute with no date or zone (a report due at 17:00).
/// Stored and sent as "HH:MM".
public struct TimeOfDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    /// A time from 0:00 to 23:59; nil outside it.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Reads "17:00", "9:30" or "17：00" (full-width colon).
    public init?(text: String) {
        let parts = ValueParser.normalize(text).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isWholeNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// Like `init(text:)`, refusing with a message that names the field and the value.
    public static func parse(_ text: String, field: String) throws -> TimeOfDay {
        guard let time = TimeOfDay(text: text) else {
            throw InvalidInput(field: field, reason: "「\(text)」不是 0:00 至 23:59 之间的时刻，应写作 17:00")
        }
        return time
    }

    public var minutesSinceMidnight: Int { hour * 60 + minute }

    /// "17:00", "09:30"
    public var description: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.minutesSinceMidnight < rhs.minutesSinceMidnight
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = TimeOfDay(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "时刻「\(text)」应为 0:00 至 23:59 之间的 HH:MM"))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
