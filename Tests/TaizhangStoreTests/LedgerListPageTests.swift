import FluentKit
import SQLKit
import TaizhangCore
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// The ledger page reads only what its list shows (`LedgerQuery.listPage`): the same
/// organizations as `page`, in the same order, with the same cursors and the same values.
@Suite struct LedgerListPageTests {
    @Test(arguments: TestDatabase.all)
    func theListReadsWhatThePageReadsOfEveryOrganization(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let names = ["张坂村团支部", "阿里山茶业团支部", "安平开发区团委", "陈埭镇鞋业商会团支部", "蔡林青年团支部", "李林团支部",
                         "吕厝村团支部", "卢厝村团支部", "王宫村团支部", "ABC电子团支部", "ａｂｄ物流团支部"]
            var codes: [String] = []
            for (n, name) in names.enumerated() {
                var fields = sampleFields(name, township: n % 3 == 0 ? "350583101" : "350582101", stage: n % 2 == 0 ? .founded : .preparing)
                if n % 4 == 1 { fields.secretaryName = nil; fields.actingSecretaryName = "代书记\(n)" }
                if n % 5 == 2 { fields.memberCount = nil }
                fields.foundedOn = n % 2 == 0 ? CalendarDay(year: 2012, month: 11, day: 1 + n % 3) : nil
                codes.append(try await OrganizationStore.create(fields, by: testActor, on: app.db).record.code)
            }
            // Reviews of every kind: returned with its reason, confirmed, refuted by a spot check.
            try await app.db.sql.raw("UPDATE organizations SET review_state = 'returned', review_reason = '名称与营业执照不符' WHERE code = \(bind: codes[1])").run()
            try await app.db.sql.raw("UPDATE organizations SET review_state = 'county' WHERE code = \(bind: codes[2])").run()
            try await app.db.sql.raw("UPDATE organizations SET refuted_on = '2012-12-01' WHERE code = \(bind: codes[3])").run()

            var text = LedgerFilter(scope: .within("35/3505/"))
            text.text = "团支部"
            var founded = LedgerFilter(scope: .within("35/3505/350582/"))
            founded.stages = [.founded]
            var compared = 0
            for filter in [LedgerFilter(), text, founded] {
                for sort in LedgerSort.allCases {
                    var cursor: String?
                    repeat {
                        let page = try await LedgerQuery.page(filter, sort: sort, after: cursor, limit: 4, on: app.db)
                        let list = try await LedgerQuery.listPage(filter, sort: sort, after: cursor, limit: 4, on: app.db)
                        #expect(list.entries == page.records.map(LedgerListEntry.init), "\(sort) \(filter)")
                        #expect(list.nextCursor == page.nextCursor, "\(sort)")
                        compared += page.records.count
                        cursor = page.nextCursor
                    } while cursor != nil
                }
            }
            #expect(compared == (11 + 10 + 4) * LedgerSort.allCases.count)

            // A range of founding dates leaves out the organizations that have none, as SQL's `<=` does.
            for (from, until) in [("2012-11-02", nil), (nil, "2012-11-02"), ("2012-11-02", "2012-11-02"), (nil, "2099-01-01")] as [(String?, String?)] {
                var range = LedgerFilter()
                range.foundedFrom = from.flatMap(CalendarDay.init(iso:))
                range.foundedUntil = until.flatMap(CalendarDay.init(iso:))
                let found = try await LedgerQuery.listPage(range, sort: .founded, after: nil, limit: 50, on: app.db).entries.map(\.code)
                let direct = try await app.db.sql.select().column("code").from("organizations")
                    .where("founded_on", .greaterThanOrEqual, from ?? "").where("founded_on", .lessThanOrEqual, until ?? "9999")
                    .all().map { try $0.decode(column: "code", as: String.self) }
                #expect(Set(found) == Set(direct) && found.count == direct.count && !direct.isEmpty, "\(from ?? "") \(until ?? "")")
                #expect(try await LedgerQuery.count(range, cap: 100, on: app.db) == direct.count)
            }

            let entries = try await LedgerQuery.listPage(LedgerFilter(), sort: .ledger, after: nil, limit: 50, on: app.db).entries
            let byCode = Dictionary(uniqueKeysWithValues: entries.map { ($0.code, $0) })
            #expect(byCode[codes[1]]?.reviewReason == "名称与营业执照不符")
            #expect(byCode[codes[1]]?.actingSecretaryName == "代书记1")
            #expect(byCode[codes[2]]?.reviewLabel == "县已核实")
            #expect(byCode[codes[3]]?.reviewLabel == "抽查不属实")
            #expect(byCode[codes[2]]?.memberCount == nil)
        }
    }

    /// Sorted by founding date, every organization is on some page — those not founded yet (no
    /// date) after the dated ones — and the order is read from its index, not sorted per page, from
    /// the cursor's place in it.
    @Test(arguments: TestDatabase.all)
    func theFoundingDateOrderHoldsUndatedOrganizationsAndUsesItsIndex(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await LedgerTotalAndSearchTests.load(3_000, on: app.db)
            try await app.db.sql.raw("UPDATE organizations SET founded_on = NULL WHERE code LIKE '%3'").run()
            if !app.db.isSQLite { try await app.db.sql.raw("VACUUM ANALYZE organizations").run() }
            var seen: [LedgerListEntry] = []
            var cursor: String?
            repeat {
                let page = try await LedgerQuery.listPage(LedgerFilter(), sort: .founded, after: cursor, limit: 200, on: app.db)
                seen += page.entries
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen.count == 3_000 && Set(seen.map(\.code)).count == 3_000)
            let undated = try #require(seen.firstIndex { $0.foundedOn == nil })
            #expect(undated > 0 && seen[undated...].allSatisfy { $0.foundedOn == nil })
            #expect(zip(seen, seen.dropFirst()).allSatisfy { ($0.foundedOn?.description ?? "", $0.code) > ($1.foundedOn?.description ?? "", $1.code) })

            try await app.db.transaction { db in
                if !db.isSQLite { try await db.sql.raw("SET LOCAL enable_sort = off").run() }
                let select = try await LedgerQuery.pageSelect(LedgerFilter(), sort: .founded, after: LedgerQuery.encodeCursor([.text(""), .text("~")]),
                                                              limit: 50, on: db, columns: LedgerQuery.ListRow.selectList)
                let plan = try await OrganizationCodeLookupTests.plan(select.query, on: db)
                #expect(plan.contains("organizations_founded") && !plan.contains("TEMP B-TREE") && !plan.contains("Sort"), "\(plan)")
                // A page far down the order seeks its place in the index instead of reading up to it.
                #expect(plan.contains(db.isSQLite ? "SEARCH organizations USING INDEX organizations_founded" : "Index Cond"), "\(plan)")
            }
        }
    }
}
