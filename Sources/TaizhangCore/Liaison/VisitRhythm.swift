/// How often a township should be visited during a campaign (走访频次): at least `perMonth`
/// visits in any 30 days. The county page lists townships below it and how long since their last visit.
public struct VisitRhythm: Sendable, Hashable, Codable {
    public var perMonth: Int

    public static let standard = VisitRhythm(perMonth: 3)

    public init(perMonth: Int) {
        self.perMonth = max(0, perMonth)
    }

    /// The window the rhythm is counted over, ending on `day` (30 days inclusive).
    public func window(endingOn day: CalendarDay) -> ClosedRange<CalendarDay> {
        day.adding(days: -29)...day
    }

    /// Whether `visits` in the window ending on `day` fall short.
    public func isBelow(visits: Int) -> Bool {
        visits < perMonth
    }

    public var label: String { "每 30 天至少走访 \(perMonth) 次" }
}
