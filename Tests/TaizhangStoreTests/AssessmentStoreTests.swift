import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

/// The demo's campaign assessed by the city as of 2012-12-15 (year 2013, so it never meets the demo's own 2012 assessment).
private func cityAssessment(on db: any Database) async throws -> (Campaign, Assessment) {
    let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: db).first)
    let assessment = try await AssessmentStore.create(campaignID: campaign.id, scopeCode: "3505", year: 2013, asOf: day("2012-12-15"),
                                                      title: nil, scope: .everywhere, by: testActor, on: db)
    return (campaign, assessment)
}

private func scoreEveryCheckedItem(_ assessment: Assessment, points: (String) -> String = { _ in "8" }, on db: any Database) async throws {
    for unit in try await AssessmentStore.units(assessment, on: db) {
        for indicator in assessment.rubric.indicators where indicator.kind == .checked {
            try await AssessmentStore.scoreChecked(assessment.id, unit: unit.code, indicator: indicator.key, points: points(unit.code),
                                                   note: "查阅材料", scope: .everywhere, by: testActor, on: db)
        }
    }
}

private func count(_ table: String, on db: any Database) async throws -> Int {
    try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first(decodingColumn: "n", as: Int.self) ?? -1
}

@Suite struct AssessmentStoreTests {
    @Test(arguments: TestDatabase.all)
    func measuredIndicatorsEqualDirectComputationsFromTheData(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let db = app.db
            let (campaign, assessment) = try await cityAssessment(on: db)
            let units = try await AssessmentStore.units(assessment, on: db)
            let counties = try await DivisionQueries.children(of: "3505", on: db)
            #expect(units.map(\.code) == counties.map(\.code))
            var records: [OrganizationRecord] = []
            try await LedgerQuery.forEach(LedgerFilter(), on: db) { records += $0 }
            let targets = try await CampaignStore.targets(campaign.id, codes: counties.map(\.code), on: db)
            let schedule = try await ReportStore.schedule(campaign, on: db)
            let endOfDay = schedule.period(.daily, containing: assessment.asOf).closesAt
            let due = ReportingFrequency.allCases.flatMap { schedule.periods($0, from: campaign.start, through: assessment.asOf) }
                .filter { $0.dueAt <= endOfDay }.map(\.key)
            let firstReports = try await db.sql.select().columns("division_code", "period_key", "timeliness").from("reports")
                .where("campaign_id", .equal, campaign.id).where("revision", .equal, 1).all()
            var samples: [(code: String, outcome: SpotCheckOutcome)] = []
            for check in try await SpotCheckStore.list(in: .everywhere, on: db) where check.asOf <= assessment.asOf {
                for sample in try await SpotCheckStore.samples(check, on: db) {
                    if let outcome = sample.finding?.outcome { samples.append((sample.code, outcome)) }
                }
            }
            #expect(!samples.isEmpty, "the demo's spot check has findings")
            struct ReviewEventRow: Decodable { var organizationCode: String; var toState: String; var recordedAt: Date; var id: UUID }
            var stateAtEndOfDay: [String: ReviewState] = [:]
            for event in try await db.sql.select().columns("organization_code", "to_state", "recorded_at", "id").from("organization_review_events")
                .all(decoding: ReviewEventRow.self, keyDecodingStrategy: .convertFromSnakeCase)
                .filter({ $0.recordedAt < assessment.asOf.endInShanghai }).sorted(by: { ($0.recordedAt, $0.id.uuidString) < ($1.recordedAt, $1.id.uuidString) }) {
                stateAtEndOfDay[event.organizationCode] = ReviewState(rawValue: event.toState)
            }
            #expect(stateAtEndOfDay.values.contains { $0.isConfirmed }, "the demo's reviews happened before the assessment day")
            var sawSpotCheck = false
            for county in counties {
                let unit = try #require(units.first { $0.code == county.code })
                let mine = records.filter { DivisionPath(county.path).contains($0.divisionPath) }
                // 目标完成率: what the campaign counts as of the day ÷ the target, as the dashboard shows it.
                let counted = mine.filter { campaign.rule.counts($0.fields, review: $0.review.countedReview, on: assessment.asOf, start: campaign.start) }.count
                let target = targets[county.code] ?? 0
                #expect(unit.value(.completion) == (target > 0 ? Percent.tenthsRoundedDown(Double(counted) * 100 / Double(target)) : nil), "\(county.name)")
                // 核查通过率: founded by the day, and confirmed by its latest review event up to the end of the day.
                let founded = mine.filter {
                    $0.fields.stage == .founded && ($0.fields.foundedOn.map { $0 <= assessment.asOf } ?? true)
                        && ($0.review.refutedOn.map { $0 > assessment.asOf } ?? true)
                }
                let confirmed = founded.filter { stateAtEndOfDay[$0.code]?.isConfirmed == true }.count
                #expect(unit.value(.verificationPass) == (founded.isEmpty ? nil : Double(confirmed * 1000 / founded.count) / 10), "\(county.name)")
                // 按时报送率
                let onTime = try firstReports.filter {
                    try $0.decode(column: "division_code", as: String.self) == county.code && due.contains(try $0.decode(column: "period_key", as: String.self))
                        && (try $0.decode(column: "timeliness", as: String.self)) == Timeliness.onTime.rawValue
                }.count
                #expect(unit.value(.reportsOnTime) == Double(onTime * 1000 / due.count) / 10, "\(county.name)")
                // 抽查属实率
                let codes = Set(mine.map(\.code))
                let checked = samples.filter { codes.contains($0.code) && $0.outcome.isChecked }
                let real = checked.filter { $0.outcome.isReal }.count
                #expect(unit.value(.spotCheckReal) == (checked.isEmpty ? nil : Double(real * 1000 / checked.count) / 10), "\(county.name)")
                sawSpotCheck = sawSpotCheck || !checked.isEmpty
            }
            #expect(sawSpotCheck)
            // 挂钩覆盖率 and 联席会按月召开率, straight from the assignments and the meetings.
            struct Township: Decodable { var code: String; var path: String }
            let townships = try await db.sql.select().columns("code", "path").from("divisions").where("level", .equal, "township")
                .where("path", .like, "35/3505/%").all(decoding: Township.self)
            let asOf = assessment.asOf.description
            let leads = Set(try await db.sql.select().column("township_code").from("liaison_assignments").where("campaign_id", .equal, campaign.id)
                .where("role", .equal, "lead").where("starts_on", .lessThanOrEqual, asOf)
                .where { $0.where("ends_on", .is, SQLLiteral.null).orWhere("ends_on", .greaterThanOrEqual, asOf) }
                .all(decodingColumn: "township_code", as: String.self))
            struct Meeting: Decodable { var townshipCode: String; var heldOn: String }
            let meetings = try await db.sql.select().columns("township_code", "held_on").from("conference_meetings")
                .all(decoding: Meeting.self, keyDecodingStrategy: .convertFromSnakeCase)
                .filter { $0.heldOn >= campaign.start.description && $0.heldOn <= asOf }
            let met = Set(meetings.map { "\($0.townshipCode)|\($0.heldOn.prefix(7))" })
            let months = ["2012-10", "2012-11", "2012-12"]  // the demo campaign runs 2012-10-15 to the assessment's 2012-12-15
            // 走访达标率, 督办按期办结率 and 品牌活动覆盖率, from the rhythm, the visits, the items and the activities.
            let rhythmRow = try await db.sql.select().columns("visits", "days").from("visit_rhythms").where("campaign_id", .equal, campaign.id).first()
            let (required, days) = try rhythmRow.map { (try $0.decode(column: "visits", as: Int.self), try $0.decode(column: "days", as: Int.self)) } ?? (3, 30)
            let windowStart = assessment.asOf.adding(days: -(days - 1)).description
            struct VisitRow: Decodable { var townshipCode: String; var visitedOn: String }
            let visits = try await db.sql.select().columns("township_code", "visited_on").from("visits")
                .all(decoding: VisitRow.self, keyDecodingStrategy: .convertFromSnakeCase).filter { $0.visitedOn >= windowStart && $0.visitedOn <= asOf }
            let visitCounts = Dictionary(grouping: visits, by: \.townshipCode).mapValues(\.count)
            struct ItemRow: Decodable { var divisionPath: String; var deadline: String; var state: String; var closedAt: Date? }
            let items = try await db.sql.select().columns("division_path", "deadline", "state", "closed_at").from("supervision_items")
                .where("campaign_id", .equal, campaign.id).all(decoding: ItemRow.self, keyDecodingStrategy: .convertFromSnakeCase)
                .filter { $0.deadline <= asOf && $0.state != "returned" }
            func closedOnTime(_ item: ItemRow) -> Bool {
                guard item.state == "closed", let closedAt = item.closedAt else { return false }
                return CalendarDay.shanghaiDay(secondsSince1970: closedAt.timeIntervalSince1970).description <= item.deadline
            }
            struct ActivityRow: Decodable { var townshipCode: String; var heldOn: String }
            let activityTownships = Set(try await db.sql.select().columns("township_code", "held_on").from("activities")
                .all(decoding: ActivityRow.self, keyDecodingStrategy: .convertFromSnakeCase)
                .filter { $0.heldOn >= campaign.start.description && $0.heldOn <= asOf }.map(\.townshipCode))
            var sawItems = false, sawVisitGap = false
            var sawGap = false
            for county in counties {
                let unit = try #require(units.first { $0.code == county.code })
                let mine = townships.filter { DivisionPath(county.path).contains($0.path) }.map(\.code)
                guard !mine.isEmpty else { continue }
                let covered = mine.filter(leads.contains).count
                #expect(unit.value(.liaisonCoverage) == Double(covered * 1000 / mine.count) / 10, "\(county.name)")
                let held = mine.map { code in months.filter { met.contains("\(code)|\($0)") }.count }.reduce(0, +)
                #expect(unit.value(.conferenceMonthly) == Double(held * 1000 / (mine.count * months.count)) / 10, "\(county.name)")
                sawGap = sawGap || covered < mine.count
                let visited = mine.filter { (visitCounts[$0] ?? 0) >= required }.count
                #expect(unit.value(.visitRhythm) == Double(visited * 1000 / mine.count) / 10, "\(county.name)")
                sawVisitGap = sawVisitGap || visited < mine.count
                let active = mine.filter(activityTownships.contains).count
                #expect(unit.value(.activityCoverage) == Double(active * 1000 / mine.count) / 10, "\(county.name)")
                let due = items.filter { DivisionPath(county.path).contains($0.divisionPath) }
                let onTime = due.filter(closedOnTime).count
                #expect(unit.value(.supervisionOnTime) == (due.isEmpty ? nil : Double(onTime * 1000 / due.count) / 10), "\(county.name)")
                sawItems = sawItems || !due.isEmpty
            }
            #expect(sawGap, "德化县 has townships without a lead liaison in the demo")
            #expect(sawItems, "the demo's supervision items fall due before the assessment")
            #expect(sawVisitGap, "the demo's stalled townships were not visited as often as the rhythm asks")
            // 示范乡镇验收数: approved by the city and accepted by the day, counted per county.
            struct DemonstrationRow: Decodable { var townshipPath: String; var status: String; var acceptedOn: String? }
            let accepted = try await db.sql.select().columns("township_path", "status", "accepted_on").from("demonstration_townships")
                .where("campaign_id", .equal, campaign.id).all(decoding: DemonstrationRow.self, keyDecodingStrategy: .convertFromSnakeCase)
                .filter { $0.status == "approved" && ($0.acceptedOn.map { $0 <= asOf } ?? false) }
            for county in counties where !townships.filter({ DivisionPath(county.path).contains($0.path) }).isEmpty {
                let unit = try #require(units.first { $0.code == county.code })
                #expect(unit.value(.demonstrationAccepted) == Double(accepted.filter { DivisionPath(county.path).contains($0.townshipPath) }.count),
                        "\(county.name)")
            }
            // A review made after the day leaves the day's 核查通过率 as it was.
            let jinjiang = try #require(counties.first { $0.code == "350582" })
            let queue = try await ReviewQueue.page(.init(scope: .within(jinjiang.path), state: .pending), limit: 20, on: db)
                .filter { $0.fields.stage == .founded }
            #expect(!queue.isEmpty, "晋江 still has a review queue in the demo")
            _ = try await ReviewStore.confirm(queue.map(\.code), at: .county, scope: .everywhere, by: testActor, on: db)
            let again = try await AssessmentStore.units(assessment, on: db)
            #expect(again.first { $0.code == "350582" }?.value(.verificationPass) == units.first { $0.code == "350582" }?.value(.verificationPass))
            // The management zone, set up on 2012-10-08, is less than six months old on the day.
            let outcome = try await AssessmentStore.preview(assessment, on: db)
            #expect(outcome.units.contains { $0.name == "泉州台商投资区" && $0.ineligibleReason?.contains("不满 6 个月") == true })
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPublishedResultNeverChangesWhenTheDataChanges(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let db = app.db
            let (_, assessment) = try await cityAssessment(on: db)
            try await scoreEveryCheckedItem(assessment, on: db)
            let published = try await AssessmentStore.publish(assessment.id, scope: .everywhere, today: day("2013-01-05"), by: testActor, on: db)
            #expect(published.version == 1)
            #expect(published.content.outcome.count(.five) <= published.content.outcome.fiveStarCap)
            #expect(published.content.outcome.count(.five) + published.content.outcome.count(.four) <= published.content.outcome.fourOrBetterCap)
            let before = try await AssessmentStore.preview(assessment, on: db)
            #expect(before == published.content.outcome)

            // Ten more organizations founded in 晋江 before the assessment date.
            var inJinjiang = LedgerFilter(scope: .within(try await DivisionQueries.require("350582", on: db).path))
            inJinjiang.stages = [.founded]
            let model = try #require(try await LedgerQuery.page(inJinjiang, sort: .ledger, after: nil, limit: 1, on: db).records.first)
            for index in 0..<10 {
                var fields = model.fields
                fields.name = "考评后补录第\(index)号团支部"
                fields.foundedOn = day("2012-12-01")
                fields.guidance = .newlyBuilt
                _ = try await OrganizationStore.create(fields, by: testActor, on: db)
            }
            let after = try await AssessmentStore.preview(assessment, on: db)
            #expect(after.units.first { $0.code == "350582" }?.measured != before.units.first { $0.code == "350582" }?.measured)
            let stored = try await AssessmentStore.result(assessment.id, version: 1, on: db)
            #expect(stored.content == published.content)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badInputIsRefusedAndChangesNothing(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let db = app.db
            let (_, assessment) = try await cityAssessment(on: db)
            let audits = try await count("audit_events", on: db)
            let scores = try await count("assessment_checked_scores", on: db), results = try await count("assessment_results", on: db)
            let appeals = try await count("assessment_appeals", on: db)

            var rubric = assessment.rubric
            rubric.indicators[0].weight = 50
            await #expect(throws: Refusal.self) {
                try await AssessmentStore.saveRubric(assessment.id, rubric, expectedVersion: 1, scope: .everywhere, by: testActor, on: db)
            }
            do {
                try await AssessmentStore.scoreChecked(assessment.id, unit: "350582", indicator: "i6", points: "8", note: " ", scope: .everywhere,
                                                       by: testActor, on: db)
                Issue.record("a checked item without a note was saved")
            } catch let refusal as Refusal {
                #expect(refusal.message == "晋江市「组织领导与工作机制」评分说明：检查类指标须写明评分依据（看了哪些材料、扣分原因）")
            }
            // A township of another county is not a unit of the city's assessment; 晋江's administrator cannot assess for the city.
            await #expect(throws: Refusal.self) {
                try await AssessmentStore.scoreChecked(assessment.id, unit: "350582101", indicator: "i6", points: "8", note: "材料", scope: .everywhere,
                                                       by: testActor, on: db)
            }
            let jinjiang = Scope.within(try await DivisionQueries.require("350582", on: db).path)
            do {
                try await AssessmentStore.scoreChecked(assessment.id, unit: "350582", indicator: "i6", points: "8", note: "材料", scope: jinjiang,
                                                       by: testActor, on: db)
                Issue.record("a county scored itself in the city's assessment")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .forbidden)
            }
            // Unscored checked items block publication.
            do {
                try await AssessmentStore.publish(assessment.id, scope: .everywhere, by: testActor, on: db)
                Issue.record("published with unscored items")
            } catch let refusal as Refusal {
                #expect(refusal.message.hasPrefix("尚有 ") && refusal.message.contains("项检查类指标未评分，不能发布："))
            }
            #expect(try await count("audit_events", on: db) == audits)
            #expect(try await count("assessment_checked_scores", on: db) == scores)
            #expect(try await count("assessment_results", on: db) == results)
            #expect(try await AssessmentStore.find(assessment.id, in: .everywhere, on: db).rubric == assessment.rubric)

            try await scoreEveryCheckedItem(assessment, on: db)
            try await AssessmentStore.publish(assessment.id, scope: .everywhere, today: day("2013-01-05"), by: testActor, on: db)
            await #expect(throws: Refusal.self) {
                try await AssessmentStore.publish(assessment.id, scope: .everywhere, by: testActor, on: db)
            }
            // The window is 7 days: on 2013-01-13 it has closed.
            do {
                try await AssessmentStore.fileAppeal(assessment.id, unit: "350582", indicator: "i6", reason: "材料已补交", scope: jinjiang,
                                                     today: day("2013-01-13"), by: testActor, on: db)
                Issue.record("an appeal after its window was filed")
            } catch let refusal as Refusal {
                #expect(refusal.message == "申诉期限已过：第 1 版结果于 2013-01-05 发布，申诉截至 2013-01-12")
            }
            // 晋江 cannot appeal for 南安.
            await #expect(throws: Refusal.self) {
                try await AssessmentStore.fileAppeal(assessment.id, unit: "350583", indicator: "i6", reason: "代南安申诉", scope: jinjiang,
                                                     today: day("2013-01-06"), by: testActor, on: db)
            }
            #expect(try await count("assessment_appeals", on: db) == appeals)
            #expect(try await count("assessment_results", on: db) == results + 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAcceptedAppealIsRepublishedAsANewVersionWithTheChangeShown(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let db = app.db
            let (_, assessment) = try await cityAssessment(on: db)
            try await scoreEveryCheckedItem(assessment, points: { $0 == "350583" ? "2" : "9" }, on: db)
            let first = try await AssessmentStore.publish(assessment.id, scope: .everywhere, today: day("2013-01-05"), by: testActor, on: db)
            #expect(first.number == 1)
            let nanan = Scope.within(try await DivisionQueries.require("350583", on: db).path)
            let appeal = try await AssessmentStore.fileAppeal(assessment.id, unit: "350583", indicator: "i6", reason: "领导小组文件已于 12 月印发，附件见材料",
                                                              scope: nanan, today: day("2013-01-08"), by: testActor, on: db)
            await #expect(throws: Refusal.self) {
                try await AssessmentStore.republish(assessment.id, scope: .everywhere, by: testActor, on: db)
            }
            await #expect(throws: Refusal.self) {
                try await AssessmentStore.decideAppeal(assessment.id, appeal: appeal.id, accept: true, newPoints: "11", note: "材料属实",
                                                       scope: .everywhere, by: testActor, on: db)
            }
            _ = try await AssessmentStore.decideAppeal(assessment.id, appeal: appeal.id, accept: true, newPoints: "9", note: "材料属实，改为 9 分",
                                                       scope: .everywhere, by: testActor, on: db)
            let second = try await AssessmentStore.republish(assessment.id, scope: .everywhere, today: day("2013-01-10"), by: testActor, on: db)
            #expect(second.version == 2)
            #expect(second.number == 1)
            let oldNanan = try #require(first.content.outcome.units.first { $0.code == "350583" })
            let newNanan = try #require(second.content.outcome.units.first { $0.code == "350583" })
            #expect(newNanan.total.hundredths == oldNanan.total.hundredths + 700)
            #expect(newNanan.line("i6")?.adjustedFrom == AssessmentPoints(points: 2))
            #expect(second.content.changes.first == "南安市「组织领导与工作机制」经申诉由 2 分改为 9 分（第 \(appeal.id) 号申诉）")
            #expect(second.content.changes.contains("南安市总分由 \(oldNanan.total) 分变为 \(newNanan.total) 分"))
            // Other units' figures are the frozen ones, not today's.
            #expect(second.content.outcome.units.filter { $0.code != "350583" }.map(\.lines) == first.content.outcome.units.filter { $0.code != "350583" }.map(\.lines))
            #expect(try await AssessmentStore.result(assessment.id, version: 1, on: db).content == first.content)
            #expect(try await AssessmentStore.appeals(assessment.id, on: db).first?.appliedInVersion == 2)
        }
    }
}
