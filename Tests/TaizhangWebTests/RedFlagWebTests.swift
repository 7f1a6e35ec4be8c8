import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

/// The red-flag pages and API on the demo: the planted flags are listed with their sentences and
/// links, a verifier dismisses one with a reason (and is refused without one, on the record), a
/// township reporter may read but not dismiss, and the API answers as documented.
@Suite struct RedFlagWebTests {
    struct ListingJSON: Decodable {
        struct Flag: Decodable {
            var id: String
            var kind: String
            var sentence: String
            var organizationCodes: [String]
        }
        struct Dismissed: Decodable {
            var id: String
            var reason: String
            var stillRaised: Bool
        }
        var open: [Flag]
        var dismissed: [Dismissed]
    }

    @Test(arguments: TestDatabase.all)
    func theDemosPlantedFlagsAreListedAndAVerifierDismissesOne(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let verifier = try await BrowserSession.signIn(app, try await makeTestUser(app, "nanan-verifier", grants: [(.verifier, "350583")]))
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "city", grants: [(.cityAdmin, "3505")]))
            let page = try await city.get("/verification/red-flags/3505")
            #expect(page.status == .ok)
            #expect(page.body.contains("电话 13905958888 是 8 个团组织（分布在 8 个乡镇）的书记或代理书记电话（预警阈值 5 个）"))
            #expect(page.body.contains("浔中镇在活动截止日 2012-12-15 前 3 天（2012-12-13 至 2012-12-15）新录入 "))
            #expect(page.body.contains("有限责任公司 团支部"))
            #expect(page.body.contains("href=\"/verification/red-flags/350583\""))

            let api = try await APIClient.make(app, as: try await makeTestUser(app, "api-verifier", grants: [(.verifier, "350583")]))
            let (status, body, _) = try await api.call(.GET, "/api/v1/divisions/350583/red-flags", template: "/api/v1/divisions/{code}/red-flags")
            #expect(status == .ok)
            let listing = try decode(ListingJSON.self, body)
            #expect(listing.dismissed.isEmpty)
            let kinds = Dictionary(grouping: listing.open, by: \.kind).mapValues(\.count)
            #expect(kinds["near_duplicate_name"] == 2)
            #expect(kinds["duplicate_across_townships"] == 1)
            let duplicate = try #require(listing.open.first { $0.kind == "near_duplicate_name" && $0.sentence.contains("完全相同") })
            // Each record of a flag links to its organization page.
            let township = try await verifier.get("/verification/red-flags/350583119")
            for code in duplicate.organizationCodes { #expect(township.body.contains("href=\"/organizations/\(code)\"")) }

            // Without a reason: refused, nothing dismissed, the refusal on the record.
            let refused = try await verifier.post("/verification/red-flags/350583119/dismiss", ["flagID": duplicate.id, "reason": " "])
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("忽略理由：不能为空"))
            let refusals = try await AuditLog.events(entityType: "route", on: app.db)
            #expect(refusals.contains { $0.action == "request.refused" && $0.entityID == "POST /verification/red-flags/350583119/dismiss" })
            // A township reporter reads the page but may not dismiss.
            let reporter = try await BrowserSession.signIn(app, try await makeTestUser(app, "shuitou", grants: [(.townshipReporter, "350583119")]))
            #expect(try await reporter.get("/verification/red-flags/350583119").status == .ok)
            #expect(!(try await reporter.get("/verification/red-flags/350583119")).body.contains("确认忽略"))
            #expect(try await reporter.post("/verification/red-flags/350583119/dismiss", ["flagID": duplicate.id, "reason": "同一单位"]).status == .forbidden)
            // Outside one's subtree the division does not exist.
            #expect(try await verifier.get("/verification/red-flags/350582").status == .notFound)

            let done = try await verifier.post("/verification/red-flags/350583119/dismiss", ["flagID": duplicate.id, "reason": "两条是同一公司总部与分部，均已核实"])
            #expect(done.status == .seeOther)
            let after = try await verifier.get("/verification/red-flags/350583119")
            #expect(after.body.contains("两条是同一公司总部与分部，均已核实"))
            #expect(!after.body.contains("id=\"flag-\(duplicate.id)\""))
            #expect(after.body.contains("id=\"dismissed-\(duplicate.id)\""))
            let events = try await AuditLog.events(entityType: "red_flag", entityID: duplicate.id, on: app.db)
            #expect(events.map(\.action) == ["red_flag.dismiss"])

            // The API: a dismissal of another flag, then one of the same flag again (409).
            let near = try #require(listing.open.first { $0.kind == "near_duplicate_name" && $0.id != duplicate.id })
            let (created, _, _) = try await api.call(.POST, "/api/v1/divisions/350583/red-flags/dismissals",
                                                     template: "/api/v1/divisions/{code}/red-flags/dismissals",
                                                     json: #"{"flagId": "\#(near.id)", "reason": "水头恒安石材厂即该公司，名称不同而已"}"#)
            #expect(created == .created)
            let (again, againBody, _) = try await api.call(.POST, "/api/v1/divisions/350583/red-flags/dismissals",
                                                           template: "/api/v1/divisions/{code}/red-flags/dismissals",
                                                           json: #"{"flagId": "\#(near.id)", "reason": "再次"}"#)
            #expect(again == .conflict)
            #expect(errorMessage(againBody).contains("已于"))
            let (_, reread, _) = try await api.call(.GET, "/api/v1/divisions/350583/red-flags", template: "/api/v1/divisions/{code}/red-flags")
            #expect(Set(try decode(ListingJSON.self, reread).dismissed.map(\.id)) == [duplicate.id, near.id])
        }
    }

    @Test(arguments: TestDatabase.all)
    func theDemoRaisesOnlyThePlantedFlags(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let context = try await RedFlagStore.context(for: .within("35/3505/"), today: CalendarDay(year: 2012, month: 12, day: 31)!, on: app.db)
            let flags = try await RedFlagStore.flags(in: .within("35/3505/"), context, on: app.db)
            let kinds = Dictionary(grouping: flags, by: \.kind).mapValues(\.count)
            #expect(kinds == [.nearDuplicateName: 2, .duplicateAcrossTownships: 1, .sharedPhone: 1, .lateBurst: 1],
                    "\(flags.map(\.sentence).joined(separator: "\n"))")
        }
    }
}
