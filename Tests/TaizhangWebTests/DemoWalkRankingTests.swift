import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// The ranking of a level after the demo walk (issue 14): each unit with the unit it belongs
/// to (two 官桥镇 told apart), a day to look at, and the ranking as XLSX.
@Suite struct DemoWalkRankingTests {
    private static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    private static func campaign(_ app: Application) async throws -> Campaign {
        _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
        let campaign = try await CampaignStore.create(CampaignDraft(name: "泉州建团", regionCode: "3505", start: day("2012-10-15"),
                                                                    deadline: day("2012-12-15"), target: 1750), by: testActor, on: app.db)
        try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .equal, cascade: true), by: testActor, on: app.db)
        return try await CampaignStore.require(campaign.id, on: app.db)
    }

    private static func download(_ app: Application, _ session: BrowserSession, _ path: String) async throws -> (HTTPStatus, HTTPHeaders, Data) {
        var result: (HTTPStatus, HTTPHeaders, Data) = (.internalServerError, [:], Data())
        try await app.testing().test(.GET, path, beforeRequest: { req in
            req.headers.cookie = ["taizhang_session": .init(string: session.cookie)]
        }, afterResponse: { res async throws in
            result = (res.status, res.headers, Data(buffer: res.body))
        })
        return result
    }

    @Test(arguments: TestDatabase.all)
    func theTownshipRankingNamesEachCountyTakesADayAndDownloadsAsXLSX(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await Self.campaign(app)
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            let base = "/campaigns/\(campaign.id)/ranking"

            let page = try await city.get(base + "?level=township&asOf=2012-11-30")
            #expect(page.status == .ok)
            #expect(page.body.contains("<th>所属县（市、区）</th>"))
            #expect(page.body.range(of: #">官桥镇</a></td><td>南安市</td>"#, options: .regularExpression) != nil)
            #expect(page.body.range(of: #">官桥镇</a></td><td>安溪县</td>"#, options: .regularExpression) != nil)
            // The day picker: a GET form that keeps the level, showing the day looked at.
            #expect(page.body.contains(#"<form method="get" action="\#(base)""#))
            #expect(page.body.contains(#"<input type="hidden" name="level" value="township">"#))
            #expect(page.body.contains(#"<input type="date" name="asOf" value="2012-11-30">"#))
            #expect(page.body.contains("截至 2012年11月30日"))
            #expect(page.body.contains(#"href="\#(base).xlsx?level=township&amp;asOf=2012-11-30""#))
            let levelLinkKeepsDay = page.body.contains(#"href="\#(base)?level=county&amp;asOf=2012-11-30""#)
            #expect(levelLinkKeepsDay, "the level links keep the day")

            // The counties' ranking names the city.
            let counties = try await city.get(base + "?level=county")
            #expect(counties.body.contains("<th>所属市（地区、州）</th>") && counties.body.contains("<td>泉州市</td>"))

            // The XLSX: the same rows, with code and county.
            let (status, headers, data) = try await Self.download(app, city, base + ".xlsx?level=township&asOf=2012-11-30")
            #expect(status == .ok)
            #expect(headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(headers.first(name: .contentDisposition)?.contains("xlsx") == true)
            var rows: [[String]] = []
            try TabularFileReader(data: data).forEachRow { _, cells in rows.append(cells) }
            #expect(rows.first?.prefix(5) == ["名次", "单位", "代码", "所属县（市、区）", "指标"])
            let pageRows = page.body.components(separatedBy: "<tr").count - 2  // less the header row and what precedes the first
            #expect(rows.count - 1 == pageRows)
            let guanqiao = rows.filter { $0.count > 3 && $0[1] == "官桥镇" }.map { "\($0[2]) \($0[3])" }.sorted()
            #expect(guanqiao == ["350524103 安溪县", "350583118 南安市"])
            #expect(rows.dropFirst().map { $0[0] } == (1..<rows.count).map(String.init))

            // Bad input names the field, on the page and the download alike.
            for path in [base + "?level=township&asOf=2012-02-30", base + ".xlsx?level=township&asOf=2012-02-30"] {
                let bad = try await city.get(path)
                #expect(bad.status == .badRequest, "\(path)")
                #expect(bad.body.contains("截至日期（asOf）"), "\(path)")
            }
            for path in [base + "?level=village", base + ".xlsx?level=village"] {
                let bad = try await city.get(path)
                #expect(bad.status == .badRequest, "\(path)")
                #expect(bad.body.contains("level"), "\(path)")
            }

            // Someone outside the campaign's region cannot download it.
            _ = try await DivisionLoader.load(region: "3501", from: bundledDivisions, by: testActor, on: app.db)
            let fuzhou = try await BrowserSession.signIn(app, try await makeTestUser(app, "fuzhou", grants: [(.cityAdmin, "3501")]))
            #expect(try await Self.download(app, fuzhou, base + ".xlsx?level=township").0 == .notFound)
        }
    }
}
