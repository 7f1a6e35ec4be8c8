import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

/// "共 N 个" on the ledger page and `total` in the API, taken from the running counts, against
/// counting the demo's rows directly in SQL.
@Suite struct LedgerTotalWebTests {
    struct List: Decodable {
        var total: Int
        var totalIsCapped: Bool
    }

    @Test(arguments: TestDatabase.all)
    func theLedgerShowsExactTotalsThatADirectCountConfirms(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let user = try await makeTestUser(app, "quanzhou-ledger", grants: [(.cityAdmin, "3505")])
            let session = try await BrowserSession.signIn(app, user)
            let api = try await APIClient.make(app, as: user)
            // (query, the same filter in SQL)
            let cases: [(String, String)] = [
                ("", "division_path >= '35/3505/' AND division_path < '35/3505/~'"),
                ("division=350582", "division_path >= '35/3505/350582/' AND division_path < '35/3505/350582/~'"),
                ("division=350582101&stage=founded", "division_path >= '35/3505/350582/350582101/' AND division_path < '35/3505/350582/350582101/~' AND stage = 'founded'"),
                ("division=350583&stage=preparing&unitCategory=%E9%9D%9E%E5%85%AC%E4%BC%81%E4%B8%9A",
                 "division_path >= '35/3505/350583/' AND division_path < '35/3505/350583/~' AND stage = 'preparing' AND unit_category = '非公企业'"),
                ("guidance=%E8%81%94%E7%B3%BB%E6%8C%87%E5%AF%BC", "division_path >= '35/3505/' AND division_path < '35/3505/~' AND guidance = 'guided'"),
                ("review=refuted", "division_path >= '35/3505/' AND division_path < '35/3505/~' AND refuted_on IS NOT NULL"),
            ]
            var seen = 0
            for (query, condition) in cases {
                let row = try await app.db.sql.raw(SQLQueryString("SELECT COUNT(*) AS n FROM organizations WHERE \(unsafeRaw: condition)")).first()
                let expected = try #require(row).decode(column: "n", as: Int.self)
                seen += expected
                let path = "/api/v1/organizations?limit=1" + (query.isEmpty ? "" : "&" + query)
                let (status, body, _) = try await api.call(.GET, path, template: "/api/v1/organizations")
                #expect(status == .ok, "\(path): \(String(decoding: body, as: UTF8.self))")
                let list = try JSONDecoder().decode(List.self, from: body)
                #expect(list.total == expected && !list.totalIsCapped, "\(query)")
                let page = try await session.get("/ledger" + (query.isEmpty ? "" : "?" + query))
                #expect(page.body.contains("符合条件的团组织：<strong>\(expected)</strong> 个"), "\(query)")
            }
            #expect(seen > 1_000, "the demo's ledger must be counted")
        }
    }

    /// Totals are kept per filter while the data version stands (`Request.ledgerTotal`): a create
    /// shows at once in both kinds of total, from the running counts and counted row by row.
    @Test(arguments: TestDatabase.all)
    func aTotalFollowsTheNextWrite(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let reporter = try await makeTestUser(app, "anhai-totals", grants: [(.townshipReporter, "350582101")])
            let session = try await BrowserSession.signIn(app, reporter)
            let api = try await APIClient.make(app, as: reporter)
            func totals() async throws -> (page: Int, counted: Int) {
                let (status, body, _) = try await api.call(.GET, "/api/v1/organizations?limit=1&q=%E9%9E%8B%E4%B8%9A", template: "/api/v1/organizations")
                #expect(status == .ok)
                let counted = try JSONDecoder().decode(List.self, from: body).total
                let html = try await session.get("/ledger").body
                let shown = try #require(html.firstMatch(of: /符合条件的团组织：<strong>(\d+)<\/strong>/)).1
                return (try #require(Int(shown)), counted)
            }
            let before = try await totals()
            // Asked twice, so that the second comes from the cache if anything does.
            #expect(try await totals() == before)
            let (created, body, _) = try await api.call(.POST, "/api/v1/organizations", template: "/api/v1/organizations", json: """
                {"townshipCode": "350582101", "name": "安海镇鞋业总汇团支部", "orgType": "团支部", "unitCategory": "非公企业",
                 "buildMode": "行业", "stage": "筹建", "preparationApprovedOn": "2012/10/20", "memberCount": 5, "dualManagement": false}
                """)
            #expect(created == .created, "\(String(decoding: body, as: UTF8.self))")
            let after = try await totals()
            #expect(after.page == before.page + 1)
            #expect(after.counted == before.counted + 1)
        }
    }
}
