import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// User administration after the demo walk (issue 14): a grant's 范围 by name as well as by
/// code, a name and phone an administrator can correct, confirmation before the irreversible buttons.
@Suite struct DemoWalkUserAdminTests {
    static func userCount(_ app: Application) async throws -> Int { try await User.query(on: app.db).count() }

    @Test(arguments: TestDatabase.all)
    func aGrantsDivisionMayBeNamedAndANamesakeIsRefusedWithEveryCandidate(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))

            // 磁灶镇 is one township in 泉州: the account is opened on it.
            let created = try await city.post("/admin/users", ["username": "cizao", "displayName": "磁灶镇团委", "phone": "",
                                                               "role": "township_reporter", "divisionCode": " 磁灶镇 "])
            #expect(created.status == .ok, "\(created.body.prefix(300))")
            #expect(created.body.contains("已创建用户"))
            let cizao = try #require(try await AccountStore.user(named: "cizao", on: app.db))
            #expect(try await AccountStore.grants(of: cizao.id!, on: app.db).map(\.divisionCode) == ["350582102"])

            // A county by name; a code still works.
            let byCounty = try await city.post("/admin/users/\(cizao.id!.uuidString)/grants", ["role": "verifier", "divisionCode": "晋江市"])
            #expect(byCounty.status == .seeOther)
            let byCode = try await city.post("/admin/users/\(cizao.id!.uuidString)/grants", ["role": "leader_viewer", "divisionCode": "350583"])
            #expect(byCode.status == .seeOther)
            #expect(Set(try await AccountStore.grants(of: cizao.id!, on: app.db).map(\.divisionCode)) == ["350582102", "350582", "350583"])

            // 官桥镇 is in 南安市 and in 安溪县: refused, naming both with their codes, the typed form kept, nobody created.
            let before = try await Self.userCount(app)
            let ambiguous = try await city.post("/admin/users", ["username": "guanqiao", "displayName": "官桥镇团委", "phone": "",
                                                                 "role": "township_reporter", "divisionCode": "官桥镇"])
            #expect(ambiguous.status == .badRequest)
            #expect(ambiguous.body.contains("授权范围：「官桥镇」有 2 个同名行政区划"))
            #expect(ambiguous.body.contains("南安市官桥镇（350583118）"))
            #expect(ambiguous.body.contains("安溪县官桥镇（350524103）"))
            #expect(ambiguous.body.contains(#"value="guanqiao""#) && ambiguous.body.contains(#"value="官桥镇""#))
            #expect(try await Self.userCount(app) == before)

            // The same on a user's page: nothing granted.
            let grantAmbiguous = try await city.post("/admin/users/\(cizao.id!.uuidString)/grants", ["role": "verifier", "divisionCode": "官桥镇"])
            #expect(grantAmbiguous.status == .badRequest)
            #expect(grantAmbiguous.body.contains("350583118") && grantAmbiguous.body.contains("350524103"))
            #expect(try await AccountStore.grants(of: cizao.id!, on: app.db).count == 3)

            // A name nobody has, and a blank one, each refused naming the field.
            for (typed, message) in [("不存在镇", "授权范围：您的管理范围内没有名为「不存在镇」的行政区划"), ("  ", "授权范围：不能为空")] {
                let refused = try await city.post("/admin/users", ["username": "nobody", "displayName": "某人", "phone": "",
                                                                   "role": "township_reporter", "divisionCode": typed])
                #expect(refused.status == .badRequest)
                #expect(refused.body.contains(message), "\(typed)")
            }
            #expect(try await Self.userCount(app) == before)

            // Within 南安市's own scope 官桥镇 is unique; 安溪县's is not theirs to find.
            let nanan = try await BrowserSession.signIn(app, try await makeTestUser(app, "nanan", grants: [(.countyAdmin, "350583")]))
            let theirs = try await nanan.post("/admin/users", ["username": "guanqiao", "displayName": "官桥镇团委", "phone": "",
                                                               "role": "township_reporter", "divisionCode": "官桥镇"])
            #expect(theirs.status == .ok)
            let guanqiao = try #require(try await AccountStore.user(named: "guanqiao", on: app.db))
            #expect(try await AccountStore.grants(of: guanqiao.id!, on: app.db).map(\.divisionCode) == ["350583118"])
            let outside = try await nanan.post("/admin/users", ["username": "cizao2", "displayName": "磁灶", "phone": "",
                                                                "role": "township_reporter", "divisionCode": "磁灶镇"])
            #expect(outside.status == .badRequest)
            #expect(outside.body.contains("您的管理范围内没有名为「磁灶镇」"))
            #expect(try await AccountStore.user(named: "cizao2", on: app.db) == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAdministratorCorrectsANameAndPhoneAuditedAndBadInputChangesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let jinjiang = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let anhai = try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")])
            let path = "/admin/users/\(anhai.id.uuidString)"

            let page = try await jinjiang.get(path)
            #expect(page.status == .ok)
            #expect(page.body.contains(#"action="\#(path)/profile""#))
            #expect(page.body.contains(#"value="测试用户 anhai""#))

            let saved = try await jinjiang.post(path + "/profile", ["displayName": " 安海镇团委 王芳 ", "phone": "0595-85701234"])
            #expect(saved.status == .seeOther)
            let user = try await AccountStore.requireUser(anhai.id, on: app.db)
            #expect(user.displayName == "安海镇团委 王芳" && user.phone == "0595-85701234")
            let events = try await AuditLog.search(.init(action: "user.update"), scope: .everywhere, limit: 10, on: app.db)
            #expect(events.count == 1)
            #expect(events.first?.entityID == "anhai")
            #expect(events.first?.beforeJSON?.contains("测试用户 anhai") == true)
            #expect(events.first?.afterJSON?.contains("安海镇团委 王芳") == true && events.first?.afterJSON?.contains("0595-85701234") == true)
            // The county administrator sees it in their trail, by its Chinese name.
            let trail = try await jinjiang.get("/audit?action=user.update")
            #expect(trail.body.contains("修改账号信息") && trail.body.contains("姓名：安海镇团委 王芳"))
            // The same values again change nothing and record nothing.
            #expect(try await jinjiang.post(path + "/profile", ["displayName": "安海镇团委 王芳", "phone": "0595-85701234"]).status == .seeOther)
            #expect(try await AuditLog.search(.init(action: "user.update"), scope: .everywhere, limit: 10, on: app.db).count == 1)

            // Bad input: a clear 400 naming the field, the typed values kept, nothing changed or recorded.
            for (form, message) in [(["displayName": "  ", "phone": "13900000000"], "姓名：不能为空"),
                                    (["displayName": "王芳", "phone": "打电话"], "手机：「打电话」应为电话号码"),
                                    (["displayName": "王芳", "phone": "1390000000013900000000"], "手机："),
                                    (["displayName": String(repeating: "长", count: 51), "phone": ""], "姓名：至多 50 个字")] {
                let refused = try await jinjiang.post(path + "/profile", form)
                #expect(refused.status == .badRequest, "\(form)")
                #expect(refused.body.contains(message), "\(form): \(refused.body.prefix(200))")
            }
            let unchanged = try await AccountStore.requireUser(anhai.id, on: app.db)
            #expect(unchanged.displayName == "安海镇团委 王芳" && unchanged.phone == "0595-85701234")
            #expect(try await AuditLog.search(.init(action: "user.update"), scope: .everywhere, limit: 10, on: app.db).count == 1)

            // Clearing the phone is allowed.
            #expect(try await jinjiang.post(path + "/profile", ["displayName": "安海镇团委 王芳", "phone": ""]).status == .seeOther)
            #expect(try await AccountStore.requireUser(anhai.id, on: app.db).phone == nil)

            // Another county's administrator cannot find the user at all.
            let nanan = try await BrowserSession.signIn(app, try await makeTestUser(app, "nanan", grants: [(.countyAdmin, "350583")]))
            #expect(try await nanan.post(path + "/profile", ["displayName": "改了", "phone": ""]).status == .notFound)
            #expect(try await AccountStore.requireUser(anhai.id, on: app.db).displayName == "安海镇团委 王芳")

            // A phone that is not a number is refused when opening an account too.
            let badNew = try await jinjiang.post("/admin/users", ["username": "newone", "displayName": "新人", "phone": "无",
                                                                  "role": "township_reporter", "divisionCode": "350582101"])
            #expect(badNew.status == .badRequest)
            #expect(badNew.body.contains("手机："))
            #expect(try await AccountStore.user(named: "newone", on: app.db) == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func resettingAPasswordAndDeactivatingAskForConfirmationWithoutInlineScript(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let jinjiang = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let anhai = try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")])
            let page = try await jinjiang.get("/admin/users/\(anhai.id.uuidString)")
            let reset = try #require(page.body.range(of: #"<button type="submit" data-confirm="[^"]*重置密码[^"]*">重置密码</button>"#,
                                                     options: .regularExpression))
            #expect(page.body[reset].contains("anhai"))
            #expect(page.body.range(of: #"data-confirm="[^"]*停用[^"]*">停用账号</button>"#, options: .regularExpression) != nil)
            #expect(!page.body.contains("onclick") && !page.body.contains("<script>"))

            // Both, once done, are on the county administrator's own trail (they were filed nowhere but the system's).
            #expect(try await jinjiang.post("/admin/users/\(anhai.id.uuidString)/password", [:]).status == .ok)
            #expect(try await jinjiang.post("/admin/users/\(anhai.id.uuidString)/active", ["active": "0"]).status == .seeOther)
            let trail = try await jinjiang.get("/audit?entity=anhai")
            #expect(trail.body.contains(#"<td title="user.password">修改密码</td>"#) && trail.body.contains(#"<td title="user.deactivate">停用账号</td>"#))
            let nanan = try await BrowserSession.signIn(app, try await makeTestUser(app, "nanan", grants: [(.countyAdmin, "350583")]))
            #expect(!(try await nanan.get("/audit?entity=anhai")).body.contains(#"<td title="user.deactivate">"#))
        }
    }
}
