/// Every red flag of a set of records, in a stable order (by kind, then by the first record).
public struct RedFlagDetector: Sendable {
    public var settings: RedFlagSettings

    public init(settings: RedFlagSettings = RedFlagSettings()) {
        self.settings = settings
    }

    /// `records` are organizations that have not ended; `created` the creations on or after
    /// `RedFlagBursts.earliestDay` (any others are ignored).
    public func flags(records: [RedFlagRecord], created: [CreatedRecord], cutoffs: [RedFlagCutoff], today: CalendarDay,
                      townshipNames: [String: String]) -> [RedFlag] {
        var flags = records.flatMap { RedFlagRecordChecks.flags($0, settings: settings, today: today) }
        flags += RedFlagGroups.nameFlags(records, townshipNames: townshipNames, settings: settings)
        flags += RedFlagGroups.phoneFlags(records, townshipNames: townshipNames, settings: settings)
        flags += RedFlagBursts.flags(created, cutoffs: cutoffs, today: today, townshipNames: townshipNames, settings: settings)
        return Self.sorted(flags)
    }

    public static func sorted(_ flags: [RedFlag]) -> [RedFlag] {
        let rank = Dictionary(uniqueKeysWithValues: RedFlagKind.allCases.enumerated().map { ($1, $0) })
        return flags.sorted {
            if $0.kind != $1.kind { return rank[$0.kind]! < rank[$1.kind]! }
            if $0.codes.first != $1.codes.first { return ($0.codes.first ?? "") < ($1.codes.first ?? "") }
            return $0.id < $1.id
        }
    }
}
