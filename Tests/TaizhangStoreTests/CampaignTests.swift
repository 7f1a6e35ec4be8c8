import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangTestSupport
import Testing

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

/// A random organization of one of `townships`, founded (or not) on a day of autumn 2012.
private func randomFields(_ index: Int, townships: [String], using random: inout SeededGenerator) -> OrganizationFields {
    let stage = [Stage.youthGroup, .leagueLike, .preparing, .founded, .founded, .founded].randomElement(using: &random)!
    var fields = sampleFields("随机团支部\(index)", township: townships.randomElement(using: &random)!, stage: stage)
    fields.preparationApprovedOn = day("2012-08-01")
    fields.foundedOn = stage == .founded ? day("2012-09-01").adding(days: Int.random(in: 0..<110, using: &random)) : nil
    fields.guidance = Int.random(in: 0..<4, using: &random) == 0 ? .guidedOnly : .newlyBuilt
    fields.unitCategory = ["非公企业", "学校", "个体工商户"].randomElement(using: &random)!
    return fields
}

private func allRecords(on db: any Database) async throws -> [OrganizationRecord] {
    var all: [OrganizationRecord] = []
    try await LedgerQuery.forEach(LedgerFilter(), on: db) { all += $0 }
    return all
}

@Suite struct CampaignTests {
    @Test(arguments: TestDatabase.all)
    func progressAgreesWithADirectCountOfTheLedger(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            var random = SeededGenerator(seed: 20_121_215)
            let city = try #require(try await CampaignStore.area("3505", on: app.db))
            let allTownships = try await CampaignStore.divisions(at: .township, in: city, on: app.db)
            let townships = Array(allTownships.shuffled(using: &random).prefix(14)).map(\.code)

            // Organizations through every write path: the form, an import, stage changes, edits that
            // move an organization to another township, and a township moving to another county.
            for index in 0..<50 {
                _ = try await OrganizationStore.create(randomFields(index, townships: townships, using: &random), by: testActor, on: app.db)
            }
            var csv = "乡镇（街道）,团组织名称,组织类型,单位类别,建团方式,建设阶段,筹建批复日期,成立日期,新建或联系指导\n"
            for index in 50..<110 {
                let f = randomFields(index, townships: townships, using: &random)
                csv += "\(f.townshipCode),\(f.name),团支部,\(f.unitCategory),单独建团,\(f.stage.label),2012-08-01,"
                    + "\(f.foundedOn?.description ?? ""),\(f.guidance.label)\n"
            }
            let preview = try await LedgerImporter.commit(TabularFileReader(data: Data(csv.utf8)), fileName: "随机.csv", scope: .everywhere,
                                                          by: testActor, on: app.db)
            #expect(preview.newCount == 60)
            var records = try await allRecords(on: app.db)
            for record in records.shuffled(using: &random).prefix(20) where record.fields.stage != .founded {
                _ = try await OrganizationStore.changeStage(record.code, .init(to: .founded, effectiveOn: day("2012-12-01")),
                                                            expectedVersion: record.version, by: testActor, on: app.db)
            }
            records = try await allRecords(on: app.db)
            for record in records.shuffled(using: &random).prefix(10) {
                var fields = record.fields
                fields.townshipCode = townships.randomElement(using: &random)!
                fields.name += "（迁）"
                fields.guidance = fields.guidance == .newlyBuilt ? .guidedOnly : .newlyBuilt
                _ = try await OrganizationStore.update(record.code, fields, expectedVersion: record.version, by: testActor, on: app.db)
            }
            let moving = try await DivisionQueries.require(townships[0], on: app.db)
            let counties = try await CampaignStore.children(of: city, on: app.db).map(\.code)
            let newCounty = counties.first { $0 != moving.parentCode && !$0.hasSuffix("00") }!
            _ = try await TownshipMover.move(.init(townshipCode: moving.code, toParentCode: newCounty, effectiveDate: day("2012-11-20"),
                                                            reason: "区划调整"), by: testActor, on: app.db)

            // Reviews: the county verifies some, the city confirms some of those and returns a few,
            // confirmed records are edited (and drop back), a spot check refutes a few, a county is
            // signed off.
            let countyReviewer = Actor(userID: "county-verifier", name: "县核查员", clientAddress: nil)
            let cityReviewer = Actor(userID: "city-verifier", name: "市核查员", clientAddress: nil)
            records = try await allRecords(on: app.db).filter { !$0.fields.stage.isEnded }
            let verified = Array(records.shuffled(using: &random).prefix(70)).map(\.code)
            _ = try await ReviewStore.confirm(verified, at: .county, scope: .everywhere, by: countyReviewer, on: app.db)
            let cityConfirmed = Array(verified.shuffled(using: &random).prefix(40))
            _ = try await ReviewStore.confirm(cityConfirmed, at: .city, scope: .everywhere, by: cityReviewer, on: app.db)
            _ = try await ReviewStore.returnRecords(Array(verified.shuffled(using: &random).prefix(6)), at: .city, reason: "成立日期待核",
                                                    scope: .everywhere, by: cityReviewer, on: app.db)
            for code in cityConfirmed.shuffled(using: &random).prefix(5) {
                let record = try await OrganizationStore.require(code, on: app.db)
                var fields = record.fields
                fields.unitCategory = fields.unitCategory == "学校" ? "非公企业" : "学校"
                _ = try await OrganizationStore.update(code, fields, expectedVersion: record.version, by: testActor, on: app.db)
            }
            let refuted = Array(records.shuffled(using: &random).prefix(5)).map(\.code)
            try await writeTransaction(on: app.db) { db in
                try await OrganizationReview.refute(codes: refuted, on: day("2012-12-10"), by: testActor, db: db)
            }
            let signedCounty = try await OrganizationStore.require(cityConfirmed[0], on: app.db).divisionPath.split(separator: "/")[2]
            let signOff = try? await SignOffStore.signOff(county: String(signedCounty), asOf: .today(), scope: .everywhere, by: cityReviewer,
                                                          on: app.db)
            records = try await allRecords(on: app.db)
            #expect(records.contains { $0.review.state == .county } && records.contains { $0.review.state == .city }
                    && records.contains { $0.review.state == .returned } && records.contains { $0.review.refutedOn != nil })
            if let signOff { #expect(records.filter { $0.review.signOffID == signOff.id }.count == signOff.count) }
            var areas = [city] + (try await CampaignStore.children(of: city, on: app.db))
            for code in townships { areas.append(try #require(try await CampaignStore.area(code, on: app.db))) }
            for rule in [CountingRule(newOnly: true, withinWindow: true), .init(newOnly: false, withinWindow: false),
                         .init(newOnly: true, withinWindow: false), .init(newOnly: false, withinWindow: true),
                         .init(newOnly: false, withinWindow: false, confirmation: .county),
                         .init(newOnly: true, withinWindow: true, confirmation: .city)] {
                let campaign = try await CampaignStore.create(
                    CampaignDraft(name: "测试活动", regionCode: "3505", start: day("2012-10-01"), deadline: day("2012-12-15"), target: 500,
                                  rule: rule), by: testActor, on: app.db)
                for asOf in [day("2012-10-01"), day("2012-11-15"), day("2012-12-01"), day("2012-12-15")] {
                    let figures = try await CampaignProgress.figures(campaign, areas: areas, asOf: asOf, on: app.db)
                    for figure in figures {
                        let inArea = records.filter { $0.divisionPath.hasPrefix(figure.area.path) }
                        let counted = inArea.filter { rule.counts($0.fields, review: $0.review.countedReview, on: asOf, start: campaign.start) }
                        #expect(figure.progress.counted == counted.count, "\(figure.area.name) \(asOf) \(rule)")
                        #expect(figure.progress.newToday == counted.filter { $0.fields.foundedOn == asOf }.count)
                        #expect(figure.progress.lastSevenDays == counted.filter { $0.fields.foundedOn! >= asOf.adding(days: -6) }.count)
                    }
                }
                let stages = try await CampaignProgress.stages(area: city, on: app.db)
                for (stage, count) in stages {
                    #expect(count == records.filter { $0.fields.stage == stage }.count, "\(stage)")
                }
            }
            // The running counts equal a recount from scratch.
            let before = try await CampaignProgress.stages(area: city, on: app.db).map(\.count)
            try await LedgerCounts.rebuild(on: app.db)
            #expect(try await CampaignProgress.stages(area: city, on: app.db).map(\.count) == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func allocationsAddUpAtEveryLevelAndKeepTheirHistory(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let campaign = try await CampaignStore.create(
                CampaignDraft(name: "泉州市乡镇“大团委”建团", regionCode: "3505", start: day("2012-10-15"), deadline: day("2012-12-15"),
                              target: 5000), by: testActor, on: app.db)
            let rule = WeightRule(perCommitteeMember: 2, floorPerTownship: 20)
            try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .weighted, weights: rule, cascade: true),
                                             by: testActor, on: app.db)
            let city = try #require(try await CampaignStore.area("3505", on: app.db))
            func checkSums() async throws {
                var queue = [city]
                while let node = queue.popLast() {
                    let children = try await CampaignStore.children(of: node, on: app.db)
                    guard !children.isEmpty else { continue }
                    let targets = try await CampaignStore.targets(campaign.id, codes: [node.code] + children.map(\.code), on: app.db)
                    #expect(children.reduce(0) { $0 + (targets[$1.code] ?? 0) } == targets[node.code], "\(node.name)")
                    queue += children
                }
            }
            try await checkSums()
            let townshipTargets = try await CampaignStore.targets(
                campaign.id, codes: try await CampaignStore.divisions(at: .township, in: city, on: app.db).map(\.code), on: app.db)
            #expect(townshipTargets.count == 175)
            #expect(townshipTargets.values.allSatisfy { $0 >= 20 })

            // A county proposes a new split; shares that do not add up are refused, a good one is accepted.
            let jinjiang = try #require(try await CampaignStore.area("350582", on: app.db))
            let towns = try await CampaignStore.children(of: jinjiang, on: app.db)
            var shares = try await CampaignStore.targets(campaign.id, codes: towns.map(\.code), on: app.db)
            shares[towns[0].code]! += 5
            let bad = await #expect(throws: Refusal.self) {
                try await CampaignStore.propose(campaign.id, divisionCode: "350582", shares: shares, reason: "安海镇任务重", by: testActor, on: app.db)
            }
            #expect(bad?.message.contains("不符") == true)
            shares[towns[1].code]! -= 5
            let proposal = try await CampaignStore.propose(campaign.id, divisionCode: "350582", shares: shares, reason: "安海镇任务重",
                                                           by: testActor, on: app.db)
            #expect(proposal.status == .pending)
            try await CampaignStore.decide(proposal.id, accept: true, note: "同意", by: testActor, on: app.db)
            #expect(try await CampaignStore.targets(campaign.id, codes: [towns[0].code], on: app.db)[towns[0].code] == shares[towns[0].code])
            await #expect(throws: Refusal.self) {
                try await CampaignStore.decide(proposal.id, accept: false, note: nil, by: testActor, on: app.db)
            }
            let history = try await CampaignStore.changes(campaign.id, under: jinjiang.path, on: app.db)
            #expect(history.contains { $0.divisionCode == towns[0].code && $0.reason?.contains("采纳调整方案") == true })

            // A new total is spread in proportion; a township moving county takes its target along.
            let current = try await CampaignStore.require(campaign.id, on: app.db)
            var draft = current.draft
            draft.target = 5200
            _ = try await CampaignStore.update(campaign.id, draft, expectedVersion: current.version, by: testActor, on: app.db)
            try await checkSums()
            _ = try await TownshipMover.move(.init(townshipCode: towns[0].code, toParentCode: "350581", effectiveDate: day("2012-11-20"),
                                                            reason: nil), by: testActor, on: app.db)
            try await checkSums()
        }
    }

    @Test(arguments: TestDatabase.all)
    func badCampaignInputChangesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let backwards = await #expect(throws: Refusal.self) {
                _ = try await CampaignStore.create(CampaignDraft(name: "倒置", regionCode: "3505", start: day("2012-12-15"),
                                                                 deadline: day("2012-10-15"), target: 100), by: testActor, on: app.db)
            }
            #expect(backwards?.message.contains("截止日期") == true)
            #expect(try await CampaignStore.list(overlapping: .everywhere, on: app.db).isEmpty)

            var fields = sampleFields(stage: .founded)
            fields.foundedOn = day("2012-11-05")
            _ = try await OrganizationStore.create(fields, by: testActor, on: app.db)
            let campaign = try await CampaignStore.create(CampaignDraft(name: "活动", regionCode: "3505", start: day("2012-10-15"),
                                                                        deadline: day("2012-12-15"), target: 10), by: testActor, on: app.db)
            var draft = campaign.draft
            draft.target = 0
            await #expect(throws: Refusal.self) {
                _ = try await CampaignStore.update(campaign.id, draft, expectedVersion: campaign.version, by: testActor, on: app.db)
            }
            try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .equal), by: testActor, on: app.db)
            let counties = try await CampaignStore.children(of: try #require(try await CampaignStore.area("3505", on: app.db)), on: app.db)
            let manual = Dictionary(uniqueKeysWithValues: counties.map { ($0.code, 1) })
            let error = await #expect(throws: Refusal.self) {
                try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .manual, manualShares: manual), by: testActor, on: app.db)
            }
            #expect(error?.message.contains("合计 \(counties.count)") == true)
            await #expect(throws: (any Error).self) {
                try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .weighted, weights: WeightRule(base: -1)),
                                                 by: testActor, on: app.db)
            }
            let targets = try await CampaignStore.targets(campaign.id, codes: counties.map(\.code), on: app.db)
            #expect(targets.values.reduce(0, +) == 10)
            #expect(Set(targets.values).isSubset(of: [0, 1]))
        }
    }
}
