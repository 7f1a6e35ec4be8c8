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
}
