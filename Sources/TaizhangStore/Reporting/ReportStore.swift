import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The reporting calendar of a campaign, reports and their amendments, completeness, and the
/// weekly reviews. Townships report to their county, counties to the city.
public enum ReportStore {
    // MARK: - Calendar

    public static func schedule(_ campaign: Campaign, on db: any Database) async throws -> ReportingSchedule {
        guard let row = try await db.sql.select().column("schedule").from("reporting_schedules")
            .where("campaign_id", .equal, campaign.id).first(),
            let text = try? row.decode(column: "schedule", as: String.self),
            let schedule = try? JSONDecoder().decode(ReportingSchedule.self, from: Data(text.utf8)) else {
            return .standard(startingOn: campaign.start)
        }
        return schedule
    }

    public static func setSchedule(_ schedule: ReportingSchedule, for campaign: Campaign, by actor: Actor, on database: any Database) async throws {
        do { try schedule.validate() } catch let problem as InvalidInput { throw Refusal(problem.message) }
        try await writeTransaction(on: database) { db in
            let before = try await self.schedule(campaign, on: db)
            let json = String(decoding: try JSONEncoder.sorted.encode(schedule), as: UTF8.self)
            try await db.sql.insert(into: "reporting_schedules").columns("campaign_id", "schedule", "updated_by", "updated_at")
                .values(SQLBind(campaign.id), SQLBind(json), SQLBind(actor.name), SQLBind(Date()))
                .onConflict(with: ["campaign_id"]) { $0.set(excludedValueOf: "schedule").set(excludedValueOf: "updated_by").set(excludedValueOf: "updated_at") }
                .run()
            try await AuditLog.record("reporting.schedule", entityType: "campaign", entityID: String(campaign.id), divisionPath: campaign.regionPath,
                                      before: ["报送安排": String(decoding: try JSONEncoder.sorted.encode(before), as: UTF8.self)],
                                      after: ["报送安排": json], by: actor, on: db)
        }
    }

    // MARK: - Figures

    /// Figures of each area for a period: as of its last day, with what was founded inside it.
    public static func figures(_ campaign: Campaign, areas: [CampaignArea], period: ReportingPeriod, on db: any Database) async throws -> [String: ReportFigures] {
        let end = try await CampaignProgress.figures(campaign, areas: areas, asOf: period.lastDay, on: db)
        let before = try await CampaignProgress.figures(campaign, areas: areas, asOf: period.firstDay.adding(days: -1), on: db)
        var result: [String: ReportFigures] = [:]
        for (now, then) in zip(end, before) {
            let p = now.progress
            result[now.area.code] = ReportFigures(target: p.target, counted: p.counted, newInPeriod: p.counted - then.progress.counted,
                                                  percent: Percent.tenthsRoundedDown(p.percent), expected: p.expected, isBehindPace: p.isBehindPace)
        }
        return result
    }

    // MARK: - Reports

    /// Submits a division's report for a period, or an amendment when it has reported already
    /// (the first submission is kept and decides whether it was on time).
    @discardableResult
    public static func submit(_ campaign: Campaign, area: CampaignArea, period: ReportingPeriod, narrative: ReportNarrative,
                              at instant: Date = ReportingClock.now(), by actor: Actor, on database: any Database) async throws -> Report {
        guard area.code == campaign.regionCode || area.level == .township || area.level == .county else {
            throw Refusal("报送单位：「\(area.name)」不报送（乡镇报县、县报市）")
        }
        guard campaign.region.contains(area.path) else { throw Refusal("报送单位：「\(area.name)」不在活动「\(campaign.name)」的地区内") }
        let schedule = try await schedule(campaign, on: database)
        guard schedule[period.frequency].isEnabled else { throw Refusal("\(period.frequency.label)未开启，不需报送") }
        let today = CalendarDay.today(now: instant)
        guard today >= period.lastDay else {
            throw Refusal("\(period.label)尚未结束：最早可在 \(period.lastDay.chinese) 报送")
        }
        guard period.lastDay >= campaign.start, period.firstDay <= campaign.deadline else {
            throw Refusal("\(period.label)不在活动期内（\(campaign.start.chinese)—\(campaign.deadline.chinese)）")
        }
        let text = ReportNarrative(workProgress: narrative.workProgress.trimmingCharacters(in: .whitespacesAndNewlines),
                                   problems: narrative.problems.trimmingCharacters(in: .whitespacesAndNewlines),
                                   nextSteps: narrative.nextSteps.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !text.workProgress.isEmpty else { throw Refusal("工作进展：不能为空") }
        for (field, value) in [("工作进展", text.workProgress), ("存在问题", text.problems), ("下步打算", text.nextSteps)] where value.count > 2000 {
            throw Refusal("\(field)：不能超过 2000 字（现有 \(value.count) 字）")
        }
        return try await writeTransaction(on: database) { db in
            let earlier = try await reports(campaign.id, periodKey: period.key, codes: [area.code], on: db)[area.code] ?? []
            let figures = try await figures(campaign, areas: [area], period: period, on: db)[area.code]!
            let timeliness = earlier.first?.timeliness ?? period.timeliness(ofSubmissionAt: instant)
            let revision = (earlier.last?.revision ?? 0) + 1
            let id = try await db.sql.insert(into: "reports")
                .columns("campaign_id", "division_code", "division_path", "period_key", "revision", "figures", "work_progress", "problems",
                         "next_steps", "submitted_by", "submitted_at", "timeliness")
                .values(SQLBind(campaign.id), SQLBind(area.code), SQLBind(area.path), SQLBind(period.key), SQLBind(revision),
                        SQLBind(String(decoding: try JSONEncoder.sorted.encode(figures), as: UTF8.self)), SQLBind(text.workProgress),
                        SQLBind(text.problems), SQLBind(text.nextSteps), SQLBind(actor.name), SQLBind(instant), SQLBind(timeliness.rawValue))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record(revision == 1 ? "report.submit" : "report.amend", entityType: "report", entityID: String(id),
                                      divisionPath: area.path, before: nil,
                                      after: ["周期": period.label, "单位": area.name, "版本": String(revision), "时效": timeliness.label,
                                              "工作进展": text.workProgress], by: actor, on: db)
            return Report(id: id, campaignID: campaign.id, divisionCode: area.code, divisionPath: area.path, periodKey: period.key,
                          revision: revision, figures: figures, workProgress: text.workProgress, problems: text.problems,
                          nextSteps: text.nextSteps, submittedBy: actor.name, submittedAt: instant, timeliness: timeliness)
        }
    }

    /// A past submission to record as it happened (for loading earlier reports, as the demo does).
    public struct PastSubmission: Sendable {
        public var area: CampaignArea
        public var narrative: ReportNarrative
        public var submittedAt: Date
        public var submittedBy: String

        public init(area: CampaignArea, narrative: ReportNarrative, submittedAt: Date, submittedBy: String) {
            self.area = area
            self.narrative = narrative
            self.submittedAt = submittedAt
            self.submittedBy = submittedBy
        }
    }

    /// Records first submissions for one period in bulk, each on time or late by its own time,
    /// with the figures of the period's close; one audit row for the batch.
    public static func record(_ campaign: Campaign, period: ReportingPeriod, _ submissions: [PastSubmission], by actor: Actor,
                              on database: any Database) async throws {
        guard !submissions.isEmpty else { return }
        try await writeTransaction(on: database) { db in
            let figures = try await figures(campaign, areas: submissions.map(\.area), period: period, on: db)
            for chunk in submissions.chunked(200) {
                var insert = db.sql.insert(into: "reports")
                    .columns("campaign_id", "division_code", "division_path", "period_key", "revision", "figures", "work_progress", "problems",
                             "next_steps", "submitted_by", "submitted_at", "timeliness")
                for submission in chunk {
                    let json = String(decoding: try JSONEncoder.sorted.encode(figures[submission.area.code]!), as: UTF8.self)
                    insert = insert.values(SQLBind(campaign.id), SQLBind(submission.area.code), SQLBind(submission.area.path), SQLBind(period.key),
                                           SQLBind(1), SQLBind(json), SQLBind(submission.narrative.workProgress), SQLBind(submission.narrative.problems),
                                           SQLBind(submission.narrative.nextSteps), SQLBind(submission.submittedBy), SQLBind(submission.submittedAt),
                                           SQLBind(period.timeliness(ofSubmissionAt: submission.submittedAt).rawValue))
                }
                try await insert.run()
            }
            try await AuditLog.record("report.record", entityType: "campaign", entityID: String(campaign.id), divisionPath: campaign.regionPath,
                                      before: nil, after: ["周期": period.label, "份数": String(submissions.count)], by: actor, on: db)
        }
    }

    struct ReportRow: Decodable {
        var id: Int
        var campaignId: Int
        var divisionCode: String
        var divisionPath: String
        var periodKey: String
        var revision: Int
        var figures: String
        var workProgress: String
        var problems: String
        var nextSteps: String
        var submittedBy: String
        var submittedAt: Date
        var timeliness: String

        var report: Report? {
            guard let figures = try? JSONDecoder().decode(ReportFigures.self, from: Data(figures.utf8)) else { return nil }
            return Report(id: id, campaignID: campaignId, divisionCode: divisionCode, divisionPath: divisionPath, periodKey: periodKey,
                          revision: revision, figures: figures, workProgress: workProgress, problems: problems, nextSteps: nextSteps,
                          submittedBy: submittedBy, submittedAt: submittedAt, timeliness: Timeliness(rawValue: timeliness) ?? .late)
        }
    }

    static let columns = ["id", "campaign_id", "division_code", "division_path", "period_key", "revision", "figures", "work_progress",
                          "problems", "next_steps", "submitted_by", "submitted_at", "timeliness"]

    /// Every revision of the reports of some divisions for a period, oldest first.
    public static func reports(_ campaignID: Int, periodKey: String, codes: [String], on db: any Database) async throws -> [String: [Report]] {
        var result: [String: [Report]] = [:]
        for chunk in codes.chunked(500) {
            let rows = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("reports")
                .where("campaign_id", .equal, campaignID).where("period_key", .equal, periodKey).where("division_code", .in, chunk)
                .orderBy("revision")
                .all(decoding: ReportRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            for row in rows { if let report = row.report { result[report.divisionCode, default: []].append(report) } }
        }
        return result
    }

    /// One report with its other revisions.
    public static func report(_ id: Int, on db: any Database) async throws -> (report: Report, revisions: [Report]) {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("reports").where("id", .equal, id)
            .first(decoding: ReportRow.self, keyDecodingStrategy: .convertFromSnakeCase), let report = row.report else {
            throw Refusal("找不到编号为 \(id) 的报告", kind: .notFound)
        }
        let all = try await reports(report.campaignID, periodKey: report.periodKey, codes: [report.divisionCode], on: db)[report.divisionCode] ?? []
        return (report, all)
    }

    /// Each division's status for a period: the first submission decides on time or late.
    public static func statuses(_ campaignID: Int, periodKey: String, codes: [String], on db: any Database) async throws -> [String: ReportStatus] {
        let all = try await reports(campaignID, periodKey: periodKey, codes: codes, on: db)
        var result: [String: ReportStatus] = [:]
        for code in codes {
            guard let revisions = all[code], let first = revisions.first, let latest = revisions.last else { result[code] = .missing; continue }
            result[code] = first.timeliness == .onTime ? .onTime(latest) : .late(latest)
        }
        return result
    }

    // MARK: - Weekly reviews

    /// The city scores and comments on a county's week (again to correct it; the audit trail keeps the earlier score).
    public static func review(_ campaign: Campaign, county: CampaignArea, period: ReportingPeriod, score: Int, comment: String,
                              by actor: Actor, on database: any Database) async throws {
        guard period.frequency == .weekly else { throw Refusal("周评只针对周报周期") }
        guard county.level == .county, campaign.region.contains(county.path) else {
            throw Refusal("周评对象：「\(county.name)」不是本活动地区内的县级单位")
        }
        guard (0...100).contains(score) else { throw Refusal("评分：应在 0 到 100 之间（现为 \(score)）") }
        try await writeTransaction(on: database) { db in
            let before = try await reviews(campaign.id, periodKey: period.key, on: db)[county.code]
            try await db.sql.insert(into: "weekly_reviews")
                .columns("campaign_id", "division_code", "division_path", "period_key", "score", "comment", "reviewer", "reviewed_at")
                .values(SQLBind(campaign.id), SQLBind(county.code), SQLBind(county.path), SQLBind(period.key), SQLBind(score),
                        SQLBind(comment.trimmingCharacters(in: .whitespacesAndNewlines)), SQLBind(actor.name), SQLBind(ReportingClock.now()))
                .onConflict(with: ["campaign_id", "division_code", "period_key"]) {
                    $0.set(excludedValueOf: "score").set(excludedValueOf: "comment").set(excludedValueOf: "reviewer").set(excludedValueOf: "reviewed_at")
                }.run()
            try await AuditLog.record("report.review", entityType: "campaign", entityID: String(campaign.id), divisionPath: county.path,
                                      before: before.map { ["评分": String($0.score), "评语": $0.comment] },
                                      after: ["周期": period.label, "单位": county.name, "评分": String(score), "评语": comment], by: actor, on: db)
        }
    }

    /// The reviews of a week, by county code.
    public static func reviews(_ campaignID: Int, periodKey: String, on db: any Database) async throws -> [String: WeeklyReview] {
        let all = try await allReviews(campaignID, periodKey: periodKey, on: db)
        return Dictionary(all.map { ($0.divisionCode, $0) }, uniquingKeysWith: { $1 })
    }

    /// Every review of a campaign (or of one week), for the annual assessment.
    public static func allReviews(_ campaignID: Int, periodKey: String? = nil, on db: any Database) async throws -> [WeeklyReview] {
        var query = db.sql.select().columns("division_code", "period_key", "score", "comment", "reviewer", "reviewed_at").from("weekly_reviews")
            .where("campaign_id", .equal, campaignID)
        if let periodKey { query = query.where("period_key", .equal, periodKey) }
        return try await query.orderBy("period_key").orderBy("division_code")
            .all(decoding: WeeklyReview.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}
