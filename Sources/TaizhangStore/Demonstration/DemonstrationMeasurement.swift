import FluentKit
import SQLKit
import TaizhangCore

/// The measured items of the checklist, read from the areas that own the figures: the committee's
/// members (`committee_members`), completion from the campaign's running counts
/// (`CampaignProgress`), timeliness from the reports (`AssessmentFacts.reportsOnTime`, the same
/// figure the annual assessment scores), and the joint conference's meeting months (`ConferenceStore.meetingMonths`).
enum DemonstrationMeasurement {
    static func outcomes(_ criteria: [DemonstrationCriterion], for demonstrations: [Demonstration], campaign: Campaign, asOf: CalendarDay,
                         on db: any Database) async throws -> [[CriterionOutcome]] {
        guard !demonstrations.isEmpty else { return [] }
        let codes = demonstrations.map(\.townshipCode)
        let kinds = Set(criteria.map(\.kind))
        var areas: [CampaignArea] = []
        for code in codes { if let area = try await CampaignStore.area(code, on: db) { areas.append(area) } }
        let committee = kinds.contains(.committeeStaffed) ? try await committeeFigures(codes, on: db) : [:]
        var completion: [String: (target: Int, percent: Double)] = [:]
        if kinds.contains(.completion) {
            for figures in try await CampaignProgress.figures(campaign, areas: areas, asOf: asOf, on: db) {
                completion[figures.area.code] = (figures.target, Percent.tenthsRoundedDown(figures.progress.percent))
            }
        }
        let onTime = kinds.contains(.reportsOnTime) ? try await AssessmentFacts.reportsOnTime(campaign, units: areas, asOf: asOf, on: db) : [:]
        var results: [[CriterionOutcome]] = []
        for demonstration in demonstrations {
            var row: [CriterionOutcome] = []
            for criterion in criteria {
                let code = demonstration.townshipCode
                switch criterion.kind {
                case .committeeStaffed:
                    let figure = committee[code] ?? (0, false)
                    if !figure.hasSecretary {
                        row.append(.notMet(figure: "未配备书记，班子 \(figure.members) 人"))
                    } else {
                        row.append(.measured(Double(figure.members), kind: .committeeStaffed, threshold: criterion.threshold, missing: ""))
                    }
                case .completion:
                    let figure = completion[code]
                    row.append(.measured(figure.flatMap { $0.target > 0 ? $0.percent : nil }, kind: .completion, threshold: criterion.threshold,
                                         missing: "本次活动没有给该乡镇分配指标"))
                case .reportsOnTime:
                    row.append(.measured(onTime[code], kind: .reportsOnTime, threshold: criterion.threshold, missing: "截至 \(asOf) 还没有到期的报送"))
                case .conferenceMonthly:
                    row.append(try await conferenceOutcome(code, threshold: criterion.threshold, asOf: asOf, on: db))
                case .evidence:
                    if let latest = demonstration.latestEvidence(for: criterion.id), latest.marksMet {
                        row.append(.met(figure: "已提交佐证（\(latest.files.count) 个附件）"))
                    } else {
                        row.append(.notMet(figure: criterion.evidenceRequired ? "尚未提交佐证材料" : "尚未确认"))
                    }
                }
            }
            results.append(row)
        }
        return results
    }

    /// Members of each township's committee and whether one of them is its secretary.
    static func committeeFigures(_ codes: [String], on db: any Database) async throws -> [String: (members: Int, hasSecretary: Bool)] {
        struct Row: Decodable { var townshipCode: String; var position: String }
        let rows = try await db.sql.select().column("township_code").column("position").from("committee_members")
            .where("township_code", .in, codes).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        var result: [String: (members: Int, hasSecretary: Bool)] = [:]
        for row in rows {
            var entry = result[row.townshipCode] ?? (0, false)
            entry.members += 1
            if row.position == CommitteePosition.secretary.rawValue { entry.hasSecretary = true }
            result[row.townshipCode] = entry
        }
        return result
    }

    /// The joint conference met in each of the `threshold` whole months before `asOf`'s month.
    static func conferenceOutcome(_ township: String, threshold: Double?, asOf: CalendarDay, on db: any Database) async throws -> CriterionOutcome {
        let months = Int(threshold ?? DemonstrationCriterion.Kind.conferenceMonthly.defaultThreshold ?? 2)
        let window = monthsBefore(asOf, count: months)
        guard let first = window.first.flatMap({ CalendarDay(iso: $0 + "-01") }), let lastMonth = window.last,
              let last = CalendarDay(iso: lastMonth + "-28") else { return .notMeasurable(reason: "达标线不对") }
        let met = Set(try await ConferenceStore.meetingMonths(townshipCode: township, from: first, to: last, on: db))
        let count = window.filter { met.contains($0) }.count
        return .measured(Double(count), kind: .conferenceMonthly, threshold: Double(months), missing: "")
    }

    /// "yyyy-MM" of the `count` months before `day`'s month, oldest first.
    static func monthsBefore(_ day: CalendarDay, count: Int) -> [String] {
        var year = day.year, month = day.month
        var result: [String] = []
        for _ in 0..<max(count, 0) {
            month -= 1
            if month == 0 { month = 12; year -= 1 }
            result.insert(String(format: "%04d-%02d", year, month), at: 0)
        }
        return result
    }
}
