import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

private struct QueueJSON: Decodable {
    struct Item: Decodable {
        var code: String
        var reviewState: String
    }
    var level: String
    var state: String
    var total: Int
    var items: [Item]
}

private struct OutcomeJSON: Decodable {
    var count: Int
    var state: String
}

private struct SignOffJSON: Decodable {
    var id: Int
    var count: Int
    var codes: [String]
    var sha256: String
    var reopenReason: String?
}

/// The review through the API, as a county verifier, a city verifier and the township that
/// entered the records see it: the queue, four eyes, levels, scope, a sign-off and its lock.
@Suite struct ReviewWebTests {
    @Test(arguments: TestDatabase.all)
    func aRecordGoesFromTheTownshipThroughCountyAndCityToASignOffThatLocksIt(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let reporterUser = try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")])
            let reporter = try await APIClient.make(app, as: reporterUser)
            let county = try await APIClient.make(app, as: try await makeTestUser(app, "jinjiang", grants: [(.verifier, "350582")]))
            let otherCounty = try await APIClient.make(app, as: try await makeTestUser(app, "nanan", grants: [(.verifier, "350583")]))
            let city = try await APIClient.make(app, as: try await makeTestUser(app, "quanzhou", grants: [(.verifier, "3505")]))
            let countyAdmin = try await APIClient.make(app, as: try await makeTestUser(app, "jjadmin", grants: [(.countyAdmin, "350582")]))
            var codes: [String] = []
            for name in ["安海镇商会团支部", "安海镇青年志愿者协会团支部"] {
                let (status, body, _) = try await reporter.call(.POST, "/api/v1/organizations", template: "/api/v1/organizations", json: """
                    {"townshipCode": "350582101", "name": "\(name)", "orgType": "团支部", "unitCategory": "非公企业", "buildMode": "单独建团",
                     "stage": "founded", "preparationApprovedOn": "2012-10-20", "foundedOn": "2012-11-05", "memberCount": 5}
                    """)
                #expect(status == .created, "\(String(decoding: body, as: UTF8.self))")
                codes.append(try decode(OrganizationDetailJSON.self, body).organization.code)
            }
            let codesJSON = codes.map { "\"\($0)\"" }.joined(separator: ", ")

            let (queued, queueBody, _) = try await county.call(.GET, "/api/v1/review-queue", template: "/api/v1/review-queue")
            #expect(queued == .ok)
            let queue = try decode(QueueJSON.self, queueBody)
            #expect(queue.level == "county" && queue.state == "pending" && queue.total == 2 && queue.items.map(\.code) == codes)
            // Another county's verifier does not find them; the township cannot confirm at all.
            let (elsewhere, _, _) = try await otherCounty.call(.POST, "/api/v1/review-queue/confirmations",
                                                               template: "/api/v1/review-queue/confirmations", json: #"{"codes": [\#(codesJSON)]}"#)
            #expect(elsewhere == .notFound)
            let (township, _, _) = try await reporter.call(.POST, "/api/v1/review-queue/confirmations",
                                                           template: "/api/v1/review-queue/confirmations", json: #"{"codes": [\#(codesJSON)]}"#)
            #expect(township == .forbidden)
            // The city cannot skip the county.
            let (early, earlyBody, _) = try await city.call(.POST, "/api/v1/review-queue/confirmations",
                                                            template: "/api/v1/review-queue/confirmations", json: #"{"level": "city", "codes": [\#(codesJSON)]}"#)
            #expect(early == .conflict && errorMessage(earlyBody).contains("待县核实"))
            // A return without a reason changes nothing.
            let (noReason, noReasonBody, _) = try await countyAdmin.call(.POST, "/api/v1/review-queue/returns",
                                                                         template: "/api/v1/review-queue/returns", json: #"{"codes": [\#(codesJSON)]}"#)
            #expect(noReason == .badRequest && errorMessage(noReasonBody).contains("退回原因"))

            let (verified, verifiedBody, _) = try await county.call(.POST, "/api/v1/review-queue/confirmations",
                                                                    template: "/api/v1/review-queue/confirmations", json: #"{"codes": [\#(codesJSON)]}"#)
            #expect(verified == .ok)
            #expect(try decode(OutcomeJSON.self, verifiedBody).count == 2)
            let (confirmed, _, _) = try await city.call(.POST, "/api/v1/review-queue/confirmations",
                                                        template: "/api/v1/review-queue/confirmations", json: #"{"level": "city", "codes": [\#(codesJSON)]}"#)
            #expect(confirmed == .ok)
            // A county verifier may not sign off; the city does, and the records lock.
            let (countySign, _, _) = try await county.call(.POST, "/api/v1/sign-offs", template: "/api/v1/sign-offs",
                                                           json: #"{"county": "350582", "asOf": "\#(CalendarDay.today())"}"#)
            #expect(countySign == .forbidden)
            let (signed, signedBody, headers) = try await city.call(.POST, "/api/v1/sign-offs", template: "/api/v1/sign-offs",
                                                                    json: #"{"county": "350582", "asOf": "\#(CalendarDay.today())"}"#)
            #expect(signed == .created, "\(String(decoding: signedBody, as: UTF8.self))")
            let signOff = try decode(SignOffJSON.self, signedBody)
            #expect(signOff.count == 2 && signOff.codes == codes.sorted() && signOff.sha256 == SHA256.hex(codes.sorted().joined(separator: "\n")))
            #expect(headers.first(name: .location) == "/api/v1/sign-offs/\(signOff.id)")
            let (patched, patchedBody, _) = try await reporter.call(.PATCH, "/api/v1/organizations/\(codes[0])",
                                                                    template: "/api/v1/organizations/{code}", json: #"{"version": 1, "notes": "签字后想改"}"#)
            #expect(patched == .conflict && errorMessage(patchedBody).contains("签字确认锁定"))
            let (staged, _, _) = try await reporter.call(.POST, "/api/v1/organizations/\(codes[0])/stage", template: "/api/v1/organizations/{code}/stage",
                                                         json: #"{"version": 1, "to": "dissolved", "effectiveOn": "\#(CalendarDay.today())", "reason": "单位注销"}"#)
            #expect(staged == .conflict)
            #expect(try await OrganizationStore.require(codes[0], on: app.db).fields.notes == nil)

            let (badReopen, _, _) = try await city.call(.POST, "/api/v1/sign-offs/\(signOff.id)/reopen", template: "/api/v1/sign-offs/{signOffID}/reopen",
                                                        json: #"{"reason": " "}"#)
            #expect(badReopen == .badRequest)
            let (reopened, reopenedBody, _) = try await city.call(.POST, "/api/v1/sign-offs/\(signOff.id)/reopen",
                                                                  template: "/api/v1/sign-offs/{signOffID}/reopen", json: #"{"reason": "补正书记信息"}"#)
            #expect(reopened == .ok)
            #expect(try decode(SignOffJSON.self, reopenedBody).reopenReason == "补正书记信息")
            let (after, afterBody, _) = try await reporter.call(.PATCH, "/api/v1/organizations/\(codes[0])",
                                                                template: "/api/v1/organizations/{code}", json: #"{"version": 1, "notes": "签字后想改"}"#)
            #expect(after == .ok, "\(String(decoding: afterBody, as: UTF8.self))")

            // The city returns one; the township finds it in its list by review state, with the reason.
            let (sentBack, _, _) = try await city.call(.POST, "/api/v1/review-queue/returns", template: "/api/v1/review-queue/returns",
                                                       json: #"{"level": "city", "codes": ["\#(codes[1])"], "reason": "批复文号缺失"}"#)
            #expect(sentBack == .ok)
            let (listed, listedBody, _) = try await reporter.call(.GET, "/api/v1/organizations?review=returned", template: "/api/v1/organizations")
            #expect(listed == .ok)
            let returnedItems = try JSONSerialization.jsonObject(with: listedBody) as? [String: Any]
            let items = returnedItems?["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["code"] as? String } == [codes[1]] && items.first?["returnReason"] as? String == "批复文号缺失")
            let (badFilter, badFilterBody, _) = try await reporter.call(.GET, "/api/v1/organizations?review=maybe", template: "/api/v1/organizations")
            #expect(badFilter == .badRequest && errorMessage(badFilterBody).contains("核查状态"))

            // A bulk request of thousands of codes is read (not refused as too large); an unknown code is not found.
            let many = (1...3000).map { "\"350582101-\(String(format: "%04d", $0 + 5000))\"" }.joined(separator: ", ")
            let (bulk, bulkBody, _) = try await county.call(.POST, "/api/v1/review-queue/confirmations",
                                                            template: "/api/v1/review-queue/confirmations", json: #"{"codes": [\#(many)]}"#)
            #expect(bulk == .notFound && errorMessage(bulkBody).contains("350582101-5001"))

            // Every refusal above is in the audit trail.
            let refused = try await AuditLog.search(.init(action: "request.refused"), scope: .everywhere, limit: 100, on: app.db)
            #expect(refused.count >= 5)
        }
    }

    @Test(arguments: TestDatabase.all)
    func countingConfirmedOnlyChangesEveryFigureOfTheDashboard(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let city = try #require(try await CampaignStore.area("3505", on: app.db))
            let before = try #require(try await CampaignProgress.figures(campaign, areas: [city], asOf: campaign.deadline, on: app.db).first)
            var confirmedOnly = campaign
            confirmedOnly.rule.confirmation = .city
            let after = try #require(try await CampaignProgress.figures(confirmedOnly, areas: [city], asOf: campaign.deadline, on: app.db).first)
            // What the demo's ledger holds, counted directly: 市已确认, not refuted, under the campaign's rule.
            var all: [OrganizationRecord] = []
            try await LedgerQuery.forEach(LedgerFilter(), on: app.db) { all += $0 }
            let direct = all.filter { confirmedOnly.rule.counts($0.fields, review: $0.review.countedReview, on: campaign.deadline, start: campaign.start) }
            #expect(after.progress.counted == direct.count)
            #expect(after.progress.counted < before.progress.counted)
        }
    }
}
