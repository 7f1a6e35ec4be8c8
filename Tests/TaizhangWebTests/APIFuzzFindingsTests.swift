import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// What `scripts/api-fuzz` (schemathesis against the served OpenAPI document) found, each kept
/// here as a call whose answer is validated against the document.
@Suite struct APIFuzzFindingsTests {
    /// The audit trail's API answered with `actionLabel` (and, for organizations and divisions,
    /// `entityLink`), which the document's AuditEvent did not describe.
    @Test(arguments: TestDatabase.all)
    func auditEventsAnswerAsDocumented(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let jinjiang = try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")])
            let api = try await APIClient.make(app, as: jinjiang)
            let (changed, _, _) = try await api.call(.PATCH, "/api/v1/divisions/350582101", template: "/api/v1/divisions/{code}",
                                                    json: #"{"youthPopulation":8765}"#)
            #expect(changed == .ok)
            let (refused, _, _) = try await api.call(.POST, "/api/v1/campaigns", template: "/api/v1/campaigns",
                                                    json: #"{"name":"x","regionCode":"350582","start":"2012-10-15","deadline":"2012-12-15","target":1,"rule":{}}"#)
            #expect(refused == .forbidden)

            let (status, body, _) = try await api.call(.GET, "/api/v1/audit-events", template: "/api/v1/audit-events")
            #expect(status == .ok)
            let items = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["items"] as? [[String: Any]])
            let update = try #require(items.first { $0["action"] as? String == "division.update" })
            #expect(update["actionLabel"] as? String == "修改区划属性")
            #expect(update["entityLink"] as? String == "/divisions/350582101")
            let denied = try #require(items.first { $0["action"] as? String == "access.denied" })
            #expect(denied["actionLabel"] as? String == "访问被拒绝")
            #expect(denied["entityLink"] == nil)
        }
    }

    /// A body or field that should be a JSON object but was a list, text or number was refused as
    /// "应为列表"; a number that does not fit its field (2.5 or 1e30 for an integer) as "不是有效的 JSON".
    @Test(arguments: TestDatabase.all)
    func wrongJSONShapesAreNamedForWhatTheyAre(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let api = try await APIClient.make(app)
            let campaign = #"{"name":"晋江市建团","regionCode":"3505","start":"2012-10-15","deadline":"2012-12-15","target":TARGET,"rule":RULE}"#
            func post(_ json: String) async throws -> String {
                let (status, body, _) = try await api.call(.POST, "/api/v1/campaigns", template: "/api/v1/campaigns", json: json)
                #expect(status == .badRequest, "\(json)")
                return errorMessage(body)
            }
            for body in ["[]", #""x""#, "5"] {
                #expect(try await post(body) == "请求内容：类型不对，应为对象（{…}）")
            }
            let rule = #"{"newOnly":true,"withinWindow":true}"#
            #expect(try await post(campaign.replacingOccurrences(of: "TARGET", with: "100").replacingOccurrences(of: "RULE", with: "[]"))
                    == "字段 rule：类型不对，应为对象（{…}）")
            for target in ["2.5", "1e30"] {
                let message = try await post(campaign.replacingOccurrences(of: "TARGET", with: target).replacingOccurrences(of: "RULE", with: rule))
                #expect(message.contains("应为整数的写了小数，或超出范围"), "\(target): \(message)")
            }
            #expect(try await post(#"{"name":"#).contains("不是有效的 JSON"))
        }
    }
}
