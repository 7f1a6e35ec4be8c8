import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

@Suite struct CommitteeAndTalentTests {
    @Test(arguments: TestDatabase.all)
    func townshipRecordsItsCommitteeAndNamesTalentsToOrganizations(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let browser = try await BrowserSession.signIn(app, try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")]))
            #expect(try await browser.post("/divisions/350582101/committee/members",
                                           ["name": "陈明", "position": "secretary", "sourceUnit": "镇政府", "fullTime": "1"]).status == .seeOther)
            #expect(try await browser.post("/divisions/350582101/committee/members",
                                           ["name": "王芳", "position": "member", "sourceUnit": "镇卫生院"]).status == .seeOther)
            let second = try await browser.post("/divisions/350582101/committee/members", ["name": "李强", "position": "书记"])
            #expect(second.status == .conflict)
            #expect(second.body.contains("已有书记"))

            var filter = LedgerFilter(scope: .within(try await DivisionQueries.require("350582101", on: app.db).path))
            filter.stages = [.founded, .preparing, .leagueLike, .youthGroup]
            let organization = try #require(try await LedgerQuery.page(filter, sort: .ledger, after: nil, limit: 1, on: app.db).records.first)
            let members = try await CommitteeStore.members(of: "350582101", on: app.db)
            #expect(members.map(\.position) == [.secretary, .member])
            let wang = try #require(members.first { $0.name == "王芳" })
            #expect(try await browser.post("/divisions/350582101/committee/links",
                                           ["memberID": wang.id.uuidString, "organizationCode": organization.code]).status == .seeOther)
            let page = try await browser.get("/divisions/350582101/committee")
            #expect(page.body.contains("陈明"))
            #expect(page.body.contains("专职"))
            #expect(page.body.contains(organization.fields.name))

            #expect(try await browser.post("/talents", ["townshipCode": "350582101", "name": "林青", "category": "大学生村官",
                                                          "phone": "13900000001"]).status == .seeOther)
            let talent = try #require(try await TalentStore.list(scope: .everywhere, category: .villageOfficial, on: app.db).first)
            let assigned = try await browser.post("/talents/\(talent.id.uuidString)/assignments",
                                                  ["organizationCode": organization.code, "role": "acting_secretary"])
            #expect(assigned.status == .seeOther)
            let updated = try await OrganizationStore.require(organization.code, on: app.db)
            #expect(updated.fields.actingSecretaryName == "林青")
            #expect(updated.version == organization.version + 1)
            #expect(try await browser.get("/talents").body.contains("代理书记·\(organization.fields.name)"))
            let organizationPage = try await browser.get("/organizations/\(organization.code)")
            #expect(organizationPage.body.contains("林青（人才库，"))
            #expect(organizationPage.body.contains("委员 王芳"))
            let audit = try await AuditLog.events(entityType: "organization", entityID: organization.code, on: app.db)
            #expect(audit.contains { $0.action == "talent.assign" })
            #expect(audit.contains { $0.action == "organization.update" && ($0.afterJSON ?? "").contains("林青") })

            // The same through the API, as documented.
            let api = try await APIClient.make(app, as: try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let (status, body, _) = try await api.call(.GET, "/api/v1/divisions/350582101/committee", template: "/api/v1/divisions/{code}/committee")
            #expect(status == .ok)
            #expect(String(decoding: body, as: UTF8.self).contains("王芳"))
            let (listed, talents, _) = try await api.call(.GET, "/api/v1/talents?category=%E5%A4%A7%E5%AD%A6%E7%94%9F%E6%9D%91%E5%AE%98",
                                                          template: "/api/v1/talents")
            #expect(listed == .ok)
            #expect(String(decoding: talents, as: UTF8.self).contains("林青"))

            // The next township over is out of reach.
            let refused = try await browser.post("/talents", ["townshipCode": "350582102", "name": "外镇", "category": "创业青年"])
            #expect(refused.status == .notFound)
        }
    }
}
