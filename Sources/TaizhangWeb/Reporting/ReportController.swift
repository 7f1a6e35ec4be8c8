import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 报送 (`/campaigns/{id}/reports`): the reporting calendar, who has reported for a period, on
/// time or late or not at all, a division's own report, the city's weekly review of counties,
/// and reporting rates over time.
enum ReportController {

    struct ChildReport: Encodable {
        var name: String
        var workProgress: String
        var problems: String
        var nextSteps: String
    }

    struct ScheduleForm: Encodable {
        var dailyOn: Bool
        var dailyStart: String
        var dailyDue: String
        var weeklyOn: Bool
        var weeklyDue: String
        var weeklyDays: Int
        var halfOn: Bool
        var halfDue: String
        var halfDays: Int
    }

    /// `/reports` and `/bulletins` in the navigation: the latest campaign the user takes part in.
    static func latest(_ req: Request, page: (Parameter<Int>) -> SiteURL) async throws -> Response {
        guard let campaign = try await CampaignStore.list(overlapping: try req.scope(for: .view), on: req.db).first else {
            return req.redirect(to: SiteURL.campaigns.path)
        }
        return req.redirect(to: page(.value(campaign.id)).path)
    }

    static func latestReports(_ req: Request) async throws -> Response { try await latest(req, page: SiteURL.campaignReports) }
    static func latestBulletins(_ req: Request) async throws -> Response { try await latest(req, page: SiteURL.campaignBulletins) }

    /// The period of `?period=`, else the latest one of `?frequency=` (default daily) whose last day has come.
    static func period(_ req: Request, campaign: Campaign, schedule: ReportingSchedule) throws -> ReportingPeriod {
        if let key = req.query[String.self, at: "period"]?.nilIfBlank { return try schedule.period(key: key) }
        let frequency = try req.query[String.self, at: "frequency"].map { text in
            guard let value = ReportingFrequency(rawValue: text) else { throw InvalidInput(field: "frequency", reason: "「\(text)」不是报送类型") }
            return value
        } ?? .daily
        let day = min(CalendarDay.today(now: ReportingClock.now()), campaign.deadline)
        let current = schedule.period(frequency, containing: day)
        return current.lastDay <= day ? current : schedule.period(frequency, containing: current.firstDay.adding(days: -1))
    }

    static func show(_ req: Request) async throws -> Response {
        try await render(req, error: nil, notice: nil, status: .ok)
    }

    static func render(_ req: Request, error: String?, notice: String?, status: HTTPStatus, narrative: ReportNarrative? = nil,
                       periodKey: String? = nil, areaCode: String? = nil) async throws -> Response {
        let campaign = try req.requireCampaign()
        let user = try req.requireUser()
        let schedule = try await ReportStore.schedule(campaign, on: req.db)
        let period = try periodKey.map { try schedule.period(key: $0) } ?? self.period(req, campaign: campaign, schedule: schedule)
        let area = try await (areaCode ?? req.query[String.self, at: "area"]?.nilIfBlank)
            .asyncMap { try await CampaignDashboard.area($0, campaign: campaign, req: req) }
        let chosen: CampaignArea
        if let area { chosen = area } else { chosen = try await CampaignDashboard.landingArea(campaign, req: req) }
        let children = try await CampaignStore.children(of: chosen, on: req.db)
        let childTargets = try await CampaignStore.targets(campaign.id, codes: children.map(\.code), on: req.db)
        let reporting = children.filter { (childTargets[$0.code] ?? 0) > 0 }
        let statuses = try await ReportStore.statuses(campaign.id, periodKey: period.key, codes: [chosen.code] + reporting.map(\.code), on: req.db)
        let reviews = period.frequency == .weekly ? try await ReportStore.reviews(campaign.id, periodKey: period.key, on: req.db) : [:]
        var rows: [StatusRow] = []
        var missingByRow: [[CampaignArea]] = []
        for child in reporting {
            var row = statusRow(child, statuses[child.code] ?? .missing, campaignID: campaign.id)
            if child.level == .county {
                let towns = try await CampaignStore.children(of: child, on: req.db)
                let targets = try await CampaignStore.targets(campaign.id, codes: towns.map(\.code), on: req.db)
                let active = towns.filter { (targets[$0.code] ?? 0) > 0 }
                let townStatuses = try await ReportStore.statuses(campaign.id, periodKey: period.key, codes: active.map(\.code), on: req.db)
                let onTime = active.filter { if case .onTime = townStatuses[$0.code] { return true } else { return false } }.count
                let missing = active.filter { townStatuses[$0.code] == .missing }
                row.townships = "按时 \(onTime)，逾期 \(active.count - onTime - missing.count)，未报 \(missing.count)（共 \(active.count)）"
                missingByRow.append(missing)
                row.onTimeRate = active.isEmpty ? "—" : DisplayFormat.percent(Double(onTime) * 100 / Double(active.count))
            } else {
                missingByRow.append([])
            }
            if let review = reviews[child.code] {
                row.review = "\(review.score) 分：\(review.comment)"
                row.reviewScore = String(review.score)
                row.reviewComment = review.comment
            }
            rows.append(row)
        }
        // The weekly review sees the scope's open supervision items beside each county's score.
        let supervision = period.frequency == .weekly && chosen.level != .township
            ? try await supervisionPanel(campaign, area: chosen, req: req) : nil
        if let tally = supervision?.tally {
            for index in rows.indices {
                rows[index].openItems = tally[rows[index].code]?.open ?? 0
                rows[index].overdueItems = tally[rows[index].code]?.overdue ?? 0
            }
        }
        // Who answers for each township named here: the townships' own rows, the counties' 未报 lists.
        let townshipCodes = reporting.filter { $0.level == .township }.map(\.code) + missingByRow.joined().map(\.code)
        let leads = try await LiaisonStore.leads(campaignID: campaign.id, townships: townshipCodes, on: period.lastDay, on: req.db)
        for index in rows.indices {
            if reporting[index].level == .township { rows[index].lead = LeadLiaisonLabel(leads[reporting[index].code]) }
            rows[index].missingTownships = missingByRow[index].map { TownshipWithLiaison(name: $0.name, liaison: LeadLiaisonLabel(leads[$0.code])) }
        }
        let own = chosen.level == .township || chosen.level == .county || chosen.code == campaign.regionCode
            ? statusRow(chosen, statuses[chosen.code] ?? .missing, campaignID: campaign.id) : nil
        let canSubmit = own != nil && user.policy.allows(.editLedger, at: chosen.path) && schedule[period.frequency].isEnabled
        let figures = canSubmit ? try await ReportStore.figures(campaign, areas: [chosen], period: period, on: req.db)[chosen.code] : nil
        var childReports: [ChildReport] = []
        if canSubmit {
            let reports = try await ReportStore.reports(campaign.id, periodKey: period.key, codes: reporting.map(\.code), on: req.db)
            for child in reporting {
                guard let report = reports[child.code]?.last else { continue }
                childReports.append(ChildReport(name: child.name, workProgress: report.workProgress, problems: report.problems, nextSteps: report.nextSteps))
            }
        }
        // Reporting rates over the last periods: each child's share of its reporters on time.
        let recent = Array(schedule.periods(period.frequency, from: campaign.start, through: period.lastDay).suffix(7))
        var rates: [RateRow] = []
        if chosen.level != .township {
            var history: [String: [String: ReportStatus]] = [:]
            for past in recent {
                history[past.key] = try await ReportStore.statuses(campaign.id, periodKey: past.key, codes: reporting.map(\.code), on: req.db)
            }
            rates = reporting.map { child in
                RateRow(name: child.name, rates: recent.map { past in
                    switch history[past.key]?[child.code] ?? .missing {
                    case .onTime: "按时"
                    case .late: "逾期"
                    case .missing: "未报"
                    }
                })
            }
        }
        let availablePeriods = schedule.periods(period.frequency, from: campaign.start,
                                                through: min(CalendarDay.today(now: ReportingClock.now()), campaign.deadline))
        let page = Page(
            layout: LayoutContext(title: "\(campaign.name) · 报送", area: .reports, request: req),
            campaignLinks: CampaignLinks(campaign.id), campaignName: campaign.name, areaCode: chosen.code, areaName: chosen.name,
            frequencies: ReportingFrequency.allCases.filter { schedule[$0].isEnabled }
                .map { Option(value: $0.rawValue, label: $0.label, selected: $0 == period.frequency) },
            periods: availablePeriods.reversed().map { Option(value: $0.key, label: $0.label, selected: $0 == period) },
            periodKey: period.key, periodLabel: period.label, dueAt: DisplayFormat.dateTime(period.dueAt),
            rows: rows, hasRows: !rows.isEmpty, childLabel: reporting.first?.level?.shortLabel ?? "下级", showTownships: reporting.first?.level == .county,
            showLiaisons: reporting.first?.level == .township,
            own: own, canSubmit: canSubmit, figures: figures, childReports: childReports,
            canReview: period.frequency == .weekly && user.policy.allows(.manageCampaigns, at: campaign.regionPath) && chosen.code == campaign.regionCode,
            isWeekly: period.frequency == .weekly, rateHeaders: recent.map { "\($0.firstDay.month)/\($0.firstDay.day)" + ($0.frequency == .daily ? "" : "起") },
            rates: rates, canManage: user.policy.allows(.manageCampaigns, at: campaign.regionPath),
            schedule: scheduleForm(schedule), supervision: supervision?.panel, error: error, notice: notice,
            narrative: narrative ?? own.flatMap { row in statuses[chosen.code]?.report.map {
                ReportNarrative(workProgress: $0.workProgress, problems: $0.problems, nextSteps: $0.nextSteps) } }
                ?? ReportNarrative(workProgress: "", problems: "", nextSteps: ""))
        return try await req.view.render("reports", page).encodeResponse(status: status, for: req)
    }

    static func statusRow(_ area: CampaignArea, _ status: ReportStatus, campaignID: Int) -> StatusRow {
        let report = status.report
        return StatusRow(code: area.code, name: area.name, status: status.label, statusCode: status.code,
                         submittedAt: report.map { DisplayFormat.dateTime($0.submittedAt) } ?? "", submittedBy: report?.submittedBy ?? "",
                         reportHref: report.map { SiteURL.campaignReport(.value(campaignID), .value($0.id)).path },
                         revisions: report?.revision ?? 0,
                         counted: report.map { String($0.figures.counted) } ?? "", newInPeriod: report.map { String($0.figures.newInPeriod) } ?? "",
                         townships: "", missingTownships: [], lead: nil, openItems: 0, overdueItems: 0, onTimeRate: "", review: "", reviewScore: "", reviewComment: "")
    }

    static func scheduleForm(_ schedule: ReportingSchedule) -> ScheduleForm {
        ScheduleForm(dailyOn: schedule.daily.isEnabled, dailyStart: schedule.daily.startsOn?.description ?? "",
                     dailyDue: schedule.daily.dueTime.description, weeklyOn: schedule.weekly.isEnabled, weeklyDue: schedule.weekly.dueTime.description,
                     weeklyDays: schedule.weekly.dueDaysAfterEnd, halfOn: schedule.halfMonthly.isEnabled,
                     halfDue: schedule.halfMonthly.dueTime.description, halfDays: schedule.halfMonthly.dueDaysAfterEnd)
    }

    struct SubmitForm: Content {
        var area: String
        var period: String
        var workProgress: String?
        var problems: String?
        var nextSteps: String?
    }

    static func submit(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let form = try req.content.decode(SubmitForm.self)
        let area = try await CampaignDashboard.area(form.area, campaign: campaign, req: req)
        guard try req.requireUser().policy.allows(.editLedger, at: area.path) else { throw AccessDenied.notPermitted(area.name) }
        let narrative = ReportNarrative(workProgress: form.workProgress ?? "", problems: form.problems ?? "", nextSteps: form.nextSteps ?? "")
        do {
            let schedule = try await ReportStore.schedule(campaign, on: req.db)
            let period = try schedule.period(key: form.period)
            let report = try await ReportStore.submit(campaign, area: area, period: period, narrative: narrative, by: req.actor, on: req.db)
            let notice = "已报送\(period.label)\(period.frequency.label)（第 \(report.revision) 版，\(report.timeliness.label)）"
            return try await render(req, error: nil, notice: notice, status: .ok, periodKey: period.key, areaCode: area.code)
        } catch let error as any UserFacingError where error.kind == .invalidInput {
            req.refusalReason = error.message
            return try await render(req, error: error.message, notice: nil, status: .badRequest, narrative: narrative,
                                    periodKey: (try? await ReportStore.schedule(campaign, on: req.db).period(key: form.period))?.key,
                                    areaCode: area.code)
        }
    }

    struct Revision: Encodable {
        var revision: Int
        var href: String
        var submittedAt: String
        var submittedBy: String
        var current: Bool
    }

    static func report(_ req: Request) async throws -> View {
        let campaign = try req.requireCampaign()
        guard let id = req.parameters.get("reportID", as: Int.self) else { throw Refusal("报告编号应为数字", kind: .notFound) }
        let (report, revisions) = try await ReportStore.report(id, on: req.db)
        guard report.campaignID == campaign.id else { throw Refusal("找不到编号为 \(id) 的报告", kind: .notFound) }
        let area = try await CampaignDashboard.area(report.divisionCode, campaign: campaign, req: req)
        let schedule = try await ReportStore.schedule(campaign, on: req.db)
        let period = try schedule.period(key: report.periodKey)
        return try await req.view.render("report", ReportPage(
            layout: LayoutContext(title: "\(area.name) \(period.label)\(period.frequency.label)", area: .reports, request: req),
            campaignLinks: CampaignLinks(campaign.id), areaName: area.name, periodLabel: period.label + period.frequency.label, report: report,
            submittedAt: DisplayFormat.dateTime(report.submittedAt),
            revisions: revisions.map { Revision(revision: $0.revision, href: SiteURL.campaignReport(.value(campaign.id), .value($0.id)).path,
                                                submittedAt: DisplayFormat.dateTime($0.submittedAt), submittedBy: $0.submittedBy,
                                                current: $0.id == report.id) }))
    }

    struct ReviewForm: Content {
        var period: String
        var county: String
        var score: String
        var comment: String?
    }

    static func review(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let form = try req.content.decode(ReviewForm.self)
        do {
            let period = try await ReportStore.schedule(campaign, on: req.db).period(key: form.period)
            let county = try await CampaignDashboard.area(form.county, campaign: campaign, req: req)
            let score = try ValueParser.integer(form.score, field: "评分")
            try await ReportStore.review(campaign, county: county, period: period, score: score, comment: form.comment ?? "", by: req.actor, on: req.db)
            return try await render(req, error: nil, notice: "已评「\(county.name)」\(score) 分", status: .ok, periodKey: period.key,
                                    areaCode: campaign.regionCode)
        } catch let error as any UserFacingError where error.kind == .invalidInput {
            req.refusalReason = error.message
            return try await render(req, error: error.message, notice: nil, status: .badRequest, areaCode: campaign.regionCode)
        }
    }

    struct ScheduleInput: Content {
        var dailyOn: String?
        var dailyStart: String?
        var dailyDue: String?
        var weeklyOn: String?
        var weeklyDue: String?
        var weeklyDays: String?
        var halfOn: String?
        var halfDue: String?
        var halfDays: String?
    }

    static func saveSchedule(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let form = try req.content.decode(ScheduleInput.self)
        do {
            func rule(_ on: String?, _ start: String?, _ due: String?, _ days: String?, _ name: String) throws -> ReportingRule {
                ReportingRule(isEnabled: on == "1", startsOn: try start?.nilIfBlank.map { try ValueParser.day($0, field: "\(name)开始日期") } ?? campaign.start,
                              dueTime: try TimeOfDay.parse(due ?? "17:00", field: "\(name)截止时间"),
                              dueDaysAfterEnd: try days?.nilIfBlank.map { try ValueParser.integer($0, field: "\(name)截止日") } ?? 0)
            }
            let schedule = ReportingSchedule(daily: try rule(form.dailyOn, form.dailyStart, form.dailyDue, "0", "日报"),
                                             weekly: try rule(form.weeklyOn, nil, form.weeklyDue, form.weeklyDays, "周报"),
                                             halfMonthly: try rule(form.halfOn, nil, form.halfDue, form.halfDays, "半月汇报"))
            try await ReportStore.setSchedule(schedule, for: campaign, by: req.actor, on: req.db)
            return try await render(req, error: nil, notice: "报送安排已保存", status: .ok)
        } catch let error as any UserFacingError where error.kind == .invalidInput {
            req.refusalReason = error.message
            return try await render(req, error: error.message, notice: nil, status: .badRequest)
        }
    }
}
