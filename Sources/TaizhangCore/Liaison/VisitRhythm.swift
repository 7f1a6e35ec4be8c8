/// How often a township should be visited during a campaign (走访频次): at least `visits`
/// visits in any `days` days, 3 in 30 unless the campaign sets its own. The county page lists
/// townships below it and how long since their last visit.
public struct VisitRhythm: Sendable, Hashable, Codable {
    public var visits: Int
    public var days: Int

    public static let standard = VisitRhythm(visits: 3, days: 30)
    public static let visitLimit = 1...100
    public static let dayLimit = 1...366

    public init(visits: Int, days: Int) {
        self.visits = max(0, visits)
        self.days = max(1, days)
    }

    /// Reads a rhythm typed into a form or API call; every problem names its field and the range.
    public static func parse(visits: String, days: String) throws -> VisitRhythm {
        var problems: [InvalidInput] = []
        func number(_ text: String, field: String, range: ClosedRange<Int>, unit: String) -> Int? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let value = Int(trimmed), range.contains(value) else {
                problems.append(InvalidInput(field: field, reason: trimmed.isEmpty ? "请填写\(range.lowerBound)–\(range.upperBound)之间的整数"
                    : "「\(trimmed)」应为 \(range.lowerBound)–\(range.upperBound) 之间的整数（\(unit)）"))
                return nil
            }
            return value
        }
        let days = number(days, field: "统计天数", range: dayLimit, unit: "天")
        let visits = number(visits, field: "走访次数", range: visitLimit, unit: "次")
        if let days, let visits, visits > days {
            problems.append(InvalidInput(field: "走访次数", reason: "\(days) 天内走访 \(visits) 次超过每天一次，请减少次数或延长天数"))
        }
        guard problems.isEmpty, let visits, let days else { throw Refusal.invalid(problems) }
        return VisitRhythm(visits: visits, days: days)
    }

    /// The window the rhythm is counted over, ending on `day` (`days` days inclusive).
    public func window(endingOn day: CalendarDay) -> ClosedRange<CalendarDay> {
        day.adding(days: -(days - 1))...day
    }

    /// Whether `visits` in the window ending on `day` fall short.
    public func isBelow(visits count: Int) -> Bool {
        count < visits
    }

    public var label: String { "每 \(days) 天至少走访 \(visits) 次" }
}
