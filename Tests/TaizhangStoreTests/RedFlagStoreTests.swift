import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

/// Red flags computed from a stored ledger: a clean generated ledger raises none, planted
/// problems are each flagged once, and a dismissal sticks, is audited, and is refused without a reason.
@Suite struct RedFlagStoreTests {
    let today = CalendarDay(year: 2012, month: 12, day: 20)!

    func context() -> RedFlagStore.Context {
        let cutoffs = [RedFlagCutoff(day: RedFlagLedger.deadline, label: "活动截止日")]
            + RedFlagCutoff.halfMonthEnds(from: RedFlagLedger.start, through: RedFlagLedger.deadline)
        return RedFlagStore.Context(today: today, cutoffs: cutoffs)
    }

    @Test(arguments: TestDatabase.all)
    func aCleanLedgerRaisesNothingAndPlantedProblemsAreFlaggedOnce(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let townships = try await DivisionQueries.townships(under: .within("35/3505/"), on: app.db)
            var organizations = RedFlagLedger.clean(count: 10_000, over: townships)
            try await RedFlagLedger.write(organizations, on: app.db)
            let clock = ContinuousClock.now
            let clean = try await RedFlagStore.flags(in: .within("35/3505/"), context(), on: app.db)
            print("red flags of 10,000 clean organizations on \(database): \(ContinuousClock.now - clock)")
            #expect(clean.map(\.sentence) == [])

            // Planted: two near-duplicates in 安海镇, one name in two 晋江 townships, one phone behind
            // eight organizations of 晋江, 30 records created in 磁灶镇 two days before the deadline.
            let jinjiang = townships.filter { $0.countyCode == "350582" }
            let anhai = jinjiang.first { $0.name == "安海镇" }!, cizao = jinjiang.first { $0.name == "磁灶镇" }!
            func planted(_ name: String, in township: DivisionQueries.TownshipLabel, serial: Int, phone: String? = nil,
                         createdOn: CalendarDay? = nil) -> RedFlagLedger.Organization {
                var o = RedFlagLedger.clean(900 + serial, of: township, serial: 7_000_000 + serial)
                o.name = name
                o.stage = .founded
                o.approvedOn = RedFlagLedger.start
                o.foundedOn = RedFlagLedger.start.adding(days: 10)
                o.memberCount = 12
                o.secretaryPhone = phone ?? "137" + String(10_000_000 + serial)
                o.actingSecretaryPhone = nil
                if let createdOn { o.createdOn = createdOn }
                return o
            }
            var plants = [
                planted("安海镇鑫龙鞋业有限公司团支部", in: anhai, serial: 1),
                planted("安海镇鑫龙鞋业有限责任公司 团支部", in: anhai, serial: 2),
                planted("安海镇鑫龙陶瓷建材有限公司团支部", in: anhai, serial: 3),
                planted("安海镇鑫龙陶瓷建材厂团支部", in: anhai, serial: 4),
                planted("泉州鑫源物流有限公司团支部", in: anhai, serial: 5),
                planted("泉州鑫源物流有限公司团支部", in: cizao, serial: 6),
            ]
            let numerals = ["一", "二", "三", "四", "五", "六", "七", "八"]
            for i in 0..<8 {
                plants.append(planted(jinjiang[i + 2].name + "鑫旺第\(numerals[i])商行团支部", in: jinjiang[i + 2], serial: 10 + i, phone: "13800138000"))
            }
            for i in 0..<30 {
                plants.append(planted(cizao.name + "鑫" + ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"][i % 10] + ["宝", "玉", "珠"][i / 10] + "商贸团支部", in: cizao, serial: 20 + i, createdOn: RedFlagLedger.deadline.adding(days: -2)))
            }
            let codes = try await RedFlagLedger.write(plants, on: app.db)
            organizations += plants
            func code(_ o: RedFlagLedger.Organization) -> String { codes[o.township.code + "/" + o.name]! }

            let flags = try await RedFlagStore.flags(in: .within("35/3505/"), context(), on: app.db)
            #expect(flags.map(\.kind) == [.nearDuplicateName, .nearDuplicateName, .duplicateAcrossTownships, .sharedPhone, .lateBurst])
            #expect(Set(flags.map(\.codes)) == [
                [code(plants[0]), code(plants[1])].sorted(), [code(plants[2]), code(plants[3])].sorted(), [code(plants[4]), code(plants[5])].sorted(),
                plants[6..<14].map(code).sorted(), flags.last!.codes,
            ])
            let burst = try #require(flags.last)
            #expect(Set(plants[14...].map(code)).isSubset(of: burst.codes))
            #expect(burst.sentence.hasPrefix("磁灶镇在活动截止日 2012-12-15 前 3 天（2012-12-13 至 2012-12-15）新录入 "))
            let phone = try #require(flags.first { $0.kind == .sharedPhone })
            #expect(phone.sentence.hasPrefix("电话 13800138000 是 8 个团组织（分布在 8 个乡镇）的书记或代理书记电话"))

            // A township sees its own flags only; the county's cross-township flags need the county.
            let inAnhai = try await RedFlagStore.flags(in: .within("35/3505/350582/\(anhai.code)/"), context(), on: app.db)
            #expect(inAnhai.map(\.kind) == [.nearDuplicateName, .nearDuplicateName])

            // Dismissing: a reason is required, the flag must be one the scope raises, and only once.
            let noReason = await #expect(throws: Refusal.self) {
                try await RedFlagStore.dismiss(phone.id, reason: "  ", in: .within("35/3505/"), context(), by: testActor, on: app.db)
            }
            #expect(noReason?.message.contains("忽略理由：不能为空") == true)
            let outside = await #expect(throws: Refusal.self) {
                try await RedFlagStore.dismiss(phone.id, reason: "核实无误", in: .within("35/3505/350582/\(anhai.code)/"), context(), by: testActor, on: app.db)
            }
            #expect(outside?.kind == .notFound)
            try await RedFlagStore.dismiss(phone.id, reason: "鑫旺商行八家门店由同一位店长兼任书记，已电话核实", in: .within("35/3505/350582/"),
                                           context(), by: testActor, on: app.db)
            let twice = await #expect(throws: Refusal.self) {
                try await RedFlagStore.dismiss(phone.id, reason: "再次", in: .within("35/3505/"), context(), by: testActor, on: app.db)
            }
            #expect(twice?.kind == .conflict)
            let listing = try await RedFlagStore.listing(in: .within("35/3505/"), context(), on: app.db)
            #expect(listing.open.map(\.id) == flags.filter { $0.id != phone.id }.map(\.id))
            #expect(listing.dismissed.map(\.dismissal.flagID) == [phone.id])
            #expect(listing.dismissed.first?.current == phone)
            #expect(listing.dismissed.first?.dismissal.reason == "鑫旺商行八家门店由同一位店长兼任书记，已电话核实")
            let counts = try await RedFlagStore.openFlagCounts(in: .within("35/3505/"), context(), on: app.db)
            #expect(counts[code(plants[0])] == 1)
            #expect(counts[code(plants[6])] == nil)
            #expect(counts.count == 6 + burst.codes.count)
            let audit = try await AuditLog.events(entityType: "red_flag", on: app.db)
            #expect(audit.map(\.action) == ["red_flag.dismiss"])
            #expect(audit.first?.entityID == phone.id)
            #expect(organizations.count == 10_044)
        }
    }

    @Test(arguments: TestDatabase.all)
    func cutoffsComeFromTheCampaignsDeadlinesFirst(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            _ = try await CampaignStore.create(CampaignDraft(name: "建团", regionCode: "3505", start: RedFlagLedger.start,
                                                             deadline: RedFlagLedger.deadline, target: 100), by: testActor, on: app.db)
            let cutoffs = try await RedFlagStore.cutoffs(overlapping: .within("35/3505/350582/"), on: app.db)
            #expect(cutoffs.map { "\($0.day) \($0.label)" } == ["2012-12-15 活动截止日", "2012-10-15 半月汇报截止日", "2012-10-31 半月汇报截止日",
                                                                "2012-11-15 半月汇报截止日", "2012-11-30 半月汇报截止日"])
        }
    }
}
