import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

/// 泉州 with a campaign and 60 organizations 已建立 in townships of 晋江 and 南安.
private func setUp(_ app: Application) async throws -> Campaign {
    _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
    var csv = "乡镇（街道）,团组织名称,组织类型,单位类别,建团方式,建设阶段,筹建批复日期,成立日期,新建或联系指导\n"
    let townships = ["350582101", "350582102", "350583101", "350583102"]
    for index in 0..<60 {
        csv += "\(townships[index % 4]),抽查页面第\(index)号团支部,团支部,非公企业,单独建团,已建立,2012-10-01,2012-11-\(10 + index % 15),新建\n"
    }
    _ = try await LedgerImporter.commit(TabularFileReader(data: Data(csv.utf8)), fileName: "抽查.csv", scope: .everywhere, by: testActor, on: app.db)
    return try await CampaignStore.create(CampaignDraft(name: "泉州建团", regionCode: "3505", start: day("2012-10-15"),
                                                        deadline: day("2012-12-15"), target: 100), by: testActor, on: app.db)
}

@Suite struct SpotCheckWebTests {
    @Test(arguments: TestDatabase.all)
    func aCityDrawsRecordsFindingsAndReadsTheReport(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await setUp(app)
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            let index = try await city.get("/verification/spot-checks")
            #expect(index.status == .ok)
            #expect(index.body.contains("新建抽查") && index.body.contains("泉州建团"))

            let form = ["campaignID": String(campaign.id), "scopeCode": "3505", "asOf": "2012-12-15", "stratifyBy": "county",
                        "sizeRule": "percent", "percent": "20", "minimum": "3", "fixedSize": "", "seed": "20121215"]
            // Bad input: each refused by name, nothing drawn, the refusal audited.
            var badSeed = form
            badSeed["seed"] = "12ab"
            let refused = try await city.post("/verification/spot-checks", badSeed)
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("随机种子：应为 0 到 18446744073709551615 之间的整数（填写了「12ab」）"))
            var tooMany = form
            tooMany["sizeRule"] = "fixed"
            tooMany["fixedSize"] = "31"
            let tooLarge = try await city.post("/verification/spot-checks", tooMany)
            #expect(tooLarge.status == .badRequest)
            #expect(tooLarge.body.contains("只有 30 个团组织，抽不出 31 个"))
            var negative = form
            negative["percent"] = "-5"
            #expect(try await city.post("/verification/spot-checks", negative).body.contains("抽样比例：不能为负数"))
            #expect(try await SpotCheckStore.list(in: .everywhere, on: app.db).isEmpty)
            let audit = try await AuditLog.search(.init(action: "request.refused"), scope: .everywhere, limit: 10, on: app.db)
            #expect(audit.contains { $0.afterJSON?.contains("12ab") == true })

            let drawn = try await city.post("/verification/spot-checks", form)
            #expect(drawn.status == .seeOther)
            let location = try #require(drawn.headers.first(name: .location))
            let spotCheck = try #require(try await SpotCheckStore.list(in: .everywhere, on: app.db).first)
            #expect(location == "/verification/spot-checks/\(spotCheck.id)")
            #expect(spotCheck.strata.map(\.sampleSize) == [6, 6])
            let page = try await city.get(location)
            #expect(page.status == .ok)
            #expect(page.body.contains(spotCheck.frameHash) && page.body.contains("20121215") && page.body.contains("一致："))

            // A finding through the form; a 不属实 one takes the organization out of the count.
            let samples = try await SpotCheckStore.samples(spotCheck, on: app.db)
            let recorded = try await city.postRaw("\(location)/samples/\(samples[0].code)",
                                                  "outcome=wrong_details&checker=%E6%9E%97%E6%A0%B8%E6%9F%A5&visitedOn=2012-12-18"
                                                  + "&wrongFields%5B%5D=%E4%B9%A6%E8%AE%B0%E5%A7%93%E5%90%8D&wrongFields%5B%5D=%E5%9B%A2%E5%91%98%E6%95%B0&notes=")
            #expect(recorded.status == .seeOther)
            let afterFinding = try await SpotCheckStore.samples(spotCheck, on: app.db)[0].finding
            #expect(afterFinding?.outcome == .wrongDetails && afterFinding?.wrongFields == ["书记姓名", "团员数"] && afterFinding?.checker == "林核查")
            _ = try await city.post("\(location)/samples/\(samples[1].code)", ["outcome": "not_real", "checker": "林核查", "visitedOn": "2012-12-18"])
            let figures = try await CampaignProgress.figures(campaign, areas: [try #require(try await CampaignStore.area("3505", on: app.db))],
                                                             asOf: day("2012-12-15"), on: app.db)
            #expect(figures[0].progress.counted == 59)
            let compared = try await city.get(location + "?compare=ledger")
            #expect(compared.body.contains("现在的抽样框比抽样时多 0 个、少 1 个"))
            #expect(try await city.get(location).body.contains("与当前台账比较</a>"))
            let missingFields = try await city.post("\(location)/samples/\(samples[2].code)", ["outcome": "wrong_details", "checker": "林核查", "visitedOn": "2012-12-18"])
            #expect(missingFields.status == .badRequest && missingFields.body.contains("有误字段：核查结果为「信息有误」时，请选出哪些字段有误"))
            let notSampled = try await LedgerQuery.page(LedgerFilter(), sort: .ledger, after: nil, limit: 100, on: app.db).records
                .first { record in !samples.contains { $0.code == record.code } }!
            let outsider = try await city.post("\(location)/samples/\(notSampled.code)", ["outcome": "real", "checker": "林核查", "visitedOn": "2012-12-18"])
            #expect(outsider.status == .badRequest && outsider.body.contains("不在第 \(spotCheck.id) 号抽查的样本中"))

            // The report: the table, Wilson intervals, the estimate and the formulas; Word and Excel.
            let report = try await city.get("\(location)/report")
            #expect(report.status == .ok)
            #expect(report.body.contains("威尔逊") && report.body.contains("晋江市") && report.body.contains("南安市") && report.body.contains("估计真实数"))
            let wilson = try #require(SpotCheckStatistics.wilson(successes: 1, trials: 2))
            #expect(report.body.contains(String(format: "%.1f%%—%.1f%%", wilson.lower * 100, wilson.upper * 100)))
            for (file, type) in [("spot-check.docx", "wordprocessingml"), ("spot-check.xlsx", "spreadsheetml")] {
                let download = try await city.get("\(location)/report/\(file)")
                #expect(download.status == .ok)
                #expect(download.headers.contentType?.description.contains(type) == true)
            }

            // 南安's county administrator does not see the city's check; a township reporter may not draw.
            let nanan = try await BrowserSession.signIn(app, try await makeTestUser(app, "nanan", grants: [(.countyAdmin, "350583")]))
            #expect(try await nanan.get(location).status == .notFound)
            #expect(try await nanan.get("/verification/spot-checks").body.contains(spotCheck.frameHash) == false)
            let reporter = try await BrowserSession.signIn(app, try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")]))
            #expect(try await reporter.post("/verification/spot-checks", form).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIDrawsShowsRecordsAndReportsAsDocumented(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await setUp(app)
            let api = try await APIClient.make(app, as: try await makeTestUser(app, "verifier", grants: [(.verifier, "350582")]))
            let body = #"{"campaignID": \#(campaign.id), "scopeCode": "350582", "asOf": "2012-12-15", "stratifyBy": "township", "sizeRule": "fixed", "fixedSize": 4, "seed": "99"}"#
            let (status, data, headers) = try await api.call(.POST, "/api/v1/spot-checks", template: "/api/v1/spot-checks", json: body)
            #expect(status == .created)
            struct Detail: Decodable {
                struct Check: Decodable { var id: Int; var frameSha256: String; var sampleSize: Int; var seed: String }
                struct Redraw: Decodable { var matches: Bool }
                struct Sample: Decodable { var code: String; var outcome: String? }
                var spotCheck: Check
                var redraw: Redraw
                var samples: [Sample]
            }
            let detail = try decode(Detail.self, data)
            #expect(detail.spotCheck.sampleSize == 8 && detail.samples.count == 8 && detail.redraw.matches && detail.spotCheck.seed == "99")
            #expect(headers.first(name: .location) == "/api/v1/spot-checks/\(detail.spotCheck.id)")
            let id = detail.spotCheck.id
            let (_, listData, _) = try await api.call(.GET, "/api/v1/spot-checks", template: "/api/v1/spot-checks")
            #expect(listData.count > 100)
            try await api.call(.GET, "/api/v1/spot-checks/\(id)", template: "/api/v1/spot-checks/{spotCheckID}")
            let code = detail.samples[0].code
            let (recorded, _, _) = try await api.call(.POST, "/api/v1/spot-checks/\(id)/samples/\(code)", template: "/api/v1/spot-checks/{spotCheckID}/samples/{code}",
                                                      json: #"{"outcome": "real", "checker": "林核查", "visitedOn": "2012-12-18", "notes": "走访"}"#)
            #expect(recorded == .ok)
            let (badSeed, message, _) = try await api.call(.POST, "/api/v1/spot-checks", template: "/api/v1/spot-checks",
                                                           json: body.replacingOccurrences(of: #""99""#, with: #""九十九""#))
            #expect(badSeed == .badRequest && errorMessage(message).contains("随机种子"))
            let (_, reportData, _) = try await api.call(.GET, "/api/v1/spot-checks/\(id)/report", template: "/api/v1/spot-checks/{spotCheckID}/report")
            struct Report: Decodable {
                struct Line: Decodable { var checked: Int; var real: Int }
                var total: Line
            }
            let report = try decode(Report.self, reportData)
            #expect(report.total.checked == 1 && report.total.real == 1)
            // 晋江's verifier may not draw over the city.
            let (cityStatus, _, _) = try await api.call(.POST, "/api/v1/spot-checks", template: "/api/v1/spot-checks",
                                                        json: body.replacingOccurrences(of: #""350582""#, with: #""3505""#))
            #expect(cityStatus == .notFound)
        }
    }
}
