/// The report's method made measurable (先有组织、再类团组织、再团组织): the units brand
/// activities reached, how many of them now have an organization at each stage, and how long
/// it took from the first activity to the organization's founding.
public struct Conversion: Sendable, Hashable, Codable {
    /// One unit reached: the day of its first activity, and its organization's stage and founding day if it has one.
    public struct Unit: Sendable, Hashable, Codable {
        public var key: String
        public var name: String
        public var townshipCode: String
        public var firstActivity: CalendarDay
        public var organizationCode: String?
        public var stage: Stage?
        public var foundedOn: CalendarDay?

        public init(key: String, name: String, townshipCode: String, firstActivity: CalendarDay, organizationCode: String?, stage: Stage?,
                    foundedOn: CalendarDay?) {
            self.key = key
            self.name = name
            self.townshipCode = townshipCode
            self.firstActivity = firstActivity
            self.organizationCode = organizationCode
            self.stage = stage
            self.foundedOn = foundedOn
        }

        /// Days from the first activity to founding, when founded on or after it.
        public var daysToFounding: Int? {
            guard stage == .founded, let foundedOn, foundedOn >= firstActivity else { return nil }
            return firstActivity.days(until: foundedOn)
        }
    }

    public var reached: Int
    /// Units whose organization is at least at each stage (青年组织 ≥ 类团组织 ≥ 筹建 ≥ 已建立): a funnel.
    public var atLeast: [Stage: Int]
    /// Units with an organization that was dissolved or merged.
    public var ended: Int
    public var foundedAfterActivity: Int
    public var medianDaysToFounding: Int?
    public var averageDaysToFounding: Int?

    public init(units: [Unit]) {
        reached = units.count
        var atLeast: [Stage: Int] = [:]
        for stage in Stage.allCases where stage.rank != nil {
            atLeast[stage] = units.filter { ($0.stage?.rank ?? -1) >= stage.rank! }.count
        }
        self.atLeast = atLeast
        ended = units.filter { $0.stage?.isEnded == true }.count
        let days = units.compactMap(\.daysToFounding).sorted()
        foundedAfterActivity = days.count
        medianDaysToFounding = days.isEmpty ? nil : (days.count % 2 == 1 ? days[days.count / 2] : (days[days.count / 2 - 1] + days[days.count / 2]) / 2)
        averageDaysToFounding = days.isEmpty ? nil : Int((Double(days.reduce(0, +)) / Double(days.count)).rounded())
    }

    /// The funnel's steps in order: reached, then each stage.
    public var steps: [(label: String, count: Int)] {
        [("活动覆盖单位", reached)] + Stage.allCases.filter { $0.rank != nil }.map { ($0.label, atLeast[$0] ?? 0) }
    }
}
