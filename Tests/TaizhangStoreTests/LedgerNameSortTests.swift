import FluentKit
import SQLKit
import TaizhangCore
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// The ledger sorted by name is in pinyin order, page after page, and a renamed organization moves.
@Suite struct LedgerNameSortTests {
    @Test(arguments: TestDatabase.all)
    func theLedgerSortedByNameIsInPinyinOrder(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let names = ["张坂村团支部", "阿里山茶业团支部", "安平开发区团委", "陈埭镇鞋业商会团支部", "蔡林青年团支部", "李林团支部",
                         "吕厝村团支部", "卢厝村团支部", "王宫村团支部", "ABC电子团支部", "ａｂｄ物流团支部"]
            var codes: [String: String] = [:]
            for name in names {
                codes[name] = try await OrganizationStore.create(sampleFields(name), by: testActor, on: app.db).record.code
            }
            func sorted() async throws -> [String] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await LedgerQuery.page(LedgerFilter(), sort: .name, after: cursor, limit: 4, on: app.db)
                    seen += page.records.map(\.fields.name)
                    cursor = page.nextCursor
                } while cursor != nil
                return seen
            }
            #expect(try await sorted() == ["阿里山茶业团支部", "ABC电子团支部", "ａｂｄ物流团支部", "安平开发区团委", "蔡林青年团支部",
                                           "陈埭镇鞋业商会团支部", "李林团支部", "卢厝村团支部", "吕厝村团支部", "王宫村团支部", "张坂村团支部"])

            let code = try #require(codes["张坂村团支部"])
            let record = try await OrganizationStore.require(code, on: app.db)
            var fields = record.fields
            fields.name = "白沙村团支部"
            _ = try await OrganizationStore.update(code, fields, expectedVersion: record.version, by: testActor, on: app.db)
            #expect(try await sorted().prefix(4) == ["阿里山茶业团支部", "ABC电子团支部", "ａｂｄ物流团支部", "安平开发区团委"])
            #expect(try await sorted()[4] == "白沙村团支部")
            // The stored keys are the names' keys.
            let stored = try await app.db.sql.select().columns("name", "name_sort").from("organizations").all()
            for row in stored {
                #expect(try row.decode(column: "name_sort", as: String.self) == NameSortKey.of(try row.decode(column: "name", as: String.self)))
            }
        }
    }
}
