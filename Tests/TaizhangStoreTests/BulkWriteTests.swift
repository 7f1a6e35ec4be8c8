import FluentKit
import Foundation
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// Bulk writes (JSON on SQLite, COPY on PostgreSQL) store every value as a single-row insert would.
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

    @Test func copyTextEscapesWhatCopyReadsAsSyntax() {
        var line: [UInt8] = []
        PostgresCopy.appendLine([.text("a\tb\\c\nd\re"), .text(nil), .integer(-12), .bool(true), .bool(false),
                                 .date(Date(timeIntervalSince1970: 1_355_531_400.25)), .uuid(nil)], to: &line)
        #expect(String(decoding: line, as: UTF8.self)
            == "a\\tb\\\\c\\nd\\re\t\\N\t-12\tt\tf\t2012-12-15 00:30:00.250000+00\t\\N\n")
        var early: [UInt8] = []
        PostgresCopy.appendTimestamp(Date(timeIntervalSince1970: -0.5), to: &early)
        #expect(String(decoding: early, as: UTF8.self) == "1969-12-31 23:59:59.500000+00")
    }
}
