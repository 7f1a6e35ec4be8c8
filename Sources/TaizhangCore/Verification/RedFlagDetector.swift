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
        Self.sorted(townshipFlags(records: records, created: created, cutoffs: cutoffs, today: today, townshipNames: townshipNames)
            + crossTownshipFlags(records: records, townshipNames: townshipNames))
    }

    /// The flags each township's own records decide — a record's own checks, the same or nearly the
    /// same name inside the township, late bursts — unsorted. For the records of one township they do
    /// not change until that township's records do, so they can be kept per township; with
    /// `crossTownshipFlags` over all the records they are exactly `flags`.
    public func townshipFlags(records: [RedFlagRecord], created: [CreatedRecord], cutoffs: [RedFlagCutoff], today: CalendarDay,
                              townshipNames: [String: String]) -> [RedFlag] {
        records.flatMap { RedFlagRecordChecks.flags($0, settings: settings, today: today) }
            + RedFlagGroups.townshipNameFlags(records, townshipNames: townshipNames, settings: settings)
            + RedFlagBursts.flags(created, cutoffs: cutoffs, today: today, townshipNames: townshipNames, settings: settings)
    }

    /// The flags that compare townships: the same name in different townships of a county, one phone
    /// behind many organizations (wherever they are inside the records given), unsorted.
    public func crossTownshipFlags(records: [RedFlagRecord], townshipNames: [String: String]) -> [RedFlag] {
        RedFlagGroups.countyDuplicateFlags(records, townshipNames: townshipNames)
            + RedFlagGroups.phoneFlags(records, townshipNames: townshipNames, settings: settings)
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
