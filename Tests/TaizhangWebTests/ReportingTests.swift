import FluentKit
import SQLKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting
import ZIPFoundation

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

/// An instant on the Asia/Shanghai wall clock.
private func shanghai(_ text: String, _ hour: Int, _ minute: Int, _ second: Int) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
    let d = day(text)
    return calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: hour, minute: minute, second: second))!
}

private let narrative = ReportNarrative(workProgress: "走访企业 6 家", problems: "部分企业团员少", nextSteps: "推动筹建")

/// 泉州 with a campaign split equally down to the townships, daily/weekly/half-month reports from 11-15,
/// and a few organizations founded in 晋江.
private func setUp(_ app: Application) async throws -> Campaign {
    _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
    let campaign = try await CampaignStore.create(CampaignDraft(name: "泉州建团", regionCode: "3505", start: day("2012-10-15"),
                                                                deadline: day("2012-12-15"), target: 1750), by: testActor, on: app.db)
    try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .equal, cascade: true), by: testActor, on: app.db)
    try await ReportStore.setSchedule(.standard(startingOn: day("2012-11-15")), for: campaign, by: testActor, on: app.db)
    for (index, township) in ["350582101", "350582102", "350582103"].enumerated() {
        var fields = OrganizationFields(name: "测试团支部\(index)", townshipCode: township, orgType: "团支部", unitCategory: "非公企业",
                                        buildMode: "单独建团", stage: .founded, preparationApprovedOn: day("2012-11-01"),
                                        foundedOn: day("2012-12-0\(index + 1)"), memberCount: 5)
        fields.youthCount = 10
        _ = try await OrganizationStore.create(fields, by: testActor, on: app.db)
    }
    return try await CampaignStore.require(campaign.id, on: app.db)
}

@Suite struct ReportingTests {
    @Test(arguments: TestDatabase.all)
    func aDayPlayedOutOnTimeLateAndMissingToTheSecond(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await setUp(app)
            let schedule = try await ReportStore.schedule(campaign, on: app.db)
            let period = try schedule.period(key: "daily:2012-12-03")
            let area = { (code: String) async throws -> CampaignArea in try #require(try await CampaignStore.area(code, on: app.db)) }
            let early = try await ReportStore.submit(campaign, area: try await area("350582101"), period: period, narrative: narrative,
                                                     at: shanghai("2012-12-03", 16, 59, 59), by: testActor, on: app.db)
            let exact = try await ReportStore.submit(campaign, area: try await area("350582102"), period: period, narrative: narrative,
                                                     at: shanghai("2012-12-03", 17, 0, 0), by: testActor, on: app.db)
            let late = try await ReportStore.submit(campaign, area: try await area("350582103"), period: period, narrative: narrative,
                                                    at: shanghai("2012-12-03", 17, 0, 1), by: testActor, on: app.db)
            #expect(early.timeliness == .onTime)
            #expect(exact.timeliness == .onTime)
            #expect(late.timeliness == .late)
            #expect(early.figures.counted == 1 && early.figures.newInPeriod == 0)
            // An amendment keeps the first and its timeliness.
            let amended = try await ReportStore.submit(campaign, area: try await area("350582101"), period: period,
                                                       narrative: ReportNarrative(workProgress: "更正：走访企业 7 家", problems: "", nextSteps: ""),
                                                       at: shanghai("2012-12-04", 9, 0, 0), by: testActor, on: app.db)
            #expect(amended.revision == 2 && amended.timeliness == .onTime)
            let all = try await ReportStore.reports(campaign.id, periodKey: period.key, codes: ["350582101"], on: app.db)["350582101"]
            #expect(all?.map(\.workProgress) == ["走访企业 6 家", "更正：走访企业 7 家"])
            // A period that has not closed, and one outside the campaign.
            let open = await #expect(throws: Refusal.self) {
                try await ReportStore.submit(campaign, area: try await area("350582104"), period: try schedule.period(key: "daily:2012-12-05"),
                                             narrative: narrative, at: shanghai("2012-12-04", 23, 59, 59), by: testActor, on: app.db)
            }
            #expect(open?.message.contains("尚未结束") == true)
            await #expect(throws: Refusal.self) {
                try await ReportStore.submit(campaign, area: try await area("350582104"), period: try schedule.period(key: "daily:2013-01-05"),
                                             narrative: narrative, at: shanghai("2013-01-06", 9, 0, 0), by: testActor, on: app.db)
            }
            // The county sees who reported, who was late and who did not.
            let county = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let page = try await county.get("/campaigns/\(campaign.id)/reports?period=daily:2012-12-03")
            #expect(page.status == .ok)
            #expect(page.body.contains("安海镇") && page.body.contains("按时报送") && page.body.contains("逾期报送") && page.body.contains("未报送"))
            #expect(page.body.contains("2012-12-03 17:00:01"))
            // A township reporter reports through the page; now (2026) is long after the due time.
            let reporter = try await BrowserSession.signIn(app, try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582104")]))
            let submitted = try await reporter.post("/campaigns/\(campaign.id)/reports", ["area": "350582104", "period": "weekly:2012-11-26",
                                                                                          "workProgress": "新建 2 个", "problems": "", "nextSteps": ""])
            #expect(submitted.status == .ok)
            #expect(submitted.body.contains("逾期"))
            let empty = try await reporter.post("/campaigns/\(campaign.id)/reports", ["area": "350582104", "period": "weekly:2012-11-26",
                                                                                      "workProgress": "  "])
            #expect(empty.status == .badRequest)
            #expect(empty.body.contains("工作进展：不能为空"))
            let elsewhere = try await reporter.post("/campaigns/\(campaign.id)/reports", ["area": "350583101", "period": "weekly:2012-11-26",
                                                                                          "workProgress": "越权"])
            #expect(elsewhere.status == .notFound)
            // The city's weekly review is kept.
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            let reviewed = try await city.post("/campaigns/\(campaign.id)/reviews", ["period": "weekly:2012-11-26", "county": "350582",
                                                                                    "score": "92", "comment": "进度较快"])
            #expect(reviewed.status == .ok)
            #expect(try await ReportStore.reviews(campaign.id, periodKey: "weekly:2012-11-26", on: app.db)["350582"]?.score == 92)
            let badScore = try await city.post("/campaigns/\(campaign.id)/reviews", ["period": "weekly:2012-11-26", "county": "350582", "score": "120"])
            #expect(badScore.body.contains("评分：应在 0 到 100 之间"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func anIssuedBulletinNeverChangesAndDownloadsAsWordAndExcel(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await setUp(app)
            let schedule = try await ReportStore.schedule(campaign, on: app.db)
            let period = try schedule.period(key: "daily:2012-12-03")
            let notClosed = await #expect(throws: Refusal.self) {
                try await BulletinStore.issue(campaign, .init(kind: .daily, period: period, issuingBody: "", text: ""),
                                              at: shanghai("2012-12-02", 18, 0, 0), by: testActor, on: app.db)
            }
            #expect(notClosed?.message.contains("尚未结束") == true)
            let noData = await #expect(throws: Refusal.self) {
                try await BulletinStore.issue(campaign, .init(kind: .daily, period: try schedule.period(key: "daily:2012-10-01"), issuingBody: "", text: ""),
                                              at: shanghai("2012-12-02", 18, 0, 0), by: testActor, on: app.db)
            }
            #expect(noData?.message.contains("没有数据") == true)
            let bulletin = try await BulletinStore.issue(campaign, .init(kind: .daily, period: period, issuingBody: "", text: "请各县抓紧。\n务必按时报送。"),
                                                         at: shanghai("2012-12-03", 18, 0, 0), by: testActor, on: app.db)
            #expect(bulletin.number == 1)
            #expect(bulletin.content.total.counted == 3)
            #expect(bulletin.content.rows.first { $0.name == "晋江市" }?.counted == 3)
            #expect(bulletin.content.notReported.count == 12)
            // Later ledger edits change what a new bulletin would say, never the issued one.
            var fields = OrganizationFields(name: "后补团支部", townshipCode: "350582105", orgType: "团支部", unitCategory: "学校", buildMode: "单独建团",
                                            stage: .founded, preparationApprovedOn: day("2012-11-01"), foundedOn: day("2012-12-02"), memberCount: 4)
            fields.youthCount = 9
            _ = try await OrganizationStore.create(fields, by: testActor, on: app.db)
            let stored = try await BulletinStore.find(campaign.id, id: bulletin.id, on: app.db)
            #expect(stored.content == bulletin.content)
            let again = try await BulletinStore.compose(campaign, .init(kind: .daily, period: period, issuingBody: "", text: ""), number: 2,
                                                        at: shanghai("2012-12-04", 9, 0, 0), on: app.db)
            #expect(again.total.counted == 4)

            let session = try await BrowserSession.signIn(app, try await makeTestUser(app, "viewer", grants: [(.leaderViewer, "3505")]))
            let page = try await session.get("/campaigns/\(campaign.id)/bulletins/\(bulletin.id)")
            #expect(page.body.contains("第1期") && page.body.contains("共青团泉州市委员会") && page.body.contains("已建立 3 个"))
            #expect(page.body.contains("务必按时报送"))
            for (file, part, text) in [("bulletin.docx", "word/document.xml", "第1期"), ("bulletin.xlsx", "xl/worksheets/sheet1.xml", "晋江市")] {
                var data = Data()
                try await app.testing().test(.GET, "/campaigns/\(campaign.id)/bulletins/\(bulletin.id)/\(file)", beforeRequest: { req in
                    req.headers.cookie = ["taizhang_session": .init(string: session.cookie)]
                }, afterResponse: { res async throws in
                    #expect(res.status == .ok)
                    data = Data(buffer: res.body)
                })
                let archive = try Archive(data: data, accessMode: .read)
                let entry = try #require(archive[part], "\(file) lacks \(part)")
                var xml = Data()
                _ = try archive.extract(entry) { xml.append($0) }
                #expect(String(decoding: xml, as: UTF8.self).contains(text), "\(file)")
            }
            var rows: [[String]] = []
            var xlsx = Data()
            try await app.testing().test(.GET, "/campaigns/\(campaign.id)/bulletins/\(bulletin.id)/bulletin.xlsx", beforeRequest: { req in
                req.headers.cookie = ["taizhang_session": .init(string: session.cookie)]
            }, afterResponse: { res async throws in xlsx = Data(buffer: res.body) })
            try TabularFileReader(data: xlsx).forEachRow { _, cells in rows.append(cells) }
            #expect(rows.contains { $0.count > 3 && $0[1] == "晋江市" && $0[3] == "3" })

            let api = try await APIClient.make(app, as: try await makeTestUser(app, "apiviewer", grants: [(.leaderViewer, "3505")]))
            let (status, _, _) = try await api.call(.GET, "/api/v1/campaigns/\(campaign.id)/bulletins/\(bulletin.id)",
                                                    template: "/api/v1/campaigns/{campaignID}/bulletins/{bulletinID}")
            #expect(status == .ok)
            try await api.call(.GET, "/api/v1/campaigns/\(campaign.id)/bulletins", template: "/api/v1/campaigns/{campaignID}/bulletins")
        }
    }
    @Test(arguments: TestDatabase.all)
    func aBulletinSaysHowManyOrganizationsSpotChecksFoundNotReal(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await setUp(app)
            let schedule = try await ReportStore.schedule(campaign, on: app.db)
            let codes = try await app.db.sql.select().column("code").from("organizations").all().map { try $0.decode(column: "code", as: String.self) }.sorted()
            #expect(codes.count == 3)
            // One found 不属实 on 12-03: not in the 12-02 bulletin, named in the 12-03 one and taken out of its figures.
            try await writeTransaction(on: app.db) { db in
                try await OrganizationReview.refute(codes: [codes[0]], on: day("2012-12-03"), by: testActor, db: db)
            }
            let before = try await BulletinStore.compose(campaign, .init(kind: .daily, period: try schedule.period(key: "daily:2012-12-02"), issuingBody: "", text: ""),
                                                         number: 1, at: shanghai("2012-12-04", 9, 0, 0), on: app.db)
            #expect(before.refuted == [])
            let bulletin = try await BulletinStore.issue(campaign, .init(kind: .daily, period: try schedule.period(key: "daily:2012-12-03"), issuingBody: "", text: ""),
                                                         at: shanghai("2012-12-04", 9, 0, 0), by: testActor, on: app.db)
            #expect(bulletin.content.refuted == [.init(county: "晋江市", count: 1)])
            #expect(bulletin.content.total.counted == 2)
            let line = "经数据抽查实地核实不属实的已建立团组织共 1 个（晋江市 1 个），已从本期各项数字中核减。"
            let session = try await BrowserSession.signIn(app, try await makeTestUser(app, "viewer", grants: [(.leaderViewer, "3505")]))
            let page = try await session.get("/campaigns/\(campaign.id)/bulletins/\(bulletin.id)")
            #expect(page.body.contains(line))
            for (file, part) in [("bulletin.docx", "word/document.xml"), ("bulletin.xlsx", "xl/sharedStrings.xml")] {
                var data = Data()
                try await app.testing().test(.GET, "/campaigns/\(campaign.id)/bulletins/\(bulletin.id)/\(file)", beforeRequest: { req in
                    req.headers.cookie = ["taizhang_session": .init(string: session.cookie)]
                }, afterResponse: { res async throws in data = Data(buffer: res.body) })
                let archive = try Archive(data: data, accessMode: .read)
                var xml = Data()
                for entry in archive where entry.path.hasPrefix(part.components(separatedBy: "/")[0]) { _ = try archive.extract(entry) { xml.append($0) } }
                #expect(String(decoding: xml, as: UTF8.self).contains(line), "\(file)")
            }
        }
    }
}
