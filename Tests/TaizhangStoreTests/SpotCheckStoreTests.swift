import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangTestSupport
import Testing

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

/// 150 organizations over townships of four counties of 泉州: most 已建立 inside the window,
/// some 联系指导, some founded before the campaign, some only 筹建, some founded after the as-of day.
private func seedLedger(on db: any Database) async throws -> Campaign {
    _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
    let townships = ["350582101", "350582102", "350582103", "350583101", "350583102", "350521104", "350524101", "350524102"]
    var random = SeededGenerator(seed: 20_121_201)
    var csv = "乡镇（街道）,团组织名称,组织类型,单位类别,建团方式,建设阶段,筹建批复日期,成立日期,新建或联系指导\n"
    for index in 0..<150 {
        let kind = Int.random(in: 0..<10, using: &random)
        let stage = kind == 0 ? "筹建" : "已建立"
        let founded = kind == 0 ? "" : kind == 1 ? "2012-09-15" : kind == 2 ? "2012-12-10" : day("2012-10-01").adding(days: Int.random(in: 0..<60, using: &random)).description
        let guidance = kind == 3 ? "联系指导" : "新建"
        let category = index.isMultiple(of: 3) ? "学校" : "非公企业"
        csv += "\(townships[index % townships.count]),抽查测试第\(index)号团支部,团支部,\(category),单独建团,\(stage),2012-08-01,\(founded),\(guidance)\n"
    }
    _ = try await LedgerImporter.commit(TabularFileReader(data: Data(csv.utf8)), fileName: "抽查.csv", scope: .everywhere, by: testActor, on: db)
    return try await CampaignStore.create(
        CampaignDraft(name: "抽查测试活动", regionCode: "3505", start: day("2012-10-01"), deadline: day("2012-12-15"), target: 100,
                      rule: CountingRule(newOnly: true, withinWindow: true)), by: testActor, on: db)
}

private func allRecords(on db: any Database) async throws -> [OrganizationRecord] {
    var all: [OrganizationRecord] = []
    try await LedgerQuery.forEach(LedgerFilter(), on: db) { all += $0 }
    return all
}

private func spotCheckCount(on db: any Database) async throws -> Int {
    try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("spot_checks")
        .first(decodingColumn: "n", as: Int.self) ?? -1
}

@Suite struct SpotCheckStoreTests {
    @Test(arguments: TestDatabase.all)
    func theFrameIsWhatTheCampaignCountsAndTheDrawCanBeRedone(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedLedger(on: app.db)
            let asOf = day("2012-12-01")
            let design = SpotCheckDesign(stratification: .county, size: .percent(10, minimum: 3))
            let request = SpotCheckRequest(campaignID: campaign.id, scopeCode: "3505", asOf: asOf, design: design, seed: SpotCheckSeed(4_242))
            let spotCheck = try await SpotCheckStore.draw(request, today: day("2012-12-20"), in: .everywhere, by: testActor, on: app.db)

            // The frame, counted directly from the ledger with the campaign's rule.
            let counted = try await allRecords(on: app.db).filter { campaign.rule.counts($0.fields, on: asOf, start: campaign.start) }
            #expect(spotCheck.frameSize == counted.count)
            #expect(spotCheck.frameHash == SpotCheckDraw.frameHash(counted.map(\.code)))
            let countyOf = { (record: OrganizationRecord) in DivisionPath.codes(in: record.divisionPath)[2] }
            #expect(spotCheck.strata.map(\.code) == Set(counted.map(countyOf)).sorted())
            #expect(spotCheck.strata.map(\.frameSize) == spotCheck.strata.map { s in counted.filter { countyOf($0) == s.code }.count })

            // The stored sample is the documented draw of that frame with that seed.
            let expected = try SpotCheckDraw.draw(
                frame: counted.map { .init(code: $0.code, stratumCode: countyOf($0), stratumName: "") }, design: design, seed: SpotCheckSeed(4_242))
            let samples = try await SpotCheckStore.samples(spotCheck, on: app.db)
            #expect(samples.map { "\($0.stratumCode)|\($0.position)|\($0.code)" } == expected.sample.map { "\($0.stratumCode)|\($0.position)|\($0.code)" })
            #expect(samples.allSatisfy { $0.finding == nil && !$0.name.isEmpty && !$0.townshipName.isEmpty })

            let redraw = try await SpotCheckStore.redraw(spotCheck, comparingLedger: true, on: app.db)
            #expect(redraw.matches)
            #expect(redraw.addedSince == 0 && redraw.removedSince == 0)
            #expect(try await SpotCheckStore.redraw(spotCheck, on: app.db).addedSince == nil)

            // The same seed over the same frame draws the same sample; another seed another one.
            let again = try await SpotCheckStore.draw(request, today: day("2012-12-20"), in: .everywhere, by: testActor, on: app.db)
            #expect(try await SpotCheckStore.samples(again, on: app.db).map(\.code) == samples.map(\.code))
            var other = request
            other.seed = SpotCheckSeed(4_243)
            let different = try await SpotCheckStore.draw(other, today: day("2012-12-20"), in: .everywhere, by: testActor, on: app.db)
            #expect(try await SpotCheckStore.samples(different, on: app.db).map(\.code) != samples.map(\.code))
            #expect(different.frameHash == spotCheck.frameHash)

            var found = try await SpotCheckStore.find(spotCheck.id, in: .everywhere, on: app.db)
            #expect(abs(found.createdAt.timeIntervalSince(spotCheck.createdAt)) < 0.01)
            found.createdAt = spotCheck.createdAt
            #expect(found == spotCheck)
            #expect(try await SpotCheckStore.list(in: .everywhere, on: app.db).map(\.id) == [different.id, again.id, spotCheck.id])
            let events = try await AuditLog.events(entityType: "spot_check", entityID: String(spotCheck.id), on: app.db)
            #expect(events.map(\.action) == ["spotcheck.draw"])
            #expect(events.first?.afterJSON?.contains("4242") == true)

            // A county's check of its townships, narrowed to schools: only 晋江市's records that are schools.
            var county = SpotCheckRequest(campaignID: campaign.id, scopeCode: "350582", asOf: asOf,
                                          filters: SpotCheckFilters(unitCategory: "学校"),
                                          design: .init(stratification: .township, size: .fixed(1)), seed: SpotCheckSeed(9))
            let jinjiang = try await SpotCheckStore.draw(county, today: day("2012-12-20"), in: .within("35/3505/350582/"), by: testActor, on: app.db)
            #expect(jinjiang.frameSize == counted.filter { $0.divisionPath.hasPrefix("35/3505/350582/") && $0.fields.unitCategory == "学校" }.count)
            #expect(jinjiang.strata.allSatisfy { $0.code.hasPrefix("350582") && $0.code.count == 9 && $0.sampleSize == 1 })
            #expect(try await SpotCheckStore.list(in: .within("35/3505/350582/"), on: app.db).map(\.id) == [jinjiang.id])
            await #expect(throws: Refusal.self) { _ = try await SpotCheckStore.find(spotCheck.id, in: .within("35/3505/350582/"), on: app.db) }
            county.design = .init(stratification: .county, size: .fixed(1))
            await #expect(throws: Refusal.self) {
                _ = try await SpotCheckStore.draw(county, today: day("2012-12-20"), in: .everywhere, by: testActor, on: app.db)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func badDrawsAreRefusedByNameAndStoreNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedLedger(on: app.db)
            let base = SpotCheckRequest(campaignID: campaign.id, scopeCode: "3505", asOf: day("2012-12-01"),
                                        design: .init(stratification: .county, size: .fixed(500)), seed: SpotCheckSeed(1))
            let refusals: [(SpotCheckRequest, Scope, String)] = [
                (base, .everywhere, "抽不出 500 个"),
                ({ var r = base; r.design.size = .percent(-1, minimum: 2); return r }(), .everywhere, "不能为负数"),
                ({ var r = base; r.scopeCode = "350582" ; r.design.size = .fixed(1); return r }(), .within("35/3505/350583/"), "找不到代码为「350582」"),
                ({ var r = base; r.asOf = day("2013-01-05"); r.design.size = .fixed(1); return r }(), .everywhere, "不能晚于今天"),
                ({ var r = base; r.filters = .init(buildMode: "楼宇建团"); r.design.size = .fixed(1); return r }(), .everywhere, "没有符合条件的团组织"),
            ]
            for (request, scope, message) in refusals {
                do {
                    _ = try await SpotCheckStore.draw(request, today: day("2012-12-20"), in: scope, by: testActor, on: app.db)
                    Issue.record("drew \(request.design.label) without a refusal")
                } catch let error as any UserFacingError {
                    #expect(error.message.contains(message), "\(error.message)")
                }
            }
            #expect(try await spotCheckCount(on: app.db) == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func findingsAreRecordedAuditedAndReported(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedLedger(on: app.db)
            let request = SpotCheckRequest(campaignID: campaign.id, scopeCode: "3505", asOf: day("2012-12-01"),
                                           design: .init(stratification: .county, size: .percent(20, minimum: 4)), seed: SpotCheckSeed(77))
            let spotCheck = try await SpotCheckStore.draw(request, today: day("2012-12-20"), in: .everywhere, by: testActor, on: app.db)
            let samples = try await SpotCheckStore.samples(spotCheck, on: app.db)
            let today = day("2012-12-20")
            let city = try #require(try await CampaignStore.area("3505", on: app.db))
            let counted = { @Sendable () async throws -> Int in
                try await CampaignProgress.figures(campaign, areas: [city], asOf: day("2012-12-15"), on: app.db)[0].progress.counted
            }
            let countedBefore = try await counted()
            let outcomes: [SpotCheckOutcome] = [.real, .real, .wrongDetails, .notReal, .unverifiable]
            for (index, sample) in samples.enumerated() where index % 6 != 5 {
                let outcome = outcomes[index % outcomes.count]
                let finding = SpotCheckFinding(outcome: outcome, checker: " 核查员甲 ", visitedOn: day("2012-12-05"),
                                               wrongFields: outcome == .wrongDetails ? ["书记姓名", "团员数"] : [], notes: "走访")
                try await SpotCheckStore.record(finding, for: sample.code, in: spotCheck.id, today: today, scope: .everywhere, by: testActor, on: app.db)
            }
            let recorded = try await SpotCheckStore.samples(spotCheck, on: app.db)
            #expect(recorded[2].finding?.wrongFields == ["书记姓名", "团员数"])
            #expect(recorded[0].finding?.checker == "核查员甲")
            #expect(recorded[5].finding == nil)
            let events = try await AuditLog.events(entityType: "organization", entityID: samples[3].code, on: app.db)
            #expect(Set(events.map(\.action)).isSuperset(of: ["spotcheck.outcome", "organization.refute"]))
            #expect(events.first { $0.action == "spotcheck.outcome" }?.afterJSON?.contains("不属实") == true)

            // The report adds up what was recorded, and its figures are Core's formulas on those counts.
            let report = try await SpotCheckStore.report(spotCheck, on: app.db)
            let findings = recorded.compactMap(\.finding?.outcome)
            #expect(report.total.checked == findings.filter { $0 != .unverifiable }.count)
            #expect(report.total.real == findings.filter { $0 == .real || $0 == .wrongDetails }.count)
            #expect(report.total.pending == recorded.filter { $0.finding == nil }.count)
            #expect(report.total.share == SpotCheckStatistics.wilson(successes: report.total.real, trials: report.total.checked))
            #expect(report.strata.map(\.checked).reduce(0, +) == report.total.checked)
            let parts = report.strata.map { SpotCheckStatistics.StratumCounts(frameSize: $0.frameSize, checked: $0.checked, real: $0.real) }
            #expect(report.total.estimate == SpotCheckStatistics.stratifiedEstimate(parts))

            // Bad findings: not in the sample, 信息有误 without fields, a visit in the future; 不属实 stays.
            let outsider = try await allRecords(on: app.db).first { record in !samples.contains { $0.code == record.code } }!
            let bad: [(SpotCheckFinding, String, String)] = [
                (.init(outcome: .real, checker: "甲", visitedOn: day("2012-12-05")), outsider.code, "不在第 \(spotCheck.id) 号抽查的样本中"),
                (.init(outcome: .wrongDetails, checker: "甲", visitedOn: day("2012-12-05")), samples[5].code, "请选出哪些字段有误"),
                (.init(outcome: .real, checker: "甲", visitedOn: day("2012-12-25")), samples[5].code, "不能晚于今天"),
                (.init(outcome: .real, checker: "", visitedOn: day("2012-12-05")), samples[5].code, "核查人：不能为空"),
            ]
            for (finding, code, message) in bad {
                do {
                    try await SpotCheckStore.record(finding, for: code, in: spotCheck.id, today: today, scope: .everywhere, by: testActor, on: app.db)
                    Issue.record("recorded \(finding.outcome.label) for \(code) without a refusal")
                } catch let error as any UserFacingError {
                    #expect(error.message.contains(message), "\(error.message)")
                }
            }
            #expect(try await SpotCheckStore.samples(spotCheck, on: app.db) == recorded)

            // 不属实 takes the organization out of the counts and out of the next frame; a corrected finding puts it back.
            let refuted = recorded.filter { $0.finding?.outcome == .notReal }
            #expect(!refuted.isEmpty)
            #expect(try await counted() == countedBefore - refuted.count)
            let next = try await SpotCheckStore.draw(request, today: today, in: .everywhere, by: testActor, on: app.db)
            #expect(next.frameSize == spotCheck.frameSize - refuted.count)
            #expect(try await SpotCheckStore.redraw(spotCheck, comparingLedger: true, on: app.db).removedSince == refuted.count)
            try await SpotCheckStore.record(.init(outcome: .real, checker: "乙", visitedOn: day("2012-12-06")), for: refuted[0].code,
                                            in: spotCheck.id, today: today, scope: .everywhere, by: testActor, on: app.db)
            #expect(try await counted() == countedBefore - refuted.count + 1)
            await #expect(throws: Refusal.self) {
                try await SpotCheckStore.record(.init(outcome: .real, checker: "甲", visitedOn: day("2012-12-05")), for: samples[5].code,
                                                in: spotCheck.id, today: today, scope: .within("35/3505/350582/"), by: testActor, on: app.db)
            }
        }
    }
}
