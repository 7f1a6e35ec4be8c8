import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

struct OrganizationDetailJSON: Decodable {
    struct Organization: Decodable {
        var code: String
        var name: String
        var townshipName: String
        var stage: String
        var version: Int
        var memberCount: Int?
        var foundedOn: String?
    }
    struct Timeline: Decodable {
        var to: String
        var reason: String?
    }
    var organization: Organization
    var timeline: [Timeline]
    var warnings: [String]
}

@Suite struct LedgerWebTests {
    @Test(arguments: TestDatabase.all)
    func apiCreatesEditsAndMovesOrganizationsAsDocumented(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let reporter = try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")])
            let api = try await APIClient.make(app, as: reporter)
            let (created, body, headers) = try await api.call(.POST, "/api/v1/organizations", template: "/api/v1/organizations", json: """
                {"townshipCode": "350582101", "name": "安海镇鞋业商会团支部", "orgType": "团支部", "unitCategory": "非公企业",
                 "buildMode": "行业", "stage": "筹建", "preparationApprovedOn": "2012/10/20", "memberCount": 2, "dualManagement": false}
                """)
            #expect(created == .created, "\(String(decoding: body, as: UTF8.self))")
            let detail = try decode(OrganizationDetailJSON.self, body)
            #expect(detail.organization.code == "350582101-0001")
            #expect(headers.first(name: .location) == "/api/v1/organizations/350582101-0001")
            #expect(detail.warnings == ["团支部团员数为 2，少于 3 人"])

            // Outside the reporter's township: not found, and nothing written.
            let (outside, _, _) = try await api.call(.POST, "/api/v1/organizations", template: "/api/v1/organizations",
                                                     json: #"{"townshipCode": "350583101", "name": "仑苍团支部", "orgType": "团支部"}"#)
            #expect(outside == .notFound)

            let (patched, patchedBody, _) = try await api.call(.PATCH, "/api/v1/organizations/350582101-0001",
                template: "/api/v1/organizations/{code}", json: #"{"version": 1, "memberCount": "１２"}"#)
            #expect(patched == .ok)
            #expect(try decode(OrganizationDetailJSON.self, patchedBody).organization.memberCount == 12)
            let (stale, staleBody, _) = try await api.call(.PATCH, "/api/v1/organizations/350582101-0001",
                template: "/api/v1/organizations/{code}", json: #"{"version": 1, "notes": "晚了一步"}"#)
            #expect(stale == .conflict)
            #expect(errorMessage(staleBody).contains("已被他人修改"))

            let (founded, foundedBody, _) = try await api.call(.POST, "/api/v1/organizations/350582101-0001/stage",
                template: "/api/v1/organizations/{code}/stage", json: #"{"to": "已建立", "effectiveOn": "2012-11-05", "version": 2}"#)
            #expect(founded == .ok)
            let after = try decode(OrganizationDetailJSON.self, foundedBody)
            #expect(after.organization.stage == "founded")
            #expect(after.organization.foundedOn == "2012-11-05")
            #expect(after.timeline.map(\.to) == ["preparing", "founded"])

            let (listed, listBody, _) = try await api.call(.GET, "/api/v1/organizations?stage=founded", template: "/api/v1/organizations")
            #expect(listed == .ok)
            #expect(String(decoding: listBody, as: UTF8.self).contains("安海镇鞋业商会团支部"))
            try await api.call(.GET, "/api/v1/reference-values", template: "/api/v1/reference-values")

            // A system administrator extends the list; the new type is then accepted.
            let admin = try await BrowserSession.signIn(app, try await makeTestUser(app, "admin"))
            #expect(try await admin.post("/admin/reference", ["kind": "org_type", "value": "团小组"]).status == .seeOther)
            let duplicate = try await admin.post("/admin/reference", ["kind": "org_type", "value": "团小组"])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.body.contains("组织类型：已有「团小组」"))
            let (withNewType, _, _) = try await api.call(.POST, "/api/v1/organizations", template: "/api/v1/organizations",
                json: #"{"townshipCode": "350582101", "name": "安海镇青年读书会团小组", "orgType": "团小组", "unitCategory": "青年自组织"}"#)
            #expect(withNewType == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func apiImportPreviewsThenCommitsAllOrNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let api = try await APIClient.make(app, as: try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let csv = "县（市、区）,乡镇（街道）,团组织名称,组织类型,单位类别,建设阶段\n晋江市,安海,安海中学团支部,团支部,学校,筹建\n南安市,仑苍镇,仑苍团支部,团支部,学校,筹建\n"
            let (previewed, previewBody, _) = try await api.call(.POST, "/api/v1/ledger-imports", template: "/api/v1/ledger-imports", json: csv)
            #expect(previewed == .ok)
            let text = String(decoding: previewBody, as: UTF8.self)
            #expect(text.contains("县（市、区）「南安市」不在您的管理范围内或不存在"))
            let (refused, refusedBody, _) = try await api.call(.POST, "/api/v1/ledger-imports?commit=true", template: "/api/v1/ledger-imports", json: csv)
            #expect(refused == .badRequest)
            #expect(errorMessage(refusedBody).hasPrefix("导入未执行：有 1 行被退回"))
            #expect(try await LedgerQuery.count(LedgerFilter(), cap: 10, on: app.db) == 0)
            let clean = "县（市、区）,乡镇（街道）,团组织名称,组织类型,单位类别,建设阶段\n晋江市,安海,安海中学团支部,团支部,学校,筹建\n"
            let (committed, _, _) = try await api.call(.POST, "/api/v1/ledger-imports?commit=true", template: "/api/v1/ledger-imports", json: clean)
            #expect(committed == .created)
            #expect(try await LedgerQuery.count(LedgerFilter(), cap: 10, on: app.db) == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func cadreFillsTheTemplateImportsItAndSeesTheTimeline(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let template = try await browser.get("/ledger/template.csv")
            #expect(template.status == .ok)
            let header = template.body.split(separator: "\r\n").first.map(String.init) ?? ""
            #expect(header.hasPrefix("\u{FEFF}组织编码,县（市、区）,乡镇（街道）,团组织名称,组织类型,单位类别,建团方式,覆盖单位,建设阶段"))

            let filled = header + "\r\n,晋江市,安海镇,安海镇新星电子有限公司团支部,团支部,非公企业,单独建团,,已建立,2012-10-20,2012年11月5日,,黄丽,13905951111,,,８,40,否,,新建,,\r\n"
            let boundary = "----taizhang"
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"安海.csv\"\r\nContent-Type: text/csv\r\n\r\n\(filled)\r\n--\(boundary)--\r\n"
            var previewPage = ""
            try await app.testing().test(.POST, "/ledger/import", beforeRequest: { req in
                req.headers.cookie = ["taizhang_session": .init(string: browser.cookie)]
                req.headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
                req.body = ByteBuffer(string: multipart)
            }, afterResponse: { res async throws in
                #expect(res.status == .ok)
                previewPage = res.body.string
            })
            #expect(previewPage.contains("共 1 行：新增 1，更新 0，无变化 0，退回 0"))
            let commitPath = try #require(previewPage.range(of: "/ledger/import/").map { range in
                String(previewPage[range.lowerBound...].prefix(while: { $0 != "\"" }))
            })
            let committed = try await browser.post(commitPath, [:])
            #expect(committed.status == .ok)
            #expect(committed.body.contains("已导入 安海.csv"))
            #expect(try await browser.post(commitPath, [:]).status == .conflict)

            let ledger = try await browser.get("/ledger?q=%E6%96%B0%E6%98%9F")
            #expect(ledger.body.contains("安海镇新星电子有限公司团支部"))
            let code = try #require(ledger.body.range(of: "/organizations/350582101-").map {
                String(ledger.body[$0.lowerBound...].dropFirst("/organizations/".count).prefix(14))
            })
            let page = try await browser.get("/organizations/\(code)")
            #expect(page.status == .ok)
            #expect(page.body.contains("建设历程"))
            #expect(page.body.contains("登记为「已建立」"))
            #expect(page.body.contains("导入 安海.csv 第 2 行"))
            let version = try #require(page.body.range(of: "name=\"version\" value=\"").map {
                String(page.body[$0.upperBound...].prefix(while: { $0 != "\"" }))
            })
            let dissolved = try await browser.post("/organizations/\(code)/stage", ["to": "dissolved", "effectiveOn": "2012-12-01", "version": version])
            #expect(dissolved.status == .badRequest)
            #expect(dissolved.body.contains("撤销须写明原因"))
            // The refused form comes back as the cadre filled it.
            #expect(dissolved.body.contains("<option value=\"dissolved\" selected>"))
            #expect(dissolved.body.contains("name=\"effectiveOn\" value=\"2012-12-01\""))
            // …and the refusal is in the county's own audit trail.
            let trail = try await browser.get("/audit?action=request.refused")
            #expect(trail.body.contains("撤销须写明原因"))

            // The county next door sees none of it.
            let nanan = try await BrowserSession.signIn(app, try await makeTestUser(app, "nanan", grants: [(.countyAdmin, "350583")]))
            #expect(try await nanan.get("/organizations/\(code)").status == .notFound)
            #expect(!(try await nanan.get("/ledger?q=%E6%96%B0%E6%98%9F").body.contains("新星电子")))
            let export = try await nanan.get("/ledger/export.csv")
            #expect(!export.body.contains("新星电子"))
            #expect(export.body.contains("南安市"))
        }
    }
}
