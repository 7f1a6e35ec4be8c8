import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import Vapor
import VaporTesting

@Suite struct SignInAndAuditTests {
    @Test(arguments: TestDatabase.all)
    func aChangeInThePageIsAuditedWithBeforeAndAfterWithinTheViewersScope(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let jinjiang = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let changed = try await jinjiang.post("/divisions/350582101/attributes", ["youthPopulation": "8765"])
            #expect(changed.status == .seeOther)

            let audit = try await jinjiang.get("/audit?action=division.update")
            #expect(audit.status == .ok)
            #expect(audit.body.contains("350582101"))
            #expect(audit.body.contains("测试用户 jinjiang"))
            #expect(audit.body.contains("8765"))
            #expect(audit.body.contains("青年人口：8765"))

            // The county next door sees its own trail only.
            let nanan = try await BrowserSession.signIn(app, try await makeTestUser(app, "nanan", grants: [(.countyAdmin, "350583")]))
            let theirs = try await nanan.get("/audit?action=division.update")
            #expect(theirs.status == .ok)
            #expect(!theirs.body.contains("8765"))

            let csv = try await jinjiang.get("/audit.csv?action=division.update")
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.body.hasPrefix("\u{FEFF}时间,操作人,地址,操作,对象类型,对象,修改前,修改后"))
            #expect(csv.body.contains("8765"))

            // The trail cannot be changed through the application: no route writes to it.
            let writes = app.routes.all.filter { $0.method != .GET && $0.path.map(\.description).joined(separator: "/").contains("audit") }
            #expect(writes.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signInRefusesWrongPasswordsAndThrottlesRepeatedFailures(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let user = try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")])
            var wrong = user
            wrong = TestUser(id: user.id, username: user.username, password: "not-the-password9", token: user.token)
            for _ in 0..<5 {
                await #expect(throws: TestFailure.self) { _ = try await BrowserSession.signIn(app, wrong) }
            }
            // Locked for now, even with the right password.
            await #expect(throws: TestFailure.self) { _ = try await BrowserSession.signIn(app, user) }
            let failed = try await AuditLog.search(.init(action: "login.failed"), scope: .everywhere, limit: 100, on: app.db)
            #expect(failed.count == 5)
            #expect(failed.allSatisfy { $0.clientAddress != nil })
            let throttled = try await AuditLog.search(.init(action: "login.throttled"), scope: .everywhere, limit: 100, on: app.db)
            #expect(throttled.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func formsWithoutTheSessionsCSRFTokenChangeNothing(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            for token in ["", "forged-token"] {
                let refused = try await browser.post("/divisions/350582101/attributes", ["youthPopulation": "1"], csrf: token)
                #expect(refused.status == .forbidden)
                #expect(refused.body.contains("CSRF 校验失败"))
            }
            #expect(try await DivisionQueries.require("350582101", on: app.db).youthPopulation != 1)
            let denied = try await AuditLog.search(.init(action: "access.denied"), scope: .everywhere, limit: 100, on: app.db)
            #expect(denied.count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func logoutPasswordChangeAndExpiryEndSessions(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let user = try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")])
            let first = try await BrowserSession.signIn(app, user)
            #expect(try await first.get("/divisions/3505").status == .ok)
            let loggedOut = try await first.post("/logout", [:])
            #expect(loggedOut.status == .seeOther)
            let after = try await first.get("/divisions/3505")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix("/login?next=") == true)

            // An idle session expires.
            let second = try await BrowserSession.signIn(app, user)
            // (Three hours pass: the session's last use is moved back. A session's last use is not part of
            // what raises the setup version — an instance goes back to the database for a session at least
            // once a minute anyway — so the minute that would have passed is played by emptying the cache.)
            try await writeTransaction(on: app.db) { db in
                try await db.sql.raw("UPDATE user_sessions SET last_seen_at = \(bind: Date().addingTimeInterval(-3 * 3600))").run()
            }
            app.identityCache = Application.makeIdentityCache()
            #expect(try await second.get("/divisions/3505").status == .seeOther)

            // Changing the password ends every session; the new password works.
            let third = try await BrowserSession.signIn(app, user)
            let mismatch = try await third.post("/account/password", ["currentPassword": user.password, "newPassword": "newpass2026",
                                                                       "confirmPassword": "newpass2027"])
            #expect(mismatch.status == .badRequest)
            #expect(mismatch.body.contains("两次输入的新密码不一致"))
            let changed = try await third.post("/account/password", ["currentPassword": user.password, "newPassword": "newpass2026",
                                                                      "confirmPassword": "newpass2026"])
            #expect(changed.status == .seeOther)
            #expect(try await third.get("/account").status == .seeOther)
            let renewed = TestUser(id: user.id, username: user.username, password: "newpass2026", token: user.token)
            #expect(try await BrowserSession.signIn(app, renewed).get("/account").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokensOfRevokedOrDeactivatedUsersAreRefused(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let admin = try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")])
            let reporter = try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")])
            func me(_ token: String) async throws -> (HTTPStatus, String) {
                var result: (HTTPStatus, String) = (.internalServerError, "")
                try await app.testing().test(.GET, "/api/v1/me", beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                }, afterResponse: { res async throws in result = (res.status, res.body.string) })
                return result
            }
            #expect(try await me(reporter.token).0 == .ok)
            #expect(try await me("tz_made-up").0 == .unauthorized)

            let browser = try await BrowserSession.signIn(app, admin)
            let deactivated = try await browser.post("/admin/users/\(reporter.id.uuidString)/active", ["active": "0"])
            #expect(deactivated.status == .seeOther)
            let (status, body) = try await me(reporter.token)
            #expect(status == .unauthorized)
            #expect(body.contains("令牌无效、已吊销或其用户已停用"))

            let tokenID = try await APITokenStore.list(userID: admin.id, on: app.db).first!.id!
            #expect(try await browser.post("/account/tokens/\(tokenID.uuidString)/revoke", [:]).status == .seeOther)
            #expect(try await me(admin.token).0 == .unauthorized)
            let refused = try await AuditLog.search(.init(action: "token.refused"), scope: .everywhere, limit: 100, on: app.db)
            #expect(refused.count == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func administratorsGrantOnlyInsideTheirSubtreeAndOnRealDivisions(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let created = try await browser.post("/admin/users", ["username": "anhai", "displayName": "安海镇团委",
                                                                  "role": "township_reporter", "divisionCode": "350582101"])
            #expect(created.status == .ok)
            #expect(created.body.contains("anhai"))
            #expect(created.body.contains("初始密码"))

            let elsewhere = try await browser.post("/admin/users", ["username": "luncang", "displayName": "仑苍镇团委",
                                                                    "role": "township_reporter", "divisionCode": "350583101"])
            #expect(elsewhere.status == .forbidden)
            #expect(elsewhere.body.contains("您不能在「仑苍镇」授予乡镇填报员"))
            let nowhere = try await browser.post("/admin/users", ["username": "ghost", "displayName": "无",
                                                                  "role": "township_reporter", "divisionCode": "350582999"])
            #expect(nowhere.status == .badRequest)
            #expect(nowhere.body.contains("找不到代码为「350582999」的行政区划"))
            #expect(try await AccountStore.user(named: "luncang", on: app.db) == nil)
            #expect(try await AccountStore.user(named: "ghost", on: app.db) == nil)
            let refusals = try await AuditLog.search(.init(action: "request.refused"), scope: .everywhere, limit: 100, on: app.db)
            #expect(refusals.contains { ($0.afterJSON ?? "").contains("350582999") })
            let grants = try await AuditLog.search(.init(action: "user.create"), scope: .within("35/3505/350582/"), limit: 100, on: app.db)
            #expect(grants.contains { $0.entityID == "anhai" })
            #expect(!grants.contains { $0.entityID == "luncang" || $0.entityID == "ghost" })
        }
    }

    @Test(arguments: TestDatabase.all)
    func demoAccountsSeeWhatTheirRoleShould(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let accounts = try await DemoAccounts.prepare(on: app.db)
            #expect(accounts.count == Role.allCases.count)
            #expect(Set(accounts.map(\.role)) == Set(Role.allCases))
            for account in accounts {
                let user = TestUser(id: UUID(), username: account.username, password: account.password, token: "")
                let browser = try await BrowserSession.signIn(app, user)
                let city = try await browser.get("/divisions/3505")
                let township = try await browser.get("/divisions/350582101")
                let neighbour = try await browser.get("/divisions/350583101")
                let users = try await browser.get("/admin/users")
                switch account.role {
                case .systemAdmin, .cityAdmin, .leaderViewer:
                    #expect(city.status == .ok, "\(account.username)")
                    #expect(neighbour.status == .ok, "\(account.username)")
                case .countyAdmin, .verifier:
                    #expect(city.status == .notFound, "\(account.username)")
                    #expect(neighbour.status == .notFound, "\(account.username)")
                case .townshipReporter, .liaisonCadre:
                    #expect(city.status == .notFound, "\(account.username)")
                    #expect(neighbour.status == .notFound, "\(account.username)")
                }
                #expect(township.status == .ok, "\(account.username)")
                let managesUsers = [.systemAdmin, .cityAdmin, .countyAdmin].contains(account.role)
                #expect(users.status == (managesUsers ? .ok : .forbidden), "\(account.username)")
                // Forms appear only for those who may use them.
                #expect(township.body.contains("name=\"youthPopulation\"") == account.role.permissions.contains(.editDivisions),
                        "\(account.username)")
            }
        }
    }
}
