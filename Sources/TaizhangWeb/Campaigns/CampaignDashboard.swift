import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// Everything the dashboard of one area shows, gathered once and rendered as a page, as JSON
/// (`/api/v1/campaigns/{id}/progress`) and as XLSX tables.
struct CampaignDashboard: Sendable {
    var campaign: Campaign
    var area: CampaignArea
    var asOf: CalendarDay
    var figures: CampaignProgress.Figures
    /// The area's children ranked (counties of a city, townships of a county).
    var children: [CampaignProgress.Figures]
    var series: [CampaignProgress.DayPoint]
    var stages: [(stage: Stage, count: Int)]
    var categories: [(name: String, count: Int)]
    var modes: [(name: String, count: Int)]

    static func load(_ campaign: Campaign, area: CampaignArea, asOf: CalendarDay, on db: any Database) async throws -> CampaignDashboard {
        let childAreas = try await CampaignStore.children(of: area, on: db)
        let all = try await CampaignProgress.figures(campaign, areas: [area] + childAreas, asOf: asOf, on: db)
        return CampaignDashboard(
            campaign: campaign, area: area, asOf: asOf, figures: all[0], children: CampaignProgress.ranked(Array(all.dropFirst())),
            series: try await CampaignProgress.series(campaign, area: area, asOf: asOf, on: db),
            stages: try await CampaignProgress.stages(area: area, on: db),
            categories: try await CampaignProgress.mix(campaign, area: area, by: .unitCategory, on: db),
            modes: try await CampaignProgress.mix(campaign, area: area, by: .buildMode, on: db))
    }

    /// The key of a dashboard in the caches: it depends on the campaign, the area, the day shown
    /// and today (the expected line and "new today" move with the calendar).
    static func cacheKey(_ campaign: Campaign, area: CampaignArea, asOf: CalendarDay) -> String {
        "\(campaign.id)|\(area.code)|\(asOf)|\(CalendarDay.today())"
    }

    /// `load`, from the cache while the data version is unchanged.
    static func cached(_ campaign: Campaign, area: CampaignArea, asOf: CalendarDay, req: Request) async throws -> CampaignDashboard {
        try await req.application.campaignCaches.dashboards.value(cacheKey(campaign, area: area, asOf: asOf), at: try await req.dataVersion()) {
            try await load(campaign, area: area, asOf: asOf, on: req.db)
        }
    }

    /// The day asked for in `?asOf=`, else the campaign's default; a bad value names itself.
    /// A page's date field left empty means the default; the API refuses an empty `asOf=`.
    static func asOf(_ req: Request, campaign: Campaign, blankMeansDefault: Bool = true) throws -> CalendarDay {
        guard let raw = req.queryText("asOf") else { return campaign.defaultAsOf }
        guard let text = raw.nilIfBlank else {
            guard blankMeansDefault else { throw InvalidInput(field: "截至日期（asOf）", reason: "为空：请写 YYYY-MM-DD，或不带此参数") }
            return campaign.defaultAsOf
        }
        guard let day = CalendarDay(iso: text) else { throw InvalidInput(field: "截至日期（asOf）", reason: "「\(text)」应为 YYYY-MM-DD 格式") }
        // Each day up to asOf is a point of the series: bounded, so no request can ask for millennia.
        let latest = campaign.deadline.adding(days: 366)
        guard day <= latest else {
            throw InvalidInput(field: "截至日期（asOf）", reason: "「\(text)」晚于活动截止日期一年以上（最晚 \(latest)）")
        }
        return max(day, campaign.start)
    }

    /// The area of `code` inside the campaign's region that the user may see (404 otherwise).
    static func area(_ code: String, campaign: Campaign, req: Request) async throws -> CampaignArea {
        let user = try req.requireUser()
        guard let area = try await req.cachedArea(code), campaign.region.contains(area.path),
              user.policy.allows(.view, at: area.path) else {
            throw AccessDenied(message: "找不到代码为「\(code)」的地区，或不在本活动或您的管理范围内", kind: .notFound)
        }
        req.auditPath = area.path
        return area
    }

    /// The area a user lands on: the campaign's region if they see all of it, else their own
    /// highest division inside it.
    static func landingArea(_ campaign: Campaign, req: Request) async throws -> CampaignArea {
        let user = try req.requireUser()
        if user.policy.allows(.view, at: campaign.regionPath), let region = try await req.cachedArea(campaign.regionCode) {
            return region
        }
        let inside = user.policy.grants.filter { campaign.region.contains($0.divisionPath) && $0.role.permissions.contains(.view) }
            .sorted { $0.divisionPath.count < $1.divisionPath.count }
        guard let grant = inside.first, let area = try await req.cachedArea(grant.divisionCode) else {
            throw AccessDenied(message: "您在本活动的地区内没有可查看的单位", kind: .notFound)
        }
        return area
    }

    // MARK: - Tables (for the page, the API and the XLSX downloads)

    struct Table {
        var title: String
        var header: [String]
        var rows: [[XLSXCell]]
    }

    enum TableName: String, CaseIterable {
        case ranking, daily, stages, categories, modes
    }

    func table(_ name: TableName) -> Table {
        switch name {
        case .ranking:
            return Table(title: "\(area.name)下级单位进度排名",
                         header: ["名次", "单位", "代码", "指标", "已计入", "完成率%", "尚差", "今日新增", "本周新增", "应达进度", "每日需完成",
                                  "近7日日均", "预计完成日期", "状态"],
                         rows: children.enumerated().map { index, figure in
                             let p = figure.progress
                             return [.number(Double(index + 1)), .text(figure.area.name), .text(figure.area.code), .number(Double(p.target)),
                                     .number(Double(p.counted)), .number(Percent.tenthsRoundedDown(p.percent)), .number(Double(p.remaining)),
                                     .number(Double(p.newToday)), .number(Double(p.newThisWeek)), .number(Double(p.expected)),
                                     p.neededPerDay.map { .number(($0 * 10).rounded() / 10) } ?? .empty,
                                     .number((p.actualPerDay * 10).rounded() / 10), p.projectedCompletion.map { .date($0) } ?? .empty,
                                     .text(Self.status(p))]
                         })
        case .daily:
            return Table(title: "\(area.name)每日进度", header: ["日期", "新增", "累计", "应达"],
                         rows: series.map { [.date($0.day), .number(Double($0.new)), .number(Double($0.cumulative)), .number(Double($0.expected))] })
        case .stages:
            return Table(title: "\(area.name)各阶段团组织", header: ["建设阶段", "个数"],
                         rows: stages.map { [.text($0.stage.label), .number(Double($0.count))] })
        case .categories:
            return Table(title: "\(area.name)已建立团组织的单位类别", header: ["单位类别", "个数"],
                         rows: categories.map { [.text($0.name), .number(Double($0.count))] })
        case .modes:
            return Table(title: "\(area.name)已建立团组织的建团方式", header: ["建团方式", "个数"],
                         rows: modes.map { [.text($0.name), .number(Double($0.count))] })
        }
    }

    static func status(_ progress: AreaProgress) -> String {
        if progress.target == 0 { return "无指标" }
        if progress.isComplete { return "已完成" }
        if progress.isStalled { return "停滞" }
        if progress.isBehindPace { return "滞后" }
        return "正常"
    }
}
