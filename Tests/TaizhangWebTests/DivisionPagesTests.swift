import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

@Suite struct DivisionPagesTests {
    @Test(arguments: TestDatabase.all)
    func cityPageListsItsCountiesAndTheZoneInChinese(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app))
            do { let res = try await browser.get("/divisions/3505")
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.description.contains("text/html") == true)
                let html = res.body
                #expect(html.contains("<html lang=\"zh-CN\">"))
                #expect(html.contains("<h1>泉州市"))
                for county in ["鲤城区", "晋江市", "南安市", "金门县", "泉州台商投资区"] {
                    #expect(html.contains(">\(county)</a>"))
                }
                #expect(html.contains("新增管委会"))
                #expect(html.contains(">台账<"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func townshipPageShowsItsTagsMoveHistoryAndForms(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app))
            do { let res = try await browser.get("/divisions/350521104")
                #expect(res.status == .ok)
                let html = res.body
                #expect(html.contains("洛阳镇"))
                #expect(html.contains("> › <a href=\"/divisions/3505Z01\">泉州台商投资区</a>") || html.contains("<a href=\"/divisions/3505Z01\">泉州台商投资区</a>"))
                #expect(html.contains("划转记录"))
                #expect(html.contains("2012-10-08"))
                #expect(html.contains("惠安县"))
                #expect(html.contains("name=\"youthPopulation\""))
            }
            do { let res = try await browser.get("/divisions/350582101")
                #expect(res.body.contains("<span class=\"badge tag\">小城镇</span>"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func homeOffersTheLoadedRegionAndSearch(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app))
            do { let res = try await browser.get("/")
                #expect(res.status == .ok)
                #expect(res.body.contains("taizhang init --region 3505"))
            }
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            do { let res = try await browser.get("/")
                #expect(res.body.contains("<a href=\"/divisions/3505\">泉州市</a>"))
            }
            do { let res = try await browser.get("/divisions?q=%E5%AE%89%E6%B5%B7")
                #expect(res.body.contains("<a href=\"/divisions/350582101\">安海镇</a>"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func formsChangeTheTreeAndRefusalsExplainThemselves(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app, grants: [(.cityAdmin, "3505")]))
            do {
                let res = try await browser.post("/divisions/3505/zones", ["name": "泉州台商投资区", "leagueCommitteeName": "泉州台商投资区团工委"])
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/divisions/3505Z01")
            }
            do {
                let res = try await browser.post("/divisions/350521105/move", ["toParentCode": "3505Z01", "effectiveDate": "2012/10/8", "reason": "管委会"])
                #expect(res.status == .seeOther)
            }
            #expect(try await DivisionQueries.require("350521105", on: app.db).parentCode == "3505Z01")

            do {
                let res = try await browser.post("/divisions/350521106/attributes", ["tagsPresent": "1", "youthPopulation": "三千"])
                #expect(res.status == .badRequest)
                #expect(res.body.contains("青年人口：「三千」不是整数"))
            }
            #expect(try await DivisionQueries.require("350521106", on: app.db).youthPopulation == nil)

            do {
                let res = try await browser.postRaw("/divisions/350521106/attributes",
                    "tagsPresent=1&keyAreaTags%5B%5D=developed&youthPopulation=%EF%BC%93%EF%BC%92%EF%BC%90%EF%BC%90")
                #expect(res.status == .seeOther)
            }
            let zhangban = try await DivisionQueries.require("350521106", on: app.db)
            #expect(zhangban.youthPopulation == 3200)
            #expect(zhangban.keyAreaTags == [.developed])

            let audit = try await AuditLog.events(on: app.db)
            #expect(Set(audit.map(\.action)).isSuperset(of: ["division.zone.create", "division.township.move", "division.update"]))
        }
    }

    @Test(arguments: TestDatabase.all)
    func userTextIsEscapedEverywhere(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app))
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let hostile = "<script>alert(1)</script>\"' onmouseover=\"x"
            _ = try await DivisionEditor.addManagementZone(
                .init(cityCode: "3505", name: hostile, leagueCommitteeName: hostile), by: testActor, on: app.db)
            do { let res = try await browser.get("/divisions/3505Z01")
                let html = res.body
                #expect(!html.contains("<script>alert(1)</script>"))
                #expect(!html.contains("\" onmouseover=\"x"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39; onmouseover=&quot;x"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownDivisionIsAChineseNotFoundPage(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app))
            do { let res = try await browser.get("/divisions/999999")
                #expect(res.status == .notFound)
                #expect(res.body.contains("找不到代码为「999999」的行政区划"))
            }
        }
    }
}
