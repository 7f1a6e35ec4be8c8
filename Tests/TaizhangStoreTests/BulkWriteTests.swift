import FluentKit
import Foundation
@testable import TaizhangStore
import TaizhangCore
import TaizhangTestSupport
import Testing

/// Rows written in bulk (imports) come back exactly as written, whatever their text holds.
@Suite struct BulkWriteTests {
    static let awkwardTexts = [
        "引号\"与反斜杠\\", "换行\n回车\r制表\t", "控制字符\u{01}\u{1F}", "emoji 🎉 与全角　空格", "", "null", "[1,2]",
        "单引号' ; DROP TABLE organizations; --",
    ]

    @Test(arguments: TestDatabase.all)
    func auditRowsKeepEveryCharacterAndTheirOrder(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let entries = Self.awkwardTexts.enumerated().map { index, text in
                AuditLog.Entry(action: "test.bulk", entityType: "test", entityID: "\(index)", divisionPath: index % 2 == 0 ? nil : text,
                               before: index % 3 == 0 ? nil : ["名称": text], after: ["名称": text, "序号": "\(index)"])
            }
            let actor = Actor(userID: nil, name: "批量\"测试\"", clientAddress: nil)
            try await writeTransaction(on: app.db) { db in try await AuditLog.recordBatch(entries, by: actor, on: db) }

            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "test.bulk").all()
            #expect(events.count == entries.count)
            for event in events {
                let index = try #require(Int(event.entityID ?? ""))
                let text = Self.awkwardTexts[index]
                #expect(event.actorName == "批量\"测试\"")
                #expect(event.actorUserID == nil)
                #expect(event.divisionPath == (index % 2 == 0 ? nil : text))
                let after = try JSONDecoder().decode([String: String].self, from: Data((event.afterJSON ?? "").utf8))
                #expect(after == ["名称": text, "序号": "\(index)"])
                if index % 3 == 0 { #expect(event.beforeJSON == nil) }
                #expect(abs(event.occurredAt.timeIntervalSinceNow) < 60)
            }
            // Keys made in one batch sort in the order they were made.
            let ids = events.sorted { Int($0.entityID!)! < Int($1.entityID!)! }.compactMap { $0.id?.uuidString }
            #expect(ids == ids.sorted())
        }
    }

    @Test(arguments: TestDatabase.all)
    func rowsLargerThanAChunkAreAllWritten(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            // Three 2 MB values cross the 4 MB chunk boundary of the SQLite path.
            let big = String(repeating: "团", count: 700_000)
            let entries = (0..<3).map { index in
                AuditLog.Entry(action: "test.big", entityType: "test", entityID: "\(index)", divisionPath: nil,
                               before: nil, after: ["内容": big + "\(index)"])
            }
            try await writeTransaction(on: app.db) { db in try await AuditLog.recordBatch(entries, by: testActor, on: db) }
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "test.big").all()
            #expect(events.count == 3)
            for event in events {
                let after = try JSONDecoder().decode([String: String].self, from: Data((event.afterJSON ?? "").utf8))
                #expect(after["内容"] == big + (event.entityID ?? ""))
            }
        }
    }

    @Test func timeOrderedUUIDsAreVersion7AndIncrease() {
        var ids = TimeOrderedUUIDs(now: Date(timeIntervalSince1970: 1_354_000_000))
        let made = (0..<5_000).map { _ in ids.next() }
        #expect(made.map(\.uuidString) == made.map(\.uuidString).sorted())
        #expect(Set(made).count == made.count)
        for id in made.prefix(3) {
            #expect(id.uuidString.dropFirst(14).first == "7")  // version
            #expect("89AB".contains(id.uuidString.dropFirst(19).first!))  // variant
        }
        // The first 48 bits are the milliseconds.
        let hex = String(repeating: "0", count: 4) + String(1_354_000_000_000, radix: 16, uppercase: true)
        let milliseconds = hex.suffix(12)
        #expect(made[0].uuidString.hasPrefix(milliseconds.prefix(8) + "-" + milliseconds.suffix(4)))
    }

    /// A caller's own error is the one reported, even when a queued statement failed too.
    @Test func theCallersOwnErrorIsReported() async throws {
        struct StatementFailed: Error {}
        struct Afterwards: Error {}
        await #expect(throws: Afterwards.self) {
            try await BulkStatementQueue.run { queue in
                try await queue.enqueue { throw StatementFailed() }
                throw Afterwards()
            }
        }
        await #expect(throws: Afterwards.self) {
            try await BulkStatementQueue.run { queue in
                try await queue.enqueue {}
                throw Afterwards()
            }
        }
    }

    /// A queued statement fails while the caller goes on with the same transaction: the
    /// statement's error is the one reported — on PostgreSQL not the "transaction is aborted"
    /// that the caller's next query meets, on SQLite not a success.
    @Test(arguments: TestDatabase.all)
    func aFailedStatementIsTheErrorReported(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            do {
                try await writeTransaction(on: app.db) { db in
                    try await BulkStatementQueue.run { queue in
                        let (failed, signal) = AsyncStream<Void>.makeStream()
                        try await queue.enqueue {
                            defer { signal.finish() }
                            try await db.sql.raw("SELECT * FROM no_such_table").run()
                        }
                        for await _ in failed {}
                        try await db.sql.raw("SELECT 1").run()
                    }
                }
                Issue.record("the failed statement was not reported")
            } catch {
                let text = String(reflecting: error)
                #expect(text.contains("no such table") || text.contains("42P01"), "\(text)")
            }
        }
    }
}
