import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// What a walk through the demo in Chromium found (issue 14), each at the level where it belongs.
@Suite struct WalkthroughDefectTests {
    private static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    /// 泉州 with a campaign split equally down to the townships and the standard reporting rhythm.
    private static func campaign(_ app: Application) async throws -> Campaign {
        _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
        let campaign = try await CampaignStore.create(CampaignDraft(name: "泉州建团", regionCode: "3505", start: day("2012-10-15"),
                                                                    deadline: day("2012-12-15"), target: 1750), by: testActor, on: app.db)
        try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .equal, cascade: true), by: testActor, on: app.db)
        try await ReportStore.setSchedule(.standard(startingOn: day("2012-11-15")), for: campaign, by: testActor, on: app.db)
        return try await CampaignStore.require(campaign.id, on: app.db)
    }

    private static let header = "组织编码,县（市、区）,乡镇（街道）,团组织名称,组织类型,单位类别,建团方式,覆盖单位,建设阶段,筹建批复日期,成立日期"

    @Test(arguments: TestDatabase.all)
    func anUploadLargerThanOneSocketReadPassesTheFormCheckAndImports(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            var csv = Self.header + "\r\n"
            for index in 1...300 {
                csv += ",晋江市,安海镇,安海镇第\(index)号鞋服有限公司团支部,团支部,非公企业,单独建团,,筹建,2012-11-\(10 + index % 10),\r\n"
            }
            let content = Data(csv.utf8)
            #expect(content.count > 20_000, "the body must take several reads of the socket")

            // Without the form's token the upload is refused whatever its size, and nothing is kept.
            let forged = try await browser.upload("/ledger/import", fileName: "安海.csv", content: content, fields: ["_csrf": "forged"])
            #expect(forged.status == .forbidden)
            #expect(forged.body.contains("CSRF 校验失败"))

            let preview = try await browser.upload("/ledger/import", fileName: "安海.csv", content: content)
            #expect(preview.status == .ok, "\(preview.body.prefix(400))")
            #expect(preview.body.contains("共 300 行：新增 300，更新 0，无变化 0，退回 0"))
            #expect(try await LedgerQuery.count(LedgerFilter(), cap: 1000, on: app.db) == 0)
            let commitPath = try #require(preview.body.range(of: "/ledger/import/").map { range in
                String(preview.body[range.lowerBound...].prefix(while: { $0 != "\"" }))
            })
            let committed = try await browser.post(commitPath, [:])
            #expect(committed.status == .ok)
            #expect(try await LedgerQuery.count(LedgerFilter(), cap: 1000, on: app.db) == 300)

            // A file with bad rows: every one is named, and nothing is written.
            var bad = Self.header + "\r\n"
            for index in 1...60 {
                switch index {
                case 7: bad += ",晋江市,不存在镇,某团支部,团支部,非公企业,单独建团,,筹建,2012-11-10,\r\n"
                case 19: bad += ",晋江市,安海镇,,团支部,非公企业,单独建团,,筹建,2012-11-10,\r\n"
                case 42: bad += ",晋江市,安海镇,日期错团支部,团支部,非公企业,单独建团,,筹建,2012-13-45,\r\n"
                default: bad += ",晋江市,磁灶镇,磁灶镇第\(index)号陶瓷公司团支部,团支部,非公企业,单独建团,,筹建,2012-11-10,\r\n"
                }
            }
            let rejected = try await browser.upload("/ledger/import", fileName: "磁灶.csv", content: Data(bad.utf8))
            #expect(rejected.status == .ok)
            #expect(rejected.body.contains("共 60 行：新增 57，更新 0，无变化 0，退回 3"))
            for row in [8, 20, 43] {  // the header is row 1
                #expect(rejected.body.contains(">\(row)<"), "row \(row) is named")
            }
            #expect(try await LedgerQuery.count(LedgerFilter(), cap: 1000, on: app.db) == 300)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPeriodIsIssuedOnceUntilItsBulletinIsWithdrawnWithAReason(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await Self.campaign(app)
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            let form = ["kind": "daily", "period": "daily:2012-11-20", "issuingBody": "", "text": ""]
            var previewForm = form
            previewForm["action"] = "preview"
            let preview = try await city.post("/campaigns/\(campaign.id)/bulletins", previewForm)
            #expect(preview.status == .ok)
            #expect(preview.body.contains("第1期"), "the preview shows the number it will get")
            var issueForm = form
            issueForm["action"] = "issue"
            let issued = try await city.post("/campaigns/\(campaign.id)/bulletins", issueForm)
            #expect(issued.status == .seeOther)
            let again = try await city.post("/campaigns/\(campaign.id)/bulletins", issueForm)
            #expect(again.status == .conflict)
            #expect(again.body.contains("已签发（第1期）"))
            var bulletins = try await BulletinStore.list(campaign.id, on: app.db)
            #expect(bulletins.count == 1)
            let first = try #require(bulletins.first)

            let noReason = try await city.post("/campaigns/\(campaign.id)/bulletins/\(first.id)/withdraw", ["reason": "  "])
            #expect(noReason.status == .badRequest)
            #expect(noReason.body.contains("作废原因：不能为空"))
            #expect(try await BulletinStore.find(campaign.id, id: first.id, on: app.db).withdrawal == nil)

            let county = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            #expect(try await county.post("/campaigns/\(campaign.id)/bulletins/\(first.id)/withdraw", ["reason": "越权"]).status == .forbidden)

            let withdrawn = try await city.post("/campaigns/\(campaign.id)/bulletins/\(first.id)/withdraw", ["reason": "数据有误，重新统计"])
            #expect(withdrawn.status == .seeOther)
            let page = try await city.get("/campaigns/\(campaign.id)/bulletins/\(first.id)")
            #expect(page.body.contains("本期已作废") && page.body.contains("数据有误，重新统计"))
            #expect(try await city.post("/campaigns/\(campaign.id)/bulletins/\(first.id)/withdraw", ["reason": "再作废"]).status == .conflict)

            #expect(try await city.post("/campaigns/\(campaign.id)/bulletins", issueForm).status == .seeOther)
            bulletins = try await BulletinStore.list(campaign.id, on: app.db)
            #expect(bulletins.map(\.number) == [1, 2])
            #expect(bulletins.map { $0.withdrawal != nil } == [true, false])
            let list = try await city.get("/campaigns/\(campaign.id)/bulletins")
            #expect(list.body.contains("已作废：数据有误，重新统计"))
            #expect(list.body.contains("日通报"))
            let audit = try await AuditLog.search(.init(action: "bulletin.withdraw"), scope: .everywhere, limit: 10, on: app.db)
            #expect(audit.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func savingAnAllocationWritesExactlyThePreviewAndKeepsUnitsLeftOut(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await Self.campaign(app)
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            let kinmen = "350527"  // 金门县
            let before = try await CampaignStore.targets(campaign.id, codes: [kinmen], on: app.db)[kinmen]
            #expect((before ?? 0) > 0)
            var form = ["parentCode": "3505", "method": "weighted", "floorPerTownship": "5", "cascade": "1",
                        "reason": "按权重，金门不参与", "exclude_\(kinmen)": "1", "action": "preview"]
            let preview = try await city.post("/campaigns/\(campaign.id)/allocation", form)
            #expect(preview.status == .ok)
            #expect(preview.body.contains(#"name="cascade" value="1" checked"#), "the cascade box stays ticked")
            #expect(preview.body.contains(#"value="按权重，金门不参与""#), "the reason stays")
            #expect(preview.body.contains(#"name="exclude_\#(kinmen)" value="1" checked"#))
            let digest = try #require(preview.body.range(of: #"name="planDigest" value=""#).map { range in
                String(preview.body[range.upperBound...].prefix(while: { $0 != "\"" }))
            })

            // A form changed after the preview is not what was previewed: refused, nothing saved.
            var changed = form
            changed["exclude_\(kinmen)"] = nil
            changed["action"] = "apply"
            changed["planDigest"] = digest
            let refused = try await city.post("/campaigns/\(campaign.id)/allocation", changed)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("与预览不一致"))
            #expect(try await CampaignStore.targets(campaign.id, codes: [kinmen], on: app.db)[kinmen] == before)

            form["action"] = "apply"
            form["planDigest"] = digest
            #expect(try await city.post("/campaigns/\(campaign.id)/allocation", form).status == .seeOther)
            let counties = try await CampaignStore.children(of: try #require(try await CampaignStore.area("3505", on: app.db)), on: app.db)
            let targets = try await CampaignStore.targets(campaign.id, codes: counties.map(\.code), on: app.db)
            #expect(targets[kinmen] == 0)
            #expect(targets.values.reduce(0, +) == 1750)
            for county in counties {
                let townships = try await CampaignStore.children(of: county, on: app.db)
                guard !townships.isEmpty else { continue }
                let below = try await CampaignStore.targets(campaign.id, codes: townships.map(\.code), on: app.db)
                #expect(below.values.reduce(0, +) == targets[county.code], "\(county.name): the townships add up to the county")
            }
            let changes = try await CampaignStore.changes(campaign.id, on: app.db)
            #expect(changes.contains { $0.divisionCode == "350582" && $0.reason == "按权重，金门不参与" })

            // The page remembers that 金门县 is left out of the next split.
            let page = try await city.get("/campaigns/\(campaign.id)/targets")
            #expect(page.body.contains(#"name="exclude_\#(kinmen)" value="1" checked"#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func textIsStoredAsTypedAndAFoundedOrganizationWithNobodyIsQuestioned(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let admin = try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")])
            let api = try await APIClient.make(app, as: admin)
            let (created, body, _) = try await api.call(.POST, "/api/v1/organizations", template: "/api/v1/organizations", json: """
                {"townshipCode": "３５０５８２１０１", "name": "  恒达（晋江）鞋业团支部 ", "orgType": "团支部", "unitCategory": "非公企业",
                 "buildMode": "单独建团", "stage": "已建立", "foundedOn": "2012-11-05", "notes": "已核实，5号行；负责人：王（代）",
                 "coveredUnits": "恒达（晋江）鞋业有限公司"}
                """)
            #expect(created == .created, "\(String(decoding: body, as: UTF8.self))")
            let detail = try decode(OrganizationDetailJSON.self, body)
            #expect(detail.organization.name == "恒达（晋江）鞋业团支部")
            #expect(detail.warnings.contains { $0.contains("没有填写书记") })
            let stored = try #require(try await OrganizationStore.find(detail.organization.code, on: app.db))
            #expect(stored.fields.name == "恒达（晋江）鞋业团支部")
            #expect(stored.fields.notes == "已核实，5号行；负责人：王（代）")
            #expect(stored.fields.coveredUnits.map(\.name) == ["恒达（晋江）鞋业有限公司"])

            let browser = try await BrowserSession.signIn(app, admin)
            let audit = try await browser.get("/audit")
            #expect(audit.body.contains("已核实，5号行；负责人：王（代）"))
            let page = try await browser.get("/organizations/\(detail.organization.code)")
            #expect(page.body.contains("没有填写书记"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func importedChangesAndBackdatedStagesReadInOrderOnTheOrganizationPage(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let admin = try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")])
            var fields = OrganizationFields(name: "安海镇青年创业协会", townshipCode: "350582101", orgType: "团支部", unitCategory: "青年自组织",
                                            buildMode: "社团建团", stage: .youthGroup)
            fields.secretaryName = "黄丽"
            fields.memberCount = 6
            let created = try await OrganizationStore.create(fields, by: testActor, on: app.db).record
            // Founded back in November, entered today: the registration still reads first.
            _ = try await OrganizationStore.changeStage(created.code, .init(to: .founded, effectiveOn: Self.day("2012-11-05"),
                                                                            foundedOn: Self.day("2012-11-05")),
                                                        expectedVersion: 1, by: testActor, on: app.db)
            let browser = try await BrowserSession.signIn(app, admin)
            var page = try await browser.get("/organizations/\(created.code)")
            let registered = try #require(page.body.range(of: "登记为「青年组织」"))
            let founded = try #require(page.body.range(of: "青年组织 → 已建立"))
            #expect(registered.lowerBound < founded.lowerBound)
            #expect(page.body.contains("登记时间"))
            #expect(page.body.contains(#"<option value="founded" selected>已建立（当前）</option>"#), "no backward move preselected")

            let csv = "组织编码,乡镇（街道）,团组织名称,组织类型,备注,团员数\r\n\(created.code),安海镇,安海镇青年创业协会,团支部,已核实，见走访记录,8\r\n"
            let preview = try await browser.upload("/ledger/import", fileName: "改.csv", content: Data(csv.utf8))
            #expect(preview.body.contains("共 1 行：新增 0，更新 1"))
            #expect(preview.body.contains("<td>团员数、备注</td>") || preview.body.contains("<td>备注、团员数</td>"), "the fields it changes are named")
            let commitPath = try #require(preview.body.range(of: "/ledger/import/").map { range in
                String(preview.body[range.lowerBound...].prefix(while: { $0 != "\"" }))
            })
            #expect(try await browser.post(commitPath, [:]).status == .ok)
            page = try await browser.get("/organizations/\(created.code)")
            #expect(page.body.contains("修改记录") && page.body.contains("导入更新"))
            #expect(page.body.contains("团员数、备注") || page.body.contains("备注、团员数"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTownshipReportersHomeSaysWhetherTodaysReportIsDue(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let today = CalendarDay.today()
            let campaign = try await CampaignStore.create(CampaignDraft(name: "当前建团", regionCode: "3505", start: today.adding(days: -10),
                                                                        deadline: today.adding(days: 30), target: 1750), by: testActor, on: app.db)
            try await CampaignStore.allocate(campaign.id, .init(parentCode: "3505", method: .equal, cascade: true), by: testActor, on: app.db)
            try await ReportStore.setSchedule(.standard(startingOn: today.adding(days: -5)), for: campaign, by: testActor, on: app.db)
            let reporter = try await BrowserSession.signIn(app, try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")]))
            var home = try await reporter.get("/")
            #expect(home.body.contains("今天（\(today.month)月\(today.day)日）的日报还没有报送"))
            #expect(home.body.contains("去报送"))
            let area = try #require(try await CampaignStore.area("350582101", on: app.db))
            let period = try await ReportStore.schedule(campaign, on: app.db).period(.daily, containing: today)
            _ = try await ReportStore.submit(try await CampaignStore.require(campaign.id, on: app.db), area: area, period: period,
                                             narrative: ReportNarrative(workProgress: "走访 3 家", problems: "无", nextSteps: "继续"),
                                             by: testActor, on: app.db)
            home = try await reporter.get("/")
            #expect(home.body.contains("今天的日报已于"))
            // The city's home carries no such notice: it does not report.
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            #expect(!(try await city.get("/")).body.contains("的日报还没有报送"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aHandedOutPasswordMustBeChangedBeforeAnythingElse(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let admin = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let created = try await admin.post("/admin/users", ["username": "cizao", "displayName": "磁灶填报员", "role": "township_reporter",
                                                                "divisionCode": "350582105"])
            #expect(created.status == .ok, "\(created.body.prefix(300))")
            let password = try #require(created.body.range(of: #"class="secret">"#).map { range in
                String(created.body[range.upperBound...].prefix(while: { $0 != "<" }))
            })
            let id = try #require(try await AccountStore.requireUser(named: "cizao", on: app.db).id)
            let newcomer = try await BrowserSession.signIn(app, TestUser(id: id, username: "cizao", password: password, token: ""))
            let home = try await newcomer.get("/")
            #expect(home.status == .seeOther && home.headers.first(name: .location) == "/account?initial=1")
            #expect(try await newcomer.get("/account").body.contains("您正在使用管理员生成的初始密码"))
            #expect(try await newcomer.post("/ledger", ["name": "未改密码时登记"]).status == .forbidden)
            let changed = try await newcomer.post("/account/password", ["currentPassword": password, "newPassword": "Cizao2012abc",
                                                                       "confirmPassword": "Cizao2012abc"])
            #expect(changed.status == .seeOther)
            let again = try await BrowserSession.signIn(app, TestUser(id: id, username: "cizao", password: "Cizao2012abc", token: ""))
            #expect(try await again.get("/").status == .ok)
            #expect(try await AccountStore.requireUser(named: "cizao", on: app.db).mustChangePassword == false)
        }
    }
}
