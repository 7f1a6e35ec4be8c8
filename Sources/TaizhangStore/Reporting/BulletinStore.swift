import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Issuing numbered bulletins (日通报, 周通报, 半月汇报) and reading them back. Issuing copies
/// the figures into the bulletin; nothing recomputes them afterwards.
public enum BulletinStore {
    public struct Draft: Sendable {
        public var kind: ReportingFrequency
        public var period: ReportingPeriod
        public var issuingBody: String
        public var text: String

        public init(kind: ReportingFrequency, period: ReportingPeriod, issuingBody: String, text: String) {
            self.kind = kind
            self.period = period
            self.issuingBody = issuingBody
            self.text = text
        }
    }

    /// The bulletin as it would be issued now (the page shows it before issuing).
    public static func compose(_ campaign: Campaign, _ draft: Draft, number: Int, at instant: Date = ReportingClock.now(),
                               on db: any Database) async throws -> BulletinContent {
        let period = draft.period
        guard period.frequency == draft.kind else { throw Refusal("通报周期：「\(period.label)」不是\(draft.kind.label)周期") }
        guard period.lastDay >= campaign.start, period.firstDay <= campaign.deadline else {
            throw Refusal("\(period.label)没有数据：不在活动期内（\(campaign.start.chinese)—\(campaign.deadline.chinese)）")
        }
        guard CalendarDay.today(now: instant) >= period.lastDay else {
            throw Refusal("\(period.label)尚未结束，不能通报")
        }
        let region = try await CampaignStore.regionArea(campaign, on: db)
        let counties = try await CampaignStore.children(of: region, on: db)
        let figures = try await ReportStore.figures(campaign, areas: [region] + counties, period: period, on: db)
        let statuses = try await ReportStore.statuses(campaign.id, periodKey: period.key, codes: counties.map(\.code), on: db)
        var rows = counties.compactMap { county -> BulletinContent.Row? in
            guard let f = figures[county.code], f.target > 0 || f.counted > 0 else { return nil }
            return BulletinContent.Row(code: county.code, name: county.name, target: f.target, counted: f.counted, percent: f.percent,
                                       newInPeriod: f.newInPeriod, rank: 0, reporting: statuses[county.code]?.label ?? "未报送",
                                       isBehindPace: f.isBehindPace)
        }
        rows.sort { $0.percent != $1.percent ? $0.percent > $1.percent : ($0.counted != $1.counted ? $0.counted > $1.counted : $0.code < $1.code) }
        for index in rows.indices { rows[index].rank = index + 1 }
        guard let total = figures[region.code], total.target > 0 || total.counted > 0 else {
            throw Refusal("\(period.label)没有数据：「\(region.name)」尚未分配指标，也没有计入的团组织")
        }
        var missing: [BulletinContent.Missing] = []
        var absentTownships: [(county: CampaignArea, township: CampaignArea)] = []
        var activeTownships: [(county: CampaignArea, township: CampaignArea)] = []
        for county in counties where rows.contains(where: { $0.code == county.code }) {
            let townships = try await CampaignStore.children(of: county, on: db)
            let targets = try await CampaignStore.targets(campaign.id, codes: townships.map(\.code), on: db)
            let active = townships.filter { (targets[$0.code] ?? 0) > 0 }
            let townshipStatuses = try await ReportStore.statuses(campaign.id, periodKey: period.key, codes: active.map(\.code), on: db)
            let absent = active.filter { townshipStatuses[$0.code] == .missing }
            absentTownships += absent.map { (county, $0) }
            activeTownships += active.map { (county, $0) }
            let countyMissing = statuses[county.code] == .missing
            if countyMissing || !absent.isEmpty { missing.append(.init(county: county.name, countyMissing: countyMissing, townships: absent.map(\.name))) }
        }
        // Who answers for each township named: its lead liaison on the period's last day.
        let townshipFigures = try await ReportStore.figures(campaign, areas: activeTownships.map { $0.township }, period: period, on: db)
        let behindTownships = activeTownships.filter { townshipFigures[$0.township.code]?.isBehindPace == true }
        let leads = try await LiaisonStore.leads(campaignID: campaign.id, townships: (absentTownships + behindTownships).map { $0.township.code },
                                                 on: period.lastDay, on: db)
        func line(_ pair: (county: CampaignArea, township: CampaignArea), percent: Double?) -> BulletinContent.TownshipLine {
            .init(county: pair.county.name, code: pair.township.code, name: pair.township.name, percent: percent, liaison: leads[pair.township.code])
        }
        let refutedByTownship = try await OrganizationReview.refutedCounts(in: .within(region.path), through: period.lastDay, on: db)
        let refuted = counties.compactMap { county -> BulletinContent.Refuted? in
            let count = refutedByTownship.filter { DivisionPath(county.path).contains($0.key) }.values.reduce(0, +)
            return count > 0 ? .init(county: county.name, count: count) : nil
        }
        let title = "\(region.name)乡镇“大团委”建设工作\(draft.kind == .halfMonthly ? "半月汇报" : draft.kind == .weekly ? "周通报" : "日通报")"
        return BulletinContent(
            campaignName: campaign.name, regionName: region.name, kind: draft.kind, number: number, periodKey: period.key,
            periodLabel: period.label, issuingBody: draft.issuingBody.nilIfBlank ?? "共青团\(region.name)委员会",
            issuedOn: CalendarDay.today(now: instant), title: title,
            total: .init(code: region.code, name: region.name, target: total.target, counted: total.counted, percent: total.percent,
                         newInPeriod: total.newInPeriod, rank: 0, reporting: "", isBehindPace: total.isBehindPace),
            rows: rows, behind: rows.filter(\.isBehindPace).map(\.name), notReported: missing,
            notReportedTownships: absentTownships.map { line($0, percent: nil) },
            behindTownships: behindTownships.map { line($0, percent: townshipFigures[$0.township.code]?.percent) },
            text: draft.text.trimmingCharacters(in: .whitespacesAndNewlines), deadline: campaign.deadline, refuted: refuted)
    }

    /// The next number of a kind of bulletin in a campaign (withdrawn ones keep theirs).
    public static func nextNumber(_ campaignID: Int, kind: ReportingFrequency, on db: any Database) async throws -> Int {
        let row = try await db.sql.select().column(SQLFunction("MAX", args: SQLColumn("number")), as: "last").from("bulletins")
            .where("campaign_id", .equal, campaignID).where("kind", .equal, kind.rawValue).first()
        let last = try row?.decodeNil(column: "last") == false ? try row?.decode(column: "last", as: Int.self) : nil
        return (last ?? 0) + 1
    }

    /// Issues the next bulletin of its kind; its figures are frozen from here on.
    @discardableResult
    public static func issue(_ campaign: Campaign, _ draft: Draft, at instant: Date = ReportingClock.now(), by actor: Actor,
                             on database: any Database) async throws -> Bulletin {
        guard draft.text.count <= 5000 else { throw Refusal("通报正文：不能超过 5000 字（现有 \(draft.text.count) 字）") }
        return try await writeTransaction(on: database) { db in
            if let issued = try await list(campaign.id, on: db).first(where: {
                $0.kind == draft.kind && $0.periodKey == draft.period.key && $0.withdrawal == nil
            }) {
                throw Refusal("\(draft.period.label)的\(draft.kind.bulletinLabel)已签发（第\(issued.number)期）；如需重发，请先将该期作废并写明原因",
                                     kind: .conflict)
            }
            let number = try await nextNumber(campaign.id, kind: draft.kind, on: db)
            let content = try await compose(campaign, draft, number: number, at: instant, on: db)
            let json = String(decoding: try JSONEncoder.sorted.encode(content), as: UTF8.self)
            let id = try await db.sql.insert(into: "bulletins")
                .columns("campaign_id", "kind", "number", "period_key", "title", "issued_by", "issued_at", "content")
                .values(SQLBind(campaign.id), SQLBind(draft.kind.rawValue), SQLBind(number), SQLBind(draft.period.key), SQLBind(content.title),
                        SQLBind(actor.name), SQLBind(instant), SQLBind(json))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("bulletin.issue", entityType: "bulletin", entityID: String(id), divisionPath: campaign.regionPath,
                                      before: nil, after: ["标题": content.title, "期号": "第\(number)期", "周期": content.periodLabel],
                                      by: actor, on: db)
            return Bulletin(id: id, campaignID: campaign.id, kind: draft.kind, number: number, periodKey: draft.period.key,
                            title: content.title, issuedBy: actor.name, issuedAt: instant, content: content)
        }
    }

    /// Withdraws (作废) an issued bulletin: it keeps its number and content and is shown as
    /// withdrawn; its period may then be issued again under the next number.
    @discardableResult
    public static func withdraw(_ campaign: Campaign, id: Int, reason: String, at instant: Date = ReportingClock.now(), by actor: Actor,
                                on database: any Database) async throws -> Bulletin {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Refusal("作废原因：不能为空") }
        guard reason.count <= 500 else { throw Refusal("作废原因：不能超过 500 字（现有 \(reason.count) 字）") }
        return try await writeTransaction(on: database) { db in
            var bulletin = try await find(campaign.id, id: id, on: db)
            if let withdrawal = bulletin.withdrawal {
                throw Refusal("第\(bulletin.number)期已于 \(withdrawal.at) 由\(withdrawal.by)作废", kind: .conflict)
            }
            try await db.sql.update("bulletins").set("withdrawn_at", to: SQLBind(instant)).set("withdrawn_by", to: SQLBind(actor.name))
                .set("withdrawal_reason", to: SQLBind(reason)).where("id", .equal, id).run()
            try await AuditLog.record("bulletin.withdraw", entityType: "bulletin", entityID: String(id), divisionPath: campaign.regionPath,
                                      before: ["标题": bulletin.title, "期号": "第\(bulletin.number)期"], after: ["作废原因": reason],
                                      by: actor, on: db)
            bulletin.withdrawal = .init(at: instant, by: actor.name, reason: reason)
            return bulletin
        }
    }

    struct Row: Decodable {
        var id: Int
        var campaignId: Int
        var kind: String
        var number: Int
        var periodKey: String
        var title: String
        var issuedBy: String
        var issuedAt: Date
        var content: String
        var withdrawnAt: Date?
        var withdrawnBy: String?
        var withdrawalReason: String?

        var bulletin: Bulletin? {
            guard let kind = ReportingFrequency(rawValue: kind),
                  let content = try? JSONDecoder().decode(BulletinContent.self, from: Data(content.utf8)) else { return nil }
            return Bulletin(id: id, campaignID: campaignId, kind: kind, number: number, periodKey: periodKey, title: title,
                            issuedBy: issuedBy, issuedAt: issuedAt, content: content,
                            withdrawal: withdrawnAt.map { .init(at: $0, by: withdrawnBy ?? "", reason: withdrawalReason ?? "") })
        }
    }

    static let columns = ["id", "campaign_id", "kind", "number", "period_key", "title", "issued_by", "issued_at", "content",
                          "withdrawn_at", "withdrawn_by", "withdrawal_reason"]

    /// A campaign's bulletins, oldest first.
    public static func list(_ campaignID: Int, on db: any Database) async throws -> [Bulletin] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("bulletins").where("campaign_id", .equal, campaignID)
            .orderBy("issued_at").orderBy("id")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).compactMap(\.bulletin)
    }

    public static func find(_ campaignID: Int, id: Int, on db: any Database) async throws -> Bulletin {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("bulletins")
            .where("campaign_id", .equal, campaignID).where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase), let bulletin = row.bulletin else {
            throw Refusal("找不到编号为 \(id) 的通报", kind: .notFound)
        }
        return bulletin
    }
}
