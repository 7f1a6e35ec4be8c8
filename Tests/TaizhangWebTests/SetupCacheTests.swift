import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// Who a session belongs to, a division's name and path, and the reference lists are cached
/// per instance under the *setup* version, which ledger writes leave alone and triggers raise
/// on any change to accounts, ended sessions and tokens, divisions and reference lists — also
/// one typed by hand in SQL, which no store code sees.
@Suite struct SetupCacheTests {
    private struct References: Decodable {
        var unitCategories: [String]
    }

    @Test(arguments: TestDatabase.all)
    func ledgerWritesLeaveTheSetupVersionAndEveryOtherChangeRaisesIt(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let user = try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")])
            let browser = try await BrowserSession.signIn(app, user)
            let before = try await DataVersion.currentVersions(on: app.db)

            // Ledger writes raise the data version only.
            let fields = OrganizationFields(name: "版本测试团支部", townshipCode: "350582101", orgType: "团支部",
                                            unitCategory: "非公企业", buildMode: "单独建团", stage: .founded,
                                            foundedOn: CalendarDay(year: 2012, month: 12, day: 1), memberCount: 5)
            let saved = try await OrganizationStore.create(fields, by: testActor, on: app.db)
            let afterWrite = try await DataVersion.currentVersions(on: app.db)
            #expect(afterWrite.all > before.all)
            #expect(afterWrite.setup == before.setup)

            // Marking a session or a token as used is not a change of setup either.
            try await app.db.sql.raw("UPDATE user_sessions SET last_seen_at = last_seen_at").run()
            try await app.db.sql.raw("UPDATE api_tokens SET last_used_at = last_used_at").run()
            #expect(try await DataVersion.currentVersions(on: app.db).setup == before.setup)

            // Each of these, typed by hand, raises it — and the next request on another instance sees it.
            try await withSecondInstance(of: app) { second async throws in
                let there = browser.on(second)
                let organization = "/api/v1/organizations/\(saved.record.code)"
                let page = try await there.get(organization)
                #expect(page.status == .ok && page.body.contains("\"countyName\":\"晋江市\""), "\(page.body.prefix(300))")

                try await raises(app) { try await $0.raw("UPDATE divisions SET name = '晋江市（改）' WHERE code = '350582'").run() }
                #expect(try await there.get(organization).body.contains("\"countyName\":\"晋江市（改）\""))

                try await raises(app) {
                    try await $0.raw("INSERT INTO reference_values (kind, value, position, is_builtin) VALUES ('unit_category', '手填类别', 99, false)").run()
                }
                let references = try await there.get("/api/v1/reference-values")
                #expect(try JSONDecoder().decode(References.self, from: Data(references.body.utf8)).unitCategories.contains("手填类别"),
                        "\(references.body.prefix(300))")

                try await raises(app) { try await $0.raw("UPDATE users SET is_active = false WHERE username = 'quanzhou'").run() }
                #expect(try await there.get(organization).status != .ok)
                #expect(try await browser.get(organization).status != .ok)
            }
        }
    }

    /// Runs `change` and expects it to raise the setup version and not the data version.
    private func raises(_ app: Application, _ change: (any SQLDatabase) async throws -> Void) async throws {
        let before = try await DataVersion.currentVersions(on: app.db)
        try await change(app.db.sql)
        let after = try await DataVersion.currentVersions(on: app.db)
        #expect(after.setup > before.setup)
        #expect(after.all == before.all)
    }
}
