/// Where one division stands in a campaign on a given day: the figures of report 一.4's daily
/// reports — target, counted, % complete, remaining, new today and this week, the pace needed
/// against the pace of the last 7 days, and when it will finish at that pace.
public struct AreaProgress: Sendable, Equatable, Codable {
    public var target: Int
    /// Organizations that count, founded up to and including `asOf`.
    public var counted: Int
    public var newToday: Int
    /// Since the Monday of `asOf`'s week.
    public var newThisWeek: Int
    /// Founded in the 7 days ending on `asOf`.
    public var lastSevenDays: Int
    public var asOf: CalendarDay
    public var deadline: CalendarDay
    /// Where a straight line from the start to the target stands on `asOf`.
    public var expected: Int
    /// Per day from tomorrow to the deadline; nil when nothing remains or the deadline has passed.
    public var neededPerDay: Double?
    public var actualPerDay: Double
    /// At the last 7 days' pace; nil when done already or when nothing was founded in them.
    public var projectedCompletion: CalendarDay?

    public var remaining: Int { max(0, target - counted) }
    /// Whole percent, rounded down, so 100 means really done.
    public var percent: Double { target > 0 ? Double(counted) * 100 / Double(target) : (counted > 0 ? 100 : 0) }
    public var isComplete: Bool { counted >= target }
    /// Not going to make it at the current pace.
    public var isBehindPace: Bool {
        guard !isComplete else { return false }
        guard let projectedCompletion else { return true }
        return projectedCompletion > deadline
    }
    /// Nothing new in 7 days while work remains.
    public var isStalled: Bool { !isComplete && lastSevenDays == 0 }

    /// What counted up to `asOf`, and how much of it was new today, this week (from Monday) and in the last 7 days.
    public struct Counts: Sendable, Equatable {
        public var counted: Int
        public var today: Int
        public var thisWeek: Int
        public var lastSevenDays: Int

        public init(counted: Int, today: Int, thisWeek: Int, lastSevenDays: Int) {
            self.counted = counted
            self.today = today
            self.thisWeek = thisWeek
            self.lastSevenDays = lastSevenDays
        }
    }

    /// Builds the figures from a daily series.
    /// - Parameters:
    ///   - baseline: organizations that count and were founded before the first day of `daily`
    ///     (0 when the rule counts only the campaign's window).
    ///   - daily: new organizations per founding day; days after `asOf` are ignored.
    ///   - countedBeforeStart: what counted before `start`, where the expected line begins; nil
    ///     works it out from `baseline` and `daily` (when `daily` reaches back to the start).
    public init(target: Int, baseline: Int, daily: [CalendarDay: Int], start: CalendarDay, deadline: CalendarDay, asOf: CalendarDay,
                countedBeforeStart: Int? = nil) {
        let weekStart = asOf.adding(days: -(asOf.weekdayFromMonday))
        let sevenDaysAgo = asOf.adding(days: -6)
        var counts = Counts(counted: baseline, today: 0, thisWeek: 0, lastSevenDays: 0)
        for (day, count) in daily where day <= asOf {
            counts.counted += count
            if day == asOf { counts.today += count }
            if day >= weekStart { counts.thisWeek += count }
            if day >= sevenDaysAgo { counts.lastSevenDays += count }
        }
        self.init(target: target, counts: counts, start: start, deadline: deadline, asOf: asOf,
                  countedBeforeStart: countedBeforeStart ?? baseline + daily.reduce(0) { $0 + ($1.key < start ? $1.value : 0) })
    }

    /// Builds the figures from counts already added up (as the database does for a ranking).
    public init(target: Int, counts: Counts, start: CalendarDay, deadline: CalendarDay, asOf: CalendarDay, countedBeforeStart: Int) {
        self.target = target
        self.asOf = asOf
        self.deadline = deadline
        counted = counts.counted
        newToday = counts.today
        newThisWeek = counts.thisWeek
        lastSevenDays = counts.lastSevenDays
        let seven = counts.lastSevenDays
        actualPerDay = Double(seven) / 7
        expected = Self.expected(target: target, baseline: countedBeforeStart, start: start, deadline: deadline, on: asOf)
        let remaining = max(0, target - counts.counted)
        let daysLeft = asOf.days(until: deadline)
        neededPerDay = remaining > 0 && daysLeft > 0 ? Double(remaining) / Double(daysLeft) : nil
        if remaining == 0 {
            projectedCompletion = nil
        } else if seven > 0 {
            projectedCompletion = asOf.adding(days: Int((Double(remaining) / actualPerDay).rounded(.up)))
        } else {
            projectedCompletion = nil
        }
    }
}

extension AreaProgress {
    /// Where a straight line from `baseline` on the day before `start` to `target` on `deadline`
    /// stands at the end of `day`.
    public static func expected(target: Int, baseline: Int, start: CalendarDay, deadline: CalendarDay, on day: CalendarDay) -> Int {
        let span = max(1, start.days(until: deadline) + 1)
        let elapsed = min(span, max(0, start.days(until: day) + 1))
        return baseline + Int((Double(max(0, target - baseline)) * Double(elapsed) / Double(span)).rounded())
    }
}
