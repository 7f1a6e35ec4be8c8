import FluentKit
import SQLKit
import TaizhangCore

/// Progress of a campaign's areas on a day, read from the ledger's running counts
/// (`LedgerCounts`) and the campaign's targets.
public enum CampaignProgress {
    public struct Figures: Sendable {
        public var area: CampaignArea
        /// 0 when the area has no target yet.
        public var target: Int
        public var hasTarget: Bool
        public var progress: AreaProgress
    }

    /// Figures of each area on `asOf`.
    public static func figures(_ campaign: Campaign, areas: [CampaignArea], asOf: CalendarDay, on db: any Database) async throws -> [Figures] {
        guard !areas.isEmpty else { return [] }
        let provinces = areas.contains { $0.code == CampaignArea.country.code } ? try await CampaignStore.provinceCodes(on: db) : []
        let codes = Array(Set(areas.flatMap { $0.countedCodes(provinces: provinces) }))
        let since = campaign.rule.withinWindow ? campaign.start : nil
        let counts = try await LedgerCounts.windowCounts(divisions: codes, rule: campaign.rule, since: since,
                                                         asOf: asOf, on: db)
        // Where the expected line starts: what counted already before the campaign began.
        let beforeStart = since == nil ? try await LedgerCounts.totals(divisions: codes, rule: campaign.rule, since: nil,
                                                                      before: campaign.start, on: db) : [:]
        let targets = try await CampaignStore.targets(campaign.id, codes: areas.map(\.code), on: db)
        return areas.map { area in
            var sum = AreaProgress.Counts(counted: 0, today: 0, thisWeek: 0, lastSevenDays: 0)
            var startBaseline = 0
            for code in area.countedCodes(provinces: provinces) {
                if let part = counts[code] {
                    sum.counted += part.counted
                    sum.today += part.today
                    sum.thisWeek += part.thisWeek
                    sum.lastSevenDays += part.lastSevenDays
                }
                startBaseline += beforeStart[code] ?? 0
            }
            let target = targets[area.code] ?? 0
            return Figures(area: area, target: target, hasTarget: targets[area.code] != nil,
                           progress: AreaProgress(target: target, counts: sum, start: campaign.start, deadline: campaign.deadline,
                                                  asOf: asOf, countedBeforeStart: startBaseline))
        }
    }

    /// Areas ranked: highest % first, then most counted, then by code.
    public static func ranked(_ figures: [Figures]) -> [Figures] {
        figures.sorted {
            if $0.progress.percent != $1.progress.percent { return $0.progress.percent > $1.progress.percent }
            if $0.progress.counted != $1.progress.counted { return $0.progress.counted > $1.progress.counted }
            return $0.area.code < $1.area.code
        }
    }

    /// The cumulative count at the end of every day from the start to `asOf`, with the expected line.
    public struct DayPoint: Sendable, Codable, Equatable {
        public var day: CalendarDay
        public var new: Int
        public var cumulative: Int
        public var expected: Int
    }

    public static func series(_ campaign: Campaign, area: CampaignArea, asOf: CalendarDay, on db: any Database) async throws -> [DayPoint] {
        let founded = try await LedgerCounts.founded(divisions: try await countedCodes(area, on: db), rule: campaign.rule,
                                                     since: campaign.rule.withinWindow ? campaign.start : nil, dailyFrom: campaign.start,
                                                     through: asOf, on: db)
        let target = try await CampaignStore.targets(campaign.id, codes: [area.code], on: db)[area.code] ?? 0
        var daily: [CalendarDay: Int] = [:]
        for (_, days) in founded.daily { daily.merge(days, uniquingKeysWith: +) }
        let baseline = founded.before.values.reduce(0, +)
        var cumulative = baseline
        var points: [DayPoint] = []
        var day = campaign.start
        while day <= asOf {
            cumulative += daily[day] ?? 0
            points.append(DayPoint(day: day, new: daily[day] ?? 0, cumulative: cumulative,
                                   expected: AreaProgress.expected(target: target, baseline: baseline, start: campaign.start,
                                                               deadline: campaign.deadline, on: day)))
            day = day.adding(days: 1)
        }
        return points
    }

    /// Organizations of an area by stage (the funnel 青年组织 → 类团组织 → 筹建 → 已建立, then 撤销, 合并).
    public static func stages(area: CampaignArea, on db: any Database) async throws -> [(stage: Stage, count: Int)] {
        let counts = try await LedgerCounts.byStage(divisions: try await countedCodes(area, on: db), on: db)
        return Stage.allCases.map { ($0, counts[$0] ?? 0) }
    }

    /// Organizations that count (已建立, by the campaign's guidance rule) by unit category or build mode.
    public static func mix(_ campaign: Campaign, area: CampaignArea, by column: MixColumn, on db: any Database) async throws -> [(name: String, count: Int)] {
        let counts = try await LedgerCounts.grouped(by: column.rawValue, divisions: try await countedCodes(area, on: db), stages: [.founded],
                                                    rule: campaign.rule, on: db)
        return counts.filter { $0.value != 0 }.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }

    /// The divisions whose running counts add up to the area's.
    static func countedCodes(_ area: CampaignArea, on db: any Database) async throws -> [String] {
        area.countedCodes(provinces: area.code == CampaignArea.country.code ? try await CampaignStore.provinceCodes(on: db) : [])
    }

    public enum MixColumn: String, Sendable {
        case unitCategory = "unit_category"
        case buildMode = "build_mode"
    }
}
