import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// Campaign pages (目标任务): the list, the dashboard of every area, chart tables as XLSX,
/// the ranking at any level, and the campaign's settings.
enum CampaignController {

    static func index(_ req: Request) async throws -> Response {
        try await renderList(req, error: nil, form: nil, status: .ok)
    }

    static func renderList(_ req: Request, error: String?, form: CampaignForm?, status: HTTPStatus) async throws -> Response {
        let user = try req.requireUser()
        let paths = try req.scope(for: .view)
        var rows: [CampaignRow] = []
        for campaign in try await CampaignStore.list(overlapping: paths, on: req.db) {
            let area = try await CampaignDashboard.landingArea(campaign, req: req)
            let figures = try await CampaignProgress.figures(campaign, areas: [area], asOf: campaign.defaultAsOf, on: req.db)[0]
            rows.append(CampaignRow(links: CampaignLinks(campaign.id), name: campaign.name, region: area.name,
                                    window: "\(campaign.start) 至 \(campaign.deadline)", target: figures.target, counted: figures.progress.counted,
                                    percent: DisplayFormat.percent(figures.progress.percent), status: CampaignDashboard.status(figures.progress)))
        }
        let regions = user.policy.grants.filter { $0.role.permissions.contains(.manageCampaigns) }
            .map { Link(label: $0.divisionCode, href: nil) }
        let page = ListPage(layout: LayoutContext(title: "目标任务", area: .targets, request: req), campaigns: rows,
                            canCreate: user.policy.allowsSomewhere(.manageCampaigns), regions: regions, error: error, form: form)
        return try await req.view.render("campaigns", page).encodeResponse(status: status, for: req)
    }

    struct CampaignForm: Content {
        var name: String?
        var regionCode: String?
        var start: String?
        var deadline: String?
        var target: String?
        var newOnly: String?
        var withinWindow: String?
        /// none, county or city (ConfirmationRule).
        var confirmation: String?
        var version: String?

        /// The draft, or every problem with the form, each naming its field.
        func draft(regionCode fixedRegion: String? = nil) throws -> CampaignDraft {
            var problems: [String] = []
            func parse<T>(_ body: () throws -> T) -> T? {
                do { return try body() } catch let error as any UserFacingError { problems.append(error.message); return nil } catch { return nil }
            }
            let start = parse { try ValueParser.day(self.start ?? "", field: "开始日期") }
            let deadline = parse { try ValueParser.day(self.deadline ?? "", field: "截止日期") }
            let target = parse { try ValueParser.integer(self.target ?? "", field: "总指标") }
            let region = fixedRegion ?? regionCode?.nilIfBlank
            if region == nil { problems.append("覆盖地区：不能为空") }
            let confirmation = confirmation?.nilIfBlank.map { ConfirmationRule(rawValue: $0) } ?? ConfirmationRule.none
            if confirmation == nil { problems.append("核实口径：只能是 none、county 或 city，收到「\(self.confirmation ?? "")」") }
            guard problems.isEmpty, let start, let deadline, let target, let region, let confirmation else {
                throw Refusal(problems.joined(separator: "；"))
            }
            return CampaignDraft(name: name ?? "", regionCode: region, start: start, deadline: deadline, target: target,
                                 rule: CountingRule(newOnly: newOnly == "1", withinWindow: withinWindow == "1", confirmation: confirmation))
        }
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(CampaignForm.self)
        if let region = form.regionCode?.nilIfBlank { try await authorizeRegion(req, code: region, permission: .manageCampaigns) }
        do {
            let draft = try form.draft()
            let campaign = try await CampaignStore.create(draft, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.campaignTargets(.value(campaign.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where error.kind == .invalidInput {
            req.refusalReason = error.message
            return try await renderList(req, error: error.message, form: form, status: .badRequest)
        }
    }

    /// Refuses unless the user holds `permission` on the region `code` (404 when they cannot see it).
    static func authorizeRegion(_ req: Request, code: String, permission: Permission) async throws {
        let user = try req.requireUser()
        guard let area = try await CampaignStore.area(code, on: req.db), user.policy.allows(.view, at: area.path) else {
            throw AccessDenied(message: "找不到代码为「\(code)」的地区，或不在您的管理范围内", kind: .notFound)
        }
        req.auditPath = area.path
        guard user.policy.allows(permission, at: area.path) else { throw AccessDenied.notPermitted(area.name) }
    }

    static func update(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let form = try req.content.decode(CampaignForm.self)
        do {
            let draft = try form.draft(regionCode: campaign.regionCode)
            guard let version = form.version.flatMap({ Int($0) }) else { throw Refusal("缺少版本号，请刷新页面后再保存") }
            _ = try await CampaignStore.update(campaign.id, draft, expectedVersion: version, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.campaignTargets(.value(campaign.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await CampaignTargetsController.render(req, campaign: campaign, error: error.message,
                                                              status: error.kind == .conflict ? .conflict : .badRequest)
        }
    }

    // MARK: - Dashboard

    /// `/`: the dashboard of the latest campaign the user takes part in, else the division index.
    static func home(_ req: Request) async throws -> Response {
        let paths = try req.scope(for: .view)
        guard let campaign = try await CampaignStore.list(overlapping: paths, on: req.db).first else {
            return try await DivisionController.home(req).encodeResponse(for: req)
        }
        let area = try await CampaignDashboard.landingArea(campaign, req: req)
        return try await renderArea(req, campaign: campaign, area: area, home: true)
    }

    static func show(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        return try await renderArea(req, campaign: campaign, area: try await CampaignDashboard.landingArea(campaign, req: req), home: false)
    }

    static func area(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let area = try await CampaignDashboard.area(try req.parameters.require("code"), campaign: campaign, req: req)
        return try await renderArea(req, campaign: campaign, area: area, home: false)
    }

    struct Headline: Encodable {
        var target: Int
        var counted: Int
        var percent: String
        var remaining: Int
        var newToday: Int
        var newThisWeek: Int
        var expected: Int
        var neededPerDay: String
        var actualPerDay: String
        var projected: String
        var status: String
        var isBehind: Bool
        var hasTarget: Bool
    }

    static func headline(_ figures: CampaignProgress.Figures) -> Headline {
        let p = figures.progress
        return Headline(target: p.target, counted: p.counted, percent: DisplayFormat.percent(p.percent), remaining: p.remaining,
                        newToday: p.newToday, newThisWeek: p.newThisWeek, expected: p.expected, neededPerDay: DisplayFormat.pace(p.neededPerDay),
                        actualPerDay: DisplayFormat.pace(p.actualPerDay), projected: projected(p), status: CampaignDashboard.status(p),
                        isBehind: p.isBehindPace, hasTarget: figures.hasTarget)
    }

    /// Ranked figures as table rows, linked where the user may open the area.
    static func rankRows(_ ranked: [CampaignProgress.Figures], campaign: Campaign, user: CurrentUser) -> [RankRow] {
        ranked.enumerated().map { index, figure in
            let p = figure.progress
            return RankRow(rank: index + 1, name: figure.area.name,
                           href: user.policy.allows(.view, at: figure.area.path)
                               ? SiteURL.campaignArea(.value(campaign.id), .value(figure.area.code)).path : nil,
                           target: p.target, counted: p.counted, percent: DisplayFormat.percent(p.percent), remaining: p.remaining,
                           newToday: p.newToday, newThisWeek: p.newThisWeek, neededPerDay: DisplayFormat.pace(p.neededPerDay),
                           actualPerDay: DisplayFormat.pace(p.actualPerDay), projected: projected(p), status: CampaignDashboard.status(p),
                           isBehind: p.isBehindPace)
        }
    }

    /// Rows of townships name each one's lead liaison on `day` (one query for all of them).
    static func withLeads(_ rows: [RankRow], _ ranked: [CampaignProgress.Figures], campaign: Campaign, on day: CalendarDay,
                          db: any Database) async throws -> [RankRow] {
        guard ranked.first?.area.level == .township else { return rows }
        let leads = try await LiaisonStore.leads(campaignID: campaign.id, townships: ranked.map(\.area.code), on: day, on: db)
        var rows = rows
        for index in rows.indices { rows[index].lead = LeadLiaisonLabel(leads[ranked[index].area.code]) }
        return rows
    }

    static func projected(_ p: AreaProgress) -> String {
        if p.isComplete { return "已完成" }
        guard let day = p.projectedCompletion else { return "近7日无新增，无法预计" }
        return day.description
    }

    static func renderArea(_ req: Request, campaign: Campaign, area: CampaignArea, home: Bool) async throws -> Response {
        let user = try req.requireUser()
        let asOf = try CampaignDashboard.asOf(req, campaign: campaign)
        let data = try await CampaignDashboard.cached(campaign, area: area, asOf: asOf, req: req)
        var breadcrumbs: [Link] = []
        if let division = try await DivisionQueries.find(area.code, on: req.db) {
            for ancestor in try await DivisionQueries.ancestors(of: division, on: req.db) where campaign.region.contains(ancestor.path) {
                breadcrumbs.append(Link(label: ancestor.name, href: user.policy.allows(.view, at: ancestor.path)
                                        ? SiteURL.campaignArea(.value(campaign.id), .value(ancestor.code)).path : nil))
            }
        }
        let childLevel = data.children.first?.area.level
        let rows = try await withLeads(rankRows(data.children, campaign: campaign, user: user), data.children, campaign: campaign, on: asOf, db: req.db)
        let bars = data.children.map {
            Charts.BarRow(label: $0.area.name, counted: $0.progress.counted, target: $0.progress.target, expected: $0.progress.expected,
                          isBehind: $0.progress.isBehindPace)
        }
        let others = try await CampaignStore.list(overlapping: try req.scope(for: .view), on: req.db)
            .filter { $0.id != campaign.id }.map { Link(label: $0.name, href: SiteURL.campaignOverview(.value($0.id)).path) }
        let page = AreaPage(
            layout: LayoutContext(title: home ? "首页 · \(area.name)" : "\(campaign.name) · \(area.name)", area: home ? .home : .targets, request: req),
            campaignLinks: CampaignLinks(campaign.id), campaignName: campaign.name,
            window: "\(campaign.start.chinese)—\(campaign.deadline.chinese)",
            rule: campaign.rule.description, areaName: area.name, areaCode: area.code, breadcrumbs: breadcrumbs,
            asOf: asOf.description, asOfChinese: asOf.chinese, headline: headline(data.figures),
            childrenTitle: childLevel.map { "各\($0.shortLabel)进度排名" } ?? "下级进度排名", children: rows, hasChildren: !rows.isEmpty,
            showLiaisons: childLevel == .township,
            progressChart: Charts.progressBars(bars, title: "\(area.name)下级单位完成情况"),
            cumulativeChart: Charts.cumulative(data.series, target: data.figures.target, start: campaign.start, deadline: campaign.deadline,
                                               title: "\(area.name)累计建团数与应达进度"),
            stageChart: Charts.bars(data.stages.filter { !$0.stage.isEnded }.map { ($0.stage.label, $0.count) }, title: "建设阶段"),
            categoryChart: Charts.bars(data.categories.map { ($0.name, $0.count) }, title: "单位类别", color: Charts.done),
            modeChart: Charts.bars(data.modes.map { ($0.name, $0.count) }, title: "建团方式", color: Charts.done),
            stages: data.stages.map { CountRow(label: $0.stage.label, count: $0.count) },
            categories: data.categories.map { CountRow(label: $0.name, count: $0.count) },
            modes: data.modes.map { CountRow(label: $0.name, count: $0.count) },
            days: data.series.reversed().map { DayRow(day: $0.day.description, new: $0.new, cumulative: $0.cumulative, expected: $0.expected) },
            baseHref: SiteURL.campaignArea(.value(campaign.id), .value(area.code)).path,
            tables: Dictionary(uniqueKeysWithValues: CampaignDashboard.TableName.allCases.map {
                ($0.rawValue, SiteURL.campaignAreaTable(.value(campaign.id), .value(area.code), .value($0.rawValue + ".xlsx")).path)
            }),
            canManage: user.policy.allows(.manageCampaigns, at: campaign.regionPath), otherCampaigns: others,
            reportNotice: home ? try await reportNotice(req, campaign: campaign, area: area) : nil)
        return try await req.view.render("campaign-area", page).encodeResponse(for: req)
    }

    /// `/campaigns/{id}/areas/{code}/{table}.xlsx`: a chart's numbers as a spreadsheet.
    static func table(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let area = try await CampaignDashboard.area(try req.parameters.require("code"), campaign: campaign, req: req)
        let file = try req.parameters.require("table")
        guard file.hasSuffix(".xlsx"), let name = CampaignDashboard.TableName(rawValue: String(file.dropLast(5))) else {
            throw Abort(.notFound, reason: "没有名为「\(file)」的表格（可用：\(CampaignDashboard.TableName.allCases.map { $0.rawValue + ".xlsx" }.joined(separator: "、"))）")
        }
        let asOf = try CampaignDashboard.asOf(req, campaign: campaign)
        let data = try await CampaignDashboard.cached(campaign, area: area, asOf: asOf, req: req)
        return try await xlsx(req, table: data.table(name), asOf: asOf)
    }

    /// A table as a one-sheet spreadsheet, named after its title and day.
    static func xlsx(_ req: Request, table: CampaignDashboard.Table, asOf: CalendarDay) async throws -> Response {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-table-\(UUID().uuidString).xlsx")
        let writer = try XLSXWriter(url: url, sheetName: String(table.title.prefix(31)),
                                    columnWidths: table.header.map { max(8, Double($0.count) * 2.4) })
        try writer.appendHeader(table.header)
        for row in table.rows { try writer.appendRow(row) }
        try writer.finish()
        return try await LedgerController.fileResponse(req, url: url, format: .xlsx, downloadName: "\(table.title)-截至\(asOf).xlsx")
    }
}
