import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore

/// A month of the demo campaign's reporting: daily reports from mid-November, weekly and
/// half-month reports, most on time, some late, the stalled townships silent at the end; the
/// city's weekly reviews; and the bulletins it issued.
enum DemoReporting {
    static let progressLines = ["召开村（社区）、企业负责人座谈会，摸排青年聚集单位", "指导筹建单位完成团员组织关系转接", "联合工商所上门对接个体工商户",
                                "组织新建团支部书记集中培训", "依托青年志愿者协会推进社团建团"]
    static let problemLines = ["部分非公企业负责人重视不够", "流动团员多，组织关系难以转接", "个别站所人员少，团员不足 3 人", "", ""]
    static let nextLines = ["加大走访力度，确保按期完成", "推动筹建单位尽快完成批复", "对进度滞后村居逐一督促", "整理台账，迎接县级核查"]

    /// Seeds the reports, reviews and bulletins; returns (reports, bulletins).
    static func seed(_ campaign: Campaign, stalled: Set<String>, on db: any Database) async throws -> (Int, Int) {
        var generator = SeededGenerator(seed: 2012_11_15)
        // Periods up to yesterday when the demo replays a day of the campaign (TAIZHANG_TODAY), so today can be played.
        let today = CalendarDay.today()
        let horizon = min(campaign.deadline, today)
        func past(_ period: ReportingPeriod) -> Bool { period.lastDay <= campaign.deadline && period.lastDay < today }
        let schedule = ReportingSchedule.standard(startingOn: CalendarDay(year: 2012, month: 11, day: 15)!)
        let actor = Actor.commandLine("demo")
        try await ReportStore.setSchedule(schedule, for: campaign, by: actor, on: db)
        let region = try await CampaignStore.regionArea(campaign, on: db)
        let counties = try await CampaignStore.children(of: region, on: db)
        var reporters: [CampaignArea] = []
        for county in counties {
            let towns = try await CampaignStore.children(of: county, on: db)
            let targets = try await CampaignStore.targets(campaign.id, codes: [county.code] + towns.map(\.code), on: db)
            guard (targets[county.code] ?? 0) > 0 else { continue }
            reporters.append(county)
            reporters += towns.filter { (targets[$0.code] ?? 0) > 0 }
        }
        let lateProne = Set(reporters.shuffled(using: &generator).prefix(20).map(\.code))
        var count = 0
        for frequency in ReportingFrequency.allCases {
            for period in schedule.periods(frequency, from: schedule.daily.startsOn!, through: horizon) where past(period) {
                var submissions: [ReportStore.PastSubmission] = []
                for area in reporters {
                    let silent = stalled.contains(area.code) && period.lastDay >= campaign.deadline.adding(days: -16)
                    if silent || Int.random(in: 0..<100, using: &generator) < 2 { continue }
                    let late = lateProne.contains(area.code) ? Int.random(in: 0..<100, using: &generator) < 30
                                                             : Int.random(in: 0..<100, using: &generator) < 3
                    let minutes = late ? Int.random(in: 1...240, using: &generator) : -Int.random(in: 5...150, using: &generator)
                    submissions.append(.init(
                        area: area,
                        narrative: ReportNarrative(workProgress: progressLines.randomElement(using: &generator)!,
                                                   problems: problemLines.randomElement(using: &generator)!,
                                                   nextSteps: nextLines.randomElement(using: &generator)!),
                        submittedAt: period.dueAt.addingTimeInterval(Double(minutes * 60)),
                        submittedBy: area.level == .county ? "\(area.name)团委" : "\(area.name)团委填报员"))
                }
                try await ReportStore.record(campaign, period: period, submissions, by: actor, on: db)
                count += submissions.count
            }
        }
        // The city's weekly reviews: higher scores for the counties ahead.
        for period in schedule.periods(.weekly, from: schedule.daily.startsOn!, through: horizon) where past(period) {
            let figures = try await ReportStore.figures(campaign, areas: counties, period: period, on: db)
            for county in counties {
                guard let f = figures[county.code], f.target > 0 else { continue }
                let score = min(100, max(60, Int(f.percent * 0.4) + 55 + Int.random(in: -3...3, using: &generator)))
                try await ReportStore.review(campaign, county: county, period: period, score: score,
                                             comment: f.isBehindPace ? "进度滞后，须加大力度" : "进度正常，继续保持", by: actor, on: db)
            }
        }
        // Bulletins: weekly ones, the last days' daily ones, and both half-month summaries.
        var bulletins = 0
        let issuer = "共青团泉州市委员会"
        var drafts: [BulletinStore.Draft] = []
        for period in schedule.periods(.halfMonthly, from: schedule.daily.startsOn!, through: horizon) where past(period) {
            drafts.append(.init(kind: .halfMonthly, period: period, issuingBody: issuer, text: "各县（市、区）要对照目标任务，倒排工期，确保按时完成。"))
        }
        for period in schedule.periods(.weekly, from: schedule.daily.startsOn!, through: horizon) where past(period) {
            drafts.append(.init(kind: .weekly, period: period, issuingBody: issuer, text: "进度滞后的县（市、区）团委书记将被约谈。"))
        }
        for period in schedule.periods(.daily, from: horizon.adding(days: -5), through: horizon) where past(period) {
            drafts.append(.init(kind: .daily, period: period, issuingBody: issuer, text: ""))
        }
        for draft in drafts.sorted(by: { $0.period.dueAt < $1.period.dueAt }) {
            try await BulletinStore.issue(campaign, draft, at: draft.period.dueAt.addingTimeInterval(3600), by: .commandLine("泉州市团委"), on: db)
            bulletins += 1
        }
        return (count, bulletins)
    }
}
