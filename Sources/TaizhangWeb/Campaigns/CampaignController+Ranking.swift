import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// The ranking of every division of a level in the campaign's region: page and spreadsheet.
extension CampaignController {

    /// Every division of a level in the campaign's region, ranked (e.g. all cities of the country).
    static func ranking(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let level = try rankingLevel(req, campaign: campaign)
        let asOf = try CampaignDashboard.asOf(req, campaign: campaign)
        let ranked = try await rankedFigures(campaign, level: level, asOf: asOf, on: req.db)
        let parents = try await parentNames(ranked, on: req.db)
        let user = try req.requireUser()
        let region = try await CampaignStore.regionArea(campaign, on: req.db)
        let levels = DivisionLevel.allCases.filter { level in region.level.map { level > $0 } ?? true }
        var rows = try await withLeads(rankRows(ranked, campaign: campaign, user: user), ranked, campaign: campaign, on: asOf, db: req.db)
        for index in rows.indices { rows[index].parentName = parents[ranked[index].area.code] ?? "" }
        let page = RankingPage(
            layout: LayoutContext(title: "\(campaign.name) · \(level.shortLabel)级排名", area: .targets, request: req),
            campaignLinks: CampaignLinks(campaign.id), campaignName: campaign.name, levelLabel: level.label, level: level.rawValue,
            levels: levels.map {
                Link(label: "按\($0.shortLabel)", href: SiteURL.campaignRanking(.value(campaign.id)).path + "?level=\($0.rawValue)&asOf=\(asOf)")
            },
            asOf: asOf.description, asOfChinese: asOf.chinese, parentHeader: parentHeader(level),
            rows: rows, showLiaisons: level == .township)
        return try await req.view.render("campaign-ranking", page).encodeResponse(for: req)
    }

    /// `/campaigns/{id}/ranking.xlsx?level=…&asOf=…`: the ranking of a level as a spreadsheet.
    static func rankingTable(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let level = try rankingLevel(req, campaign: campaign)
        let asOf = try CampaignDashboard.asOf(req, campaign: campaign)
        let ranked = try await rankedFigures(campaign, level: level, asOf: asOf, on: req.db)
        let parents = try await parentNames(ranked, on: req.db)
        let parentHeader = parentHeader(level)
        var header = ["名次", "单位", "代码"]
        if let parentHeader { header.append(parentHeader) }
        header += ["指标", "已计入", "完成率%", "尚差", "今日新增", "本周新增", "应达进度", "每日需完成", "近7日日均", "预计完成日期", "状态"]
        let leads = level == .township
            ? try await LiaisonStore.leads(campaignID: campaign.id, townships: ranked.map(\.area.code), on: asOf, on: req.db) : nil
        if leads != nil { header += ["牵头挂钩干部", "联系电话"] }
        let rows: [[XLSXCell]] = ranked.enumerated().map { index, figure in
            let p = figure.progress
            var liaison: [XLSXCell] = []
            if let leads {
                let lead = LeadLiaisonLabel(leads[figure.area.code])
                liaison = [.text(lead.name), .text(lead.phone)]
            }
            var row: [XLSXCell] = [.number(Double(index + 1)), .text(figure.area.name), .text(figure.area.code)]
            if parentHeader != nil { row.append(.text(parents[figure.area.code] ?? "")) }
            return row + [.number(Double(p.target)), .number(Double(p.counted)), .number(Percent.tenthsRoundedDown(p.percent)),
                          .number(Double(p.remaining)), .number(Double(p.newToday)), .number(Double(p.newThisWeek)),
                          .number(Double(p.expected)), p.neededPerDay.map { .number(($0 * 10).rounded() / 10) } ?? .empty,
                          .number((p.actualPerDay * 10).rounded() / 10), p.projectedCompletion.map { .date($0) } ?? .empty,
                          .text(CampaignDashboard.status(p))] + liaison
        }
        let title = "\(campaign.name)各\(level.label)排名"
        return try await xlsx(req, table: .init(title: title, header: header, rows: rows), asOf: asOf)
    }

    /// The ranking's 所属 column: the level each unit belongs to (none for provinces).
    static func parentHeader(_ level: DivisionLevel) -> String? {
        switch level {
        case .province: nil
        case .city: "所属\(DivisionLevel.province.label)"
        case .county: "所属\(DivisionLevel.city.label)"
        case .township: "所属\(DivisionLevel.county.label)"
        }
    }

    /// The name of each ranked unit's parent, by the unit's code.
    static func parentNames(_ ranked: [CampaignProgress.Figures], on db: any Database) async throws -> [String: String] {
        let parentCodes = Array(Set(ranked.compactMap(\.area.parentCode)))
        var names: [String: String] = [:]
        for chunk in stride(from: 0, to: parentCodes.count, by: 500).map({ Array(parentCodes[$0..<min($0 + 500, parentCodes.count)]) }) {
            for division in try await Division.query(on: db).filter(\.$id ~~ chunk).all() { names[division.code] = division.name }
        }
        return Dictionary(ranked.map { ($0.area.code, $0.area.parentCode.flatMap { names[$0] } ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    static func rankingLevel(_ req: Request, campaign: Campaign) throws -> DivisionLevel {
        let text = req.query[String.self, at: "level"] ?? ""
        if text.isEmpty { return campaign.regionPath.isEmpty ? .city : .county }
        guard let level = DivisionLevel(rawValue: text) else {
            throw InvalidInput(field: "level", reason: "「\(text)」不是层级（可用：province、city、county、township）")
        }
        return level
    }

    static func rankedFigures(_ campaign: Campaign, level: DivisionLevel, asOf: CalendarDay, on db: any Database) async throws -> [CampaignProgress.Figures] {
        let region = try await CampaignStore.regionArea(campaign, on: db)
        let areas = try await CampaignStore.divisions(at: level, in: region, on: db)
        return CampaignProgress.ranked(try await CampaignProgress.figures(campaign, areas: areas, asOf: asOf, on: db))
    }
}
