import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// The ledger list's two shortcuts against the long way round: totals read from the running
/// counts against counting the rows, and the search index against a plain `LIKE`.
@Suite struct LedgerTotalAndSearchTests {
    static let brands = Array("宏达恒安华泰金源嘉和永兴瑞丰天成顺昌万利信诚")
    static let units = ["鞋业有限公司团支部", "纺织服装ABC有限公司团支部", "石材有限公司团支部", "中心小学团支部", "青年志愿者协会团支部",
                        "茶叶专业合作社团支部", "\"海丝\"物流有限公司团支部", "100%纯棉制衣厂团支部"]
    static let surnames = Array("陈林黄张吴王李蔡")
    static let categories = ["非公企业", "学校", "农村专业合作组织", "个体工商户"]
    static let modes = ["单独建团", "联合建团", "楼宇建团"]

    /// `count` organizations over 泉州's townships in turn, every column varied by the serial number.
    static func generate(_ count: Int, over townships: [DivisionQueries.TownshipLabel]) -> String {
        var csv = LedgerColumn.allCases.map(\.header).joined(separator: ",") + "\n"
        for serial in 0..<count {
            csv += LedgerStreamingImportTests.line(values(serial, in: townships[serial % townships.count])) + "\n"
        }
        return csv
    }

    /// The columns of the organization numbered `serial` in `generate`'s file.
    static func values(_ serial: Int, in township: DivisionQueries.TownshipLabel) -> [LedgerColumn: String] {
        let brand = String([brands[serial % brands.count], brands[(serial / brands.count) % brands.count]])
        let stage: Stage = serial % 3 == 0 ? .preparing : .founded
        let approved = CalendarDay(year: 2012, month: 10, day: 1)!.adding(days: serial % 40)
        var values: [LedgerColumn: String] = [
            .county: township.countyName, .township: township.code,
            .name: township.name + brand + units[(serial / 3) % units.count] + String(serial),
            .orgType: "团支部", .unitCategory: categories[serial % categories.count], .buildMode: modes[(serial / 2) % modes.count],
            .stage: stage.label, .guidance: serial % 7 == 0 ? "联系指导" : "新建", .dualManagement: "否",
            .preparationApprovedOn: approved.description,
            .secretaryName: String(surnames[serial % surnames.count]) + String(brands[(serial / 5) % brands.count]) + "明",
            .secretaryPhone: "139" + String(20_000_000 + serial), .memberCount: String(3 + serial % 30), .youthCount: String(40 + serial % 50),
        ]
        if stage == .founded { values[.foundedOn] = approved.adding(days: 6).description }
        return values
    }

    static func load(_ count: Int, on db: any Database) async throws {
        _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
        let townships = try await DivisionQueries.townships(under: .within("35/3505/"), on: db)
        _ = try await LedgerImporter.commit(try TabularFileReader(data: Data(generate(count, over: townships).utf8)),
                                            fileName: "生成台账.csv", scope: .everywhere, by: testActor, on: db)
    }

    @Test(arguments: TestDatabase.all)
    func totalsFromTheRunningCountsEqualADirectCount(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await Self.load(1_200, on: app.db)
            var filters: [LedgerFilter] = [LedgerFilter(scope: .everywhere), LedgerFilter(scope: .within("35/3505/")),
                                           LedgerFilter(scope: .within("35/3505/350582/")), LedgerFilter(scope: .within("35/3505/350582/350582101/")),
                                           LedgerFilter(scope: Scope(roots: ["35/3505/350582/", "35/3505/350583/", "35/3505/350521/350521104/"])),
                                           LedgerFilter(scope: .within([])), LedgerFilter(scope: .within("35/3501/"))]
            for base in Array(filters) {
                var f = base
                f.stages = [.founded]
                filters.append(f)
                f.stages = [.preparing, .founded]
                f.unitCategory = "学校"
                filters.append(f)
                f.buildMode = "联合建团"
                filters.append(f)
                f.guidance = .guidedOnly
                filters.append(f)
                var refuted = base
                refuted.refutedOnly = true
                filters.append(refuted)
            }
            var matched = 0
            for filter in filters {
                let total = try await LedgerQuery.total(filter, cap: 10_000, on: app.db)
                let counted = try await LedgerQuery.count(filter, cap: 1_000_000, on: app.db)
                #expect(total.isFromRunningCounts, "\(filter)")
                #expect(!total.isCapped)
                #expect(total.count == counted, "\(filter)")
                matched += counted
            }
            #expect(matched > 5_000, "the filters must match something")
            #expect(try await LedgerQuery.total(LedgerFilter(), cap: 10_000, on: app.db).count == 1_200)

            // Filters the counts do not key are counted row by row, up to the cap.
            var text = LedgerFilter()
            text.text = "团支部"
            let capped = try await LedgerQuery.total(text, cap: 1_000, on: app.db)
            #expect(!capped.isFromRunningCounts)
            #expect(capped.count == 1_000 && capped.isCapped)
            var members = LedgerFilter(scope: .within("35/3505/350582/"))
            members.membersBelow = 10
            let thin = try await LedgerQuery.total(members, cap: 10_000, on: app.db)
            #expect(!thin.isFromRunningCounts && !thin.isCapped)
            #expect(thin.count == (try await LedgerQuery.count(members, cap: 1_000_000, on: app.db)))
            var review = LedgerFilter()
            review.reviewStates = [.pending]
            #expect(!(try await LedgerQuery.total(review, cap: 10_000, on: app.db)).isFromRunningCounts)
        }
    }

    /// Every code the filter's pages list, and every code a plain `LIKE` on the three columns finds.
    /// The codes the ledger's search lists for `needle`, and those a plain `LIKE` on the three columns finds.
    static func bothWays(_ needle: String, on db: any Database) async throws -> (listed: [String], like: [String]) {
        var filter = LedgerFilter()
        filter.text = needle
        var listed: [String] = []
        try await LedgerQuery.forEach(filter, batchSize: 97, on: db) { listed += $0.map(\.code) }
        let pattern = "%" + needle.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
        let like = try await db.sql.select().column("code").from("organizations")
            .where { $0.orWhere("name", .like, pattern).orWhere("code", .like, pattern).orWhere("secretary_name", .like, pattern) }
            .all().map { try $0.decode(column: "code", as: String.self) }
        return (listed.sorted(), like.sorted())
    }

    @Test(arguments: TestDatabase.all)
    func theSearchIndexFindsWhatLikeFinds(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await Self.load(1_500, on: app.db)
            let needles = ["恒安", "恒安\"海丝", "宏", "晋江市安海镇宏达", "101-00", "2101-0012", "陈宏明", "林", "abc", "ABC有限", "\"海丝\"物流",
                           "100%纯棉", "纯棉制衣厂", "无此团组织", "团支部", "有限公司团支部1", "0001", "13920000",
                           // One or two characters: a value's last (明, 明 of a secretary; 9 of a name's serial), ASCII in either case, none.
                           "明", "达明", "99", "9", "aB", "c", "C有", "%", "囧", "囧囧"]
            var found = 0
            for needle in needles {
                let (listed, like) = try await Self.bothWays(needle, on: app.db)
                #expect(listed == like, "「\(needle)」")
                found += like.count
            }
            #expect(found > 3_000, "the needles must find something")

            var rare = LedgerFilter()
            rare.text = "恒安\"海丝"
            var common = LedgerFilter()
            common.text = "团支部"
            // SQLite: a rare text of three characters or more is found through the index; a common one is scanned.
            #expect(try await LedgerTextSearch.usesIndex(rare, on: app.db) == app.db.isSQLite)
            #expect(try await LedgerTextSearch.usesIndex(common, on: app.db) == false || LedgerTextSearch.indexedBelow > 1_500)

            // The index follows every write, in the same transaction: a new name is found, the old one no longer.
            let code = try #require(try await Self.bothWays("恒安\"海丝", on: app.db).like.first)
            let record = try await OrganizationStore.require(code, on: app.db)
            var fields = record.fields
            fields.name = "改名后的海峡青创园团支部"
            fields.secretaryName = "欧阳晓晴"
            _ = try await OrganizationStore.update(code, fields, expectedVersion: record.version, by: testActor, on: app.db)
            #expect(try await Self.bothWays("海峡青创园", on: app.db).listed == [code])
            #expect(try await Self.bothWays("欧阳晓晴", on: app.db).listed == [code])
            // A value's last one or two characters, and its only one: found through the index.
            for short in ["晓晴", "晴", "阳晓"] {
                var filter = LedgerFilter()
                filter.text = short
                #expect(try await LedgerTextSearch.usesIndex(filter, on: app.db) == app.db.isSQLite, "「\(short)」")
                #expect(try await Self.bothWays(short, on: app.db).listed == [code], "「\(short)」")
            }
            let before = try await Self.bothWays(record.fields.name, on: app.db)
            #expect(before.listed == before.like && !before.listed.contains(code))
            if app.db.isSQLite {
                // Nothing in the index disagrees with the ledger.
                try await app.db.sql.raw("INSERT INTO organization_search(organization_search, rank) VALUES ('integrity-check', 1)").run()
            }
        }
    }
}
