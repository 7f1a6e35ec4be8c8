import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import Vapor
import VaporTesting

private struct ProgressJSON: Decodable {
    struct Area: Decodable {
        var counted: Int
    }
    var area: Area
}

/// The web caches (signed-in users, campaigns, areas, dashboards) never show anything a write
/// has changed — not on the instance that wrote, and not on another instance of the app on the
/// same database, which learns of every write through the data version.
@Suite struct CachingTests {
    @Test(arguments: TestDatabase.all)
    func everyInstanceSeesEveryWriteAtOnce(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let campaign = try await CampaignStore.create(
                CampaignDraft(name: "缓存测试", regionCode: "3505", start: try #require(CalendarDay(iso: "2012-10-15")),
                              deadline: try #require(CalendarDay(iso: "2012-12-15")), target: 100),
                by: testActor, on: app.db)
            let user = try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")])
            let browser = try await BrowserSession.signIn(app, user)
            let progress = "/api/v1/campaigns/\(campaign.id)/progress?area=350582&asOf=2012-12-15"

            func counted(_ session: BrowserSession) async throws -> Int {
                let page = try await session.get(progress)
                #expect(page.status == .ok, "\(page.body.prefix(200))")
                return try JSONDecoder().decode(ProgressJSON.self, from: Data(page.body.utf8)).area.counted
            }

            try await withSecondInstance(of: app) { second async throws in
                let there = browser.on(second)
                // Both instances answer, and have now cached the user, the campaign and the dashboard.
                #expect(try await counted(browser) == 0)
                #expect(try await counted(there) == 0)
                #expect(try await counted(there) == 0)

                // A write through the first instance's database shows on both.
                var fields = OrganizationFields(name: "缓存测试团支部", townshipCode: "350582101", orgType: "团支部",
                                                unitCategory: "非公企业", buildMode: "单独建团", stage: .founded,
                                                foundedOn: CalendarDay(year: 2012, month: 12, day: 1), memberCount: 5)
                _ = try await OrganizationStore.create(fields, by: testActor, on: app.db)
                #expect(try await counted(there) == 1)
                #expect(try await counted(browser) == 1)
                // …and one through the second instance's.
                fields.name = "缓存测试第二团支部"
                _ = try await OrganizationStore.create(fields, by: testActor, on: second.db)
                #expect(try await counted(browser) == 2)
                #expect(try await counted(there) == 2)

                // A role taken away on one instance is gone on the other at the next request.
                let grant = try #require(try await AccountStore.grantRows(of: user.id, on: app.db).first)
                try await AccountStore.removeGrant(grantID: grant.id, by: testActor, on: app.db)
                #expect(try await there.get(progress).status == .notFound)
                try await AccountStore.addGrant(userID: user.id, role: .cityAdmin, divisionCode: "3505", by: testActor, on: app.db)
                #expect(try await counted(there) == 2)

                // Signing in changes nothing a cache holds, so it leaves the data version alone.
                let version = try await DataVersion.current(on: app.db)
                _ = try await BrowserSession.signIn(second, user)
                #expect(try await DataVersion.current(on: app.db) == version)

                // Signing out on one instance ends the session on the other.
                let out = try await browser.post("/logout", [:])
                #expect(out.status == .seeOther)
                #expect(try await there.get(progress).status == .unauthorized)
                #expect(try await there.get("/").status == .seeOther)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRevokedTokenStopsWorkingOnEveryInstance(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let user = try await makeTestUser(app)
            func status(_ instance: Application) async throws -> HTTPStatus {
                var status = HTTPStatus.internalServerError
                try await instance.testing().test(.GET, "/api/v1/campaigns", beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: user.token)
                }, afterResponse: { res async throws in status = res.status })
                return status
            }
            try await withSecondInstance(of: app) { second async throws in
                #expect(try await status(app) == .ok)
                #expect(try await status(second) == .ok)
                let token = try #require(try await APIToken.query(on: app.db).filter(\.$userID == user.id).first())
                try await APITokenStore.revoke(tokenID: try token.requireID(), ownedBy: user.id, by: testActor, on: second.db)
                #expect(try await status(app) == .unauthorized)
                #expect(try await status(second) == .unauthorized)
            }
        }
    }

    @Test func aCacheServesOnlyItsOwnVersionAndForgetsOldEntries() async throws {
        let cache = VersionedCache<String>(capacity: 2, maxAge: .milliseconds(200))
        cache.store("五", for: "a", at: 5)
        #expect(cache.value("a", at: 5) == "五")
        #expect(cache.value("a", at: 6) == nil)
        // An older version (a restored database) empties it too.
        cache.store("三", for: "b", at: 3)
        #expect(cache.value("a", at: 5) == nil)
        #expect(cache.value("b", at: 3) == "三")
        // Full: it starts over.
        cache.store("c", for: "c", at: 3)
        cache.store("d", for: "d", at: 3)
        #expect(cache.count == 1)
        // Old entries expire whatever the version.
        try await Task.sleep(for: .milliseconds(300))
        #expect(cache.value("d", at: 3) == nil)
    }
}
