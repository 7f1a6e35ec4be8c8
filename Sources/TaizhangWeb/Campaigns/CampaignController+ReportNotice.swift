import TaizhangCore
import TaizhangStore
import Vapor

extension CampaignController {
    struct ReportNotice: Encodable {
        var text: String
        var href: String
        var isDue: Bool
    }

    /// Today's daily report of `area`, for the user who sends it: due (with its deadline) or sent.
    static func reportNotice(_ req: Request, campaign: Campaign, area: CampaignArea) async throws -> ReportNotice? {
        guard try req.requireUser().policy.allows(.editLedger, at: area.path), area.level != .city else { return nil }
        let schedule = try await ReportStore.schedule(campaign, on: req.db)
        let today = CalendarDay.today(now: ReportingClock.now())
        guard schedule.daily.isEnabled, today >= (schedule.daily.startsOn ?? campaign.start), today <= campaign.deadline else { return nil }
        let period = schedule.period(.daily, containing: today)
        let status = try await ReportStore.statuses(campaign.id, periodKey: period.key, codes: [area.code], on: req.db)[area.code] ?? .missing
        let href = SiteURL.campaignReports(.value(campaign.id)).path + "?area=\(area.code)&frequency=daily&period=\(period.key)"
        switch status {
        case .missing:
            return ReportNotice(text: "今天（\(today.month)月\(today.day)日）的日报还没有报送，截止时间 \(DisplayFormat.dateTime(period.dueAt))（北京时间）。",
                                href: href, isDue: true)
        case .onTime(let report), .late(let report):
            return ReportNotice(text: "今天的日报已于 \(DisplayFormat.dateTime(report.submittedAt)) 报送（\(status.label)）。", href: href, isDue: false)
        }
    }
}
