import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

private struct AreaJSON: Decodable {
    var code: String
    var name: String
    var target: Int
    var counted: Int
    var newToday: Int
    var rank: Int?
}

private struct ProgressJSON: Decodable {
    var asOf: String
    var area: AreaJSON
    var children: [AreaJSON]
}

private struct RankingJSON: Decodable {
    var areas: [AreaJSON]
}

/// Organizations that count for the demo campaign's rule (已建立, 新建, founded in the window up to `asOf`, not found
/// 不属实 by a spot check), by direct count.
private func directCount(under path: String, asOf: String, on db: any Database) async throws -> Int {
    let row = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("organizations")
        .where("division_path", .greaterThanOrEqual, path).where("division_path", .lessThan, path + "~")
        .where("stage", .equal, "founded").where("guidance", .equal, "new")
        .where("founded_on", .greaterThanOrEqual, "2012-10-15").where("founded_on", .lessThanOrEqual, asOf)
        .where("refuted_on", .is, SQLLiteral.null)
        .first()
    return try row?.decode(column: "n", as: Int.self) ?? -1
}

@Suite struct CampaignWebTests {
    @Test(arguments: TestDatabase.all)
    func dashboardTotalsAgreeWithTheLedgerAtEveryLevel(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let api = try await APIClient.make(app, as: try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            for asOf in ["2012-11-20", "2012-12-15"] {
                let (status, body, _) = try await api.call(.GET, "/api/v1/campaigns/\(campaign.id)/progress?asOf=\(asOf)",
                                                           template: "/api/v1/campaigns/{campaignID}/progress")
                #expect(status == .ok)
                let progress = try decode(ProgressJSON.self, body)
                #expect(progress.area.counted == (try await directCount(under: "35/3505/", asOf: asOf, on: app.db)))
                #expect(progress.area.target == 5000)
                #expect(progress.children.reduce(0) { $0 + $1.target } == 5000)
                #expect(progress.children.reduce(0) { $0 + $1.counted } == progress.area.counted)
                for child in progress.children {
                    let path = try await DivisionQueries.require(child.code, on: app.db).path
                    #expect(child.counted == (try await directCount(under: path, asOf: asOf, on: app.db)), "\(child.name) \(asOf)")
                }
                #expect(progress.children.map(\.rank) == Array(1...progress.children.count).map { $0 })
            }
            // Every township, ranked across the city, agrees too.
            let (_, rankingBody, _) = try await api.call(.GET, "/api/v1/campaigns/\(campaign.id)/ranking?level=township&asOf=2012-12-01",
                                                         template: "/api/v1/campaigns/{campaignID}/ranking")
            let ranking = try decode(RankingJSON.self, rankingBody)
            #expect(ranking.areas.count == 175)
            #expect(ranking.areas.reduce(0) { $0 + $1.target } == 5000)
            for area in ranking.areas.prefix(20) {
                let path = try await DivisionQueries.require(area.code, on: app.db).path
                #expect(area.counted == (try await directCount(under: path, asOf: "2012-12-01", on: app.db)))
            }
            // A ledger edit shows at once.
            let before = try decode(ProgressJSON.self, try await api.call(.GET, "/api/v1/campaigns/\(campaign.id)/progress?area=350582101&asOf=2012-12-15",
                                                                          template: "/api/v1/campaigns/{campaignID}/progress").1)
            var fields = sampleOrganization()
            fields.foundedOn = CalendarDay(year: 2012, month: 12, day: 15)
            _ = try await OrganizationStore.create(fields, by: testActor, on: app.db)
            let after = try decode(ProgressJSON.self, try await api.call(.GET, "/api/v1/campaigns/\(campaign.id)/progress?area=350582101&asOf=2012-12-15",
                                                                         template: "/api/v1/campaigns/{campaignID}/progress").1)
            #expect(after.area.counted == before.area.counted + 1)
            #expect(after.area.newToday == before.area.newToday + 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func eachRoleLandsOnItsOwnDashboardWithChartsAndDownloads(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            for (name, code, heading) in [("city", "3505", "泉州市 · 建团进度"), ("county", "350582", "晋江市 · 建团进度"),
                                          ("town", "350582101", "安海镇 · 建团进度")] {
                let role: Role = code.count == 4 ? .cityAdmin : code.count == 6 ? .countyAdmin : .townshipReporter
                let session = try await BrowserSession.signIn(app, try await makeTestUser(app, name, grants: [(role, code)]))
                let home = try await session.get("/")
                #expect(home.status == .ok)
                #expect(home.body.contains(heading), "\(name)")
                #expect(home.body.contains("<svg"))
                #expect(home.body.contains("累计进度"))
            }
            let session = try await BrowserSession.signIn(app, try await makeTestUser(app, "viewer", grants: [(.leaderViewer, "3505")]))
            let page = try await session.get("/campaigns/\(campaign.id)/areas/350526?asOf=2012-12-01")
            #expect(page.body.contains("德化县"))
            #expect(page.body.contains("各乡镇进度排名"))
            // The chart tables download as XLSX that read back with the same rows.
            var data = Data()
            try await app.testing().test(.GET, "/campaigns/\(campaign.id)/areas/3505/ranking.xlsx?asOf=2012-12-01", beforeRequest: { req in
                req.headers.cookie = ["taizhang_session": .init(string: session.cookie)]
            }, afterResponse: { res async throws in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                data = Data(buffer: res.body)
            })
            var rows: [[String]] = []
            try TabularFileReader(data: data).forEachRow { _, cells in rows.append(cells) }
            #expect(rows.first?.prefix(3) == ["名次", "单位", "代码"])
            #expect(rows.count == 1 + 13)
            let bad = try await session.get("/campaigns/\(campaign.id)/areas/3505/ranking.xlsx?asOf=2012-13-01")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("截至日期"))
            // A county administrator of 南安 cannot open 晋江's page.
            let nanan = try await BrowserSession.signIn(app, try await makeTestUser(app, "nanan", grants: [(.countyAdmin, "350583")]))
            #expect(try await nanan.get("/campaigns/\(campaign.id)/areas/350582").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func allocationPreviewsThenSavesAndBadSharesChangeNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let admin = try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")])
            let session = try await BrowserSession.signIn(app, admin)
            let refused = try await session.post("/campaigns", ["name": "泉州建团", "regionCode": "3505", "start": "2012-12-15",
                                                                "deadline": "2012-10-15", "target": "5000", "newOnly": "1", "withinWindow": "1"])
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("截止日期：2012-10-15 早于开始日期 2012-12-15"))
            #expect(try await CampaignStore.list(overlapping: .everywhere, on: app.db).isEmpty)
            let created = try await session.post("/campaigns", ["name": "泉州建团", "regionCode": "3505", "start": "2012-10-15",
                                                                "deadline": "2012年12月15日", "target": "５０００", "newOnly": "1", "withinWindow": "1"])
            #expect(created.status == .seeOther)
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            #expect(campaign.target == 5000)
            #expect(campaign.deadline == CalendarDay(year: 2012, month: 12, day: 15))

            let preview = try await session.post("/campaigns/\(campaign.id)/allocation",
                                                 ["parentCode": "3505", "method": "weighted", "floorPerTownship": "20", "cascade": "1",
                                                  "action": "preview"])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("尚未保存"))
            let counties = try await CampaignStore.children(of: try #require(try await CampaignStore.area("3505", on: app.db)), on: app.db)
            #expect(try await CampaignStore.targets(campaign.id, codes: counties.map(\.code), on: app.db).isEmpty)

            let negative = try await session.post("/campaigns/\(campaign.id)/allocation",
                                                  ["parentCode": "3505", "method": "weighted", "countySeat": "-3", "action": "apply"])
            #expect(negative.status == .badRequest)
            #expect(negative.body.contains("城关镇加权：应为不小于 0 的数"))
            let notANumber = try await session.post("/campaigns/\(campaign.id)/allocation",
                                                    ["parentCode": "3505", "method": "weighted", "perCommitteeMember": "两个", "action": "apply"])
            #expect(notANumber.body.contains("每名委员：「两个」不是数字"))
            var manual = ["parentCode": "3505", "method": "manual", "action": "apply"]
            for county in counties { manual["share_\(county.code)"] = "400" }
            let wrongSum = try await session.post("/campaigns/\(campaign.id)/allocation", manual)
            #expect(wrongSum.status == .badRequest)
            #expect(wrongSum.body.contains("合计 \(400 * counties.count)，与上级指标 5000 不符"))
            #expect(try await CampaignStore.targets(campaign.id, codes: counties.map(\.code), on: app.db).isEmpty)

            let saved = try await session.post("/campaigns/\(campaign.id)/allocation",
                                               ["parentCode": "3505", "method": "equal", "cascade": "1", "action": "apply", "reason": "先平均"])
            #expect(saved.status == .seeOther)
            let targets = try await CampaignStore.targets(campaign.id, codes: counties.map(\.code), on: app.db)
            #expect(targets.values.reduce(0, +) == 5000)
            #expect(Set(targets.values).count <= 2)
            let page = try await session.get("/campaigns/\(campaign.id)/targets")
            #expect(page.body.contains("先平均"))
            #expect(page.body.contains("下级合计 <strong>5000</strong>"))
            let audit = try await AuditLog.search(.init(action: "campaign.allocate"), scope: .everywhere, limit: 10, on: app.db)
            #expect(audit.count == 1)

            // A stale settings form is refused; a target below what is counted is refused.
            let stale = try await session.post("/campaigns/\(campaign.id)", ["name": "改名", "start": "2012-10-15", "deadline": "2012-12-15",
                                                                             "target": "6000", "version": "1"])
            #expect(stale.status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCountyProposesAndTheCityDecidesThroughTheAPI(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let county = try await APIClient.make(app, as: try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let city = try await APIClient.make(app, as: try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            let towns = try await CampaignStore.children(of: try #require(try await CampaignStore.area("350582", on: app.db)), on: app.db)
            var shares = try await CampaignStore.targets(campaign.id, codes: towns.map(\.code), on: app.db)
            shares[towns[0].code]! += 4
            let json = { (shares: [String: Int]) in
                String(decoding: try! JSONEncoder().encode(["parentCode": "350582", "reason": "安海镇企业多"] as [String: String]), as: UTF8.self)
                    .dropLast() + ", \"shares\": " + String(decoding: try! JSONEncoder().encode(shares), as: UTF8.self) + "}"
            }
            let (refused, refusedBody, _) = try await county.call(.POST, "/api/v1/campaigns/\(campaign.id)/proposals",
                                                                  template: "/api/v1/campaigns/{campaignID}/proposals", json: json(shares))
            #expect(refused == .badRequest)
            #expect(errorMessage(refusedBody).contains("不符"))
            shares[towns[1].code]! -= 4
            let (created, body, _) = try await county.call(.POST, "/api/v1/campaigns/\(campaign.id)/proposals",
                                                           template: "/api/v1/campaigns/{campaignID}/proposals", json: json(shares))
            #expect(created == .created, "\(String(decoding: body, as: UTF8.self))")
            let proposal = try JSONDecoder().decode([String: AnyDecodable].self, from: body)
            let id = try #require(proposal["id"]?.int)
            let (countyDecides, _, _) = try await county.call(.POST, "/api/v1/campaigns/\(campaign.id)/proposals/\(id)/decision",
                                                              template: "/api/v1/campaigns/{campaignID}/proposals/{proposalID}/decision",
                                                              json: #"{"decision": "accept"}"#)
            #expect(countyDecides == .forbidden)
            let (accepted, _, _) = try await city.call(.POST, "/api/v1/campaigns/\(campaign.id)/proposals/\(id)/decision",
                                                       template: "/api/v1/campaigns/{campaignID}/proposals/{proposalID}/decision",
                                                       json: #"{"decision": "accept", "note": "同意"}"#)
            #expect(accepted == .ok)
            #expect(try await CampaignStore.targets(campaign.id, codes: [towns[0].code], on: app.db)[towns[0].code] == shares[towns[0].code])
            let (again, _, _) = try await city.call(.POST, "/api/v1/campaigns/\(campaign.id)/proposals/\(id)/decision",
                                                    template: "/api/v1/campaigns/{campaignID}/proposals/{proposalID}/decision",
                                                    json: #"{"decision": "reject"}"#)
            #expect(again == .conflict)
            let (dry, dryBody, _) = try await city.call(.POST, "/api/v1/campaigns/\(campaign.id)/allocations",
                                                        template: "/api/v1/campaigns/{campaignID}/allocations",
                                                        json: #"{"parentCode": "350582", "method": "equal", "dryRun": true}"#)
            #expect(dry == .ok)
            #expect(String(decoding: dryBody, as: UTF8.self).contains(#""saved":false"#))
        }
    }
}

/// A founded 团支部 in 安海镇.
private func sampleOrganization() -> OrganizationFields {
    OrganizationFields(name: "安海镇测试新建团支部", townshipCode: "350582101", orgType: "团支部", unitCategory: "非公企业", buildMode: "单独建团",
                       stage: .founded, preparationApprovedOn: CalendarDay(year: 2012, month: 11, day: 1),
                       foundedOn: CalendarDay(year: 2012, month: 12, day: 1), memberCount: 5, youthCount: 20)
}

/// Just enough of a JSON value to read an id.
private struct AnyDecodable: Decodable {
    var int: Int?
    init(from decoder: any Decoder) throws {
        int = try? decoder.singleValueContainer().decode(Int.self)
    }
}
