/// A day records had to be in by: a campaign's deadline or a reporting cut-off.
public struct RedFlagCutoff: Sendable, Hashable, Comparable {
    public var day: CalendarDay
    /// 活动截止日, 半月汇报截止日 …
    public var label: String

    public init(day: CalendarDay, label: String) {
        self.day = day
        self.label = label
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.day, lhs.label) < (rhs.day, rhs.label) }

    /// The half-month reporting cut-offs (the 15th and the last day of each month) from `start` through `end`.
    public static func halfMonthEnds(from start: CalendarDay, through end: CalendarDay) -> [RedFlagCutoff] {
        guard start <= end else { return [] }
        var cutoffs: [RedFlagCutoff] = []
        var year = start.year, month = start.month
        while (year, month) <= (end.year, end.month) {
            for day in [15, CalendarDay.daysIn(month: month, year: year)] {
                if let date = CalendarDay(year: year, month: month, day: day), start <= date, date <= end {
                    cutoffs.append(RedFlagCutoff(day: date, label: "半月汇报截止日"))
                }
            }
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return cutoffs
    }
}

/// When a record was created (its first entry into the ledger, by form, API or import).
public struct CreatedRecord: Sendable, Equatable {
    public var code: String
    public var townshipPath: String
    public var createdOn: CalendarDay

    public init(code: String, townshipPath: String, createdOn: CalendarDay) {
        self.code = code
        self.townshipPath = townshipPath
        self.createdOn = createdOn
    }
}

/// Late bursts. For a cut-off day C, the window is the K days ending on C (C−K+1 … C) and the
/// baseline the B days before it (C−K−B+1 … C−K); the township's expected count in the window is
/// its baseline count × K / B. The township is flagged when its count in the window is at least
/// `burstMinimumCount` and at least `burstFactor` × expected. Only cut-offs up to today count; a
/// township flagged for one cut-off is not flagged again for another whose window overlaps it.
public enum RedFlagBursts {
    /// The first day of creations a computation with these settings and cut-offs needs.
    public static func earliestDay(_ cutoffs: [RedFlagCutoff], settings: RedFlagSettings) -> CalendarDay? {
        cutoffs.map(\.day).min()?.adding(days: -(settings.burstWindowDays + settings.burstBaselineDays) + 1)
    }

    public static func flags(_ created: [CreatedRecord], cutoffs: [RedFlagCutoff], today: CalendarDay, townshipNames: [String: String],
                             settings: RedFlagSettings) -> [RedFlag] {
        let window = max(1, settings.burstWindowDays), baseline = max(1, settings.burstBaselineDays)
        // One cut-off a day, the first given (a deadline on a half-month end is one cut-off, named as the caller lists it first).
        var byDay: [CalendarDay: RedFlagCutoff] = [:]
        for cutoff in cutoffs where cutoff.day <= today && byDay[cutoff.day] == nil { byDay[cutoff.day] = cutoff }
        let days = byDay.keys.sorted()
        guard !days.isEmpty else { return [] }
        var byTownship: [String: [Int: [String]]] = [:]
        for record in created { byTownship[record.townshipPath, default: [:]][record.createdOn.dayNumber, default: []].append(record.code) }
        var flags: [RedFlag] = []
        for (township, perDay) in byTownship {
            var lastFlaggedEnd: Int?
            for day in days {
                let end = day.dayNumber, windowStart = end - window + 1
                if let lastFlaggedEnd, windowStart <= lastFlaggedEnd { continue }
                let codes = (windowStart...end).flatMap { perDay[$0] ?? [] }
                let before = (windowStart - baseline..<windowStart).reduce(0) { $0 + (perDay[$1]?.count ?? 0) }
                let expected = Double(before) * Double(window) / Double(baseline)
                guard codes.count >= settings.burstMinimumCount, Double(codes.count) >= settings.burstFactor * expected else { continue }
                lastFlaggedEnd = end
                let cutoff = byDay[day]!
                let name = townshipNames[township] ?? township
                let from = CalendarDay(dayNumber: windowStart), baseFrom = CalendarDay(dayNumber: windowStart - baseline),
                    baseTo = CalendarDay(dayNumber: windowStart - 1)
                let usual = before == 0
                    ? "此前 \(baseline) 天（\(baseFrom) 至 \(baseTo)）没有新录入"
                    : "此前 \(baseline) 天（\(baseFrom) 至 \(baseTo)）共录入 \(before) 个，日均 \(RedFlagGroups.decimal(Double(before) / Double(baseline))) 个，按此 \(window) 天应约 \(RedFlagGroups.decimal(expected)) 个，实为其 \(RedFlagGroups.decimal(Double(codes.count) / expected)) 倍"
                flags.append(RedFlag(kind: .lateBurst, codes: codes, subject: township + "@" + day.description, townshipPaths: [township],
                                     sentence: "\(name)在\(cutoff.label) \(day) 前 \(window) 天（\(from) 至 \(day)）新录入 \(codes.count) 个团组织；\(usual)（预警条件：不少于 \(settings.burstMinimumCount) 个，且不少于平常的 \(RedFlagGroups.decimal(settings.burstFactor)) 倍）。请核实是否突击录入。"))
            }
        }
        return flags
    }
}

extension CalendarDay {
    /// The day in Asia/Shanghai (UTC+8 all year since 1991) of an instant given as seconds since 1970.
    public static func shanghaiDay(secondsSince1970 seconds: Double) -> CalendarDay {
        CalendarDay(dayNumber: Int(((seconds + 8 * 3600) / 86_400).rounded(.down)))
    }
}
