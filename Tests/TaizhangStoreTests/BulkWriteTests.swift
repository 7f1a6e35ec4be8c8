import FluentKit
import Foundation
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// Bulk writes (one JSON value on SQLite, multi-row statements on PostgreSQL) store every value as a single-row insert would.
@Suite struct BulkWriteTests {
    @Test(arguments: TestDatabase.all)
    func awkwardTextNullsAndTimesSurviveABulkInsert(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let awkward = ["制表\t符", "换行\n与回车\r\n", "反斜杠\\N 与 \\t", "引号\"'，全角：（）", "\\", "", "emoji 🎉 与 \u{1}控制"]
            let entries = awkward.enumerated().map { index, text in
                AuditLog.Entry(action: "test.bulk", entityType: "test", entityID: text, divisionPath: index % 2 == 0 ? nil : text,
                               before: nil, after: ["值": text])
            }
            let before = Date()
            try await AuditLog.recordBatch(entries, by: testActor, on: app.db)
            let after = Date()
            let stored = try await AuditEvent.query(on: app.db).filter(\.$action == "test.bulk").all()
            #expect(Set(stored.compactMap(\.entityID)) == Set(awkward))
            for event in stored {
                let text = try #require(event.entityID)
                let index = try #require(awkward.firstIndex(of: text))
                #expect(event.divisionPath == (index % 2 == 0 ? nil : text))
                #expect(event.beforeJSON == nil)
                #expect(event.afterJSON == JSONText.object([(key: "值", value: text)]))
                #expect(event.occurredAt >= before.addingTimeInterval(-0.001) && event.occurredAt <= after.addingTimeInterval(0.001))
                #expect(event.actorName == testActor.name && event.actorUserID == testActor.userID)
            }
        }
    }
}
