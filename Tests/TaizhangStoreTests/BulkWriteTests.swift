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

    /// A few rows (one multi-row statement on PostgreSQL) and more than `copyMinimumRows` (by COPY there).
    @Test(arguments: TestDatabase.all)
    func auditRowsKeepEveryCharacterAndTheirOrder(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            for count in [Self.awkwardTexts.count, BulkWrite.copyMinimumRows + Self.awkwardTexts.count + 1] {
                let action = "test.bulk.\(count)"
                let entries = (0..<count).map { index in
                    let text = Self.awkwardTexts[index % Self.awkwardTexts.count]
                    return AuditLog.Entry(action: action, entityType: "test", entityID: "\(index)", divisionPath: index % 2 == 0 ? nil : text,
                                          before: index % 3 == 0 ? nil : ["名称": text], after: ["名称": text, "序号": "\(index)"])
                }
                let actor = Actor(userID: nil, name: "批量\"测试\"", clientAddress: nil)
                try await writeTransaction(on: app.db) { db in try await AuditLog.recordBatch(entries, by: actor, on: db) }

                let events = try await AuditEvent.query(on: app.db).filter(\.$action == action).all()
                #expect(events.count == entries.count)
                for event in events {
                    let index = try #require(Int(event.entityID ?? ""))
                    let text = Self.awkwardTexts[index % Self.awkwardTexts.count]
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
            try await Self.afterAFailedStatement(on: app.db) { db, _ in try await db.sql.raw("SELECT 1").run() }
        }
    }

    @Test func copyTextEscapesWhatCopyReadsAsSyntax() {
        var line: [UInt8] = []
        PostgresCopy.appendLine([.text("a\tb\\c\nd\re"), .text(nil), .integer(-12), .bool(true), .bool(false),
                                 .date(Date(timeIntervalSince1970: 1_355_531_400.25)), .uuid(nil), .text("泉州市（丰泽区）团委"),
                                 .text("")], to: &line)
        #expect(String(decoding: line, as: UTF8.self)
            == "a\\tb\\\\c\\nd\\re\t\\N\t-12\tt\tf\t2012-12-15 00:30:00.250000+00\t\\N\t泉州市（丰泽区）团委\t\n")
        var early: [UInt8] = []
        PostgresCopy.appendTimestamp(Date(timeIntervalSince1970: -0.5), to: &early)
        #expect(String(decoding: early, as: UTF8.self) == "1969-12-31 23:59:59.500000+00")
    }

    /// A queued statement fails and the caller then sends rows that go by COPY on PostgreSQL:
    /// the queued statement's error comes back (not the refused transaction's, nor a wait), and
    /// nothing is written.
    @Test(arguments: TestDatabase.all)
    func rowsAfterAFailedStatementAreRefusedWithItsError(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await Self.afterAFailedStatement(on: app.db) { db, queue in
                var batch = AuditLog.Batch(by: testActor, queue: queue, on: db)
                for index in 0..<BulkWrite.copyMinimumRows {
                    try await batch.append(AuditLog.Entry(action: "test.after", entityType: "test", entityID: "\(index)",
                                                          divisionPath: nil, before: nil, after: ["名称": "之后"]))
                }
                try await batch.finish()
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "test.after").count() == 0)
        }
    }

    /// Rows that add to a count (the running counts): a few (one `INSERT … ON CONFLICT` on
    /// PostgreSQL) and more than `copyMinimumRows` (by COPY and `INSERT … SELECT` there), written
    /// twice over keys half new, half already there, end as the sums of what was written.
    @Test(arguments: TestDatabase.all)
    func countsAddedInBulkAreTheSumsOfTheirRows(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            // (7 rows: one statement; 300: one COPY on PostgreSQL; 5,300: two, the first of 5,000.)
            for count in [7, BulkWrite.copyMinimumRows * 3, 5_300] {
                let division = "T\(count)"
                @Sendable func key(_ index: Int) -> [BulkValue] {
                    [.text(division), .text("已建立"), .text(index % 2 == 0 ? "新建" : "联系指导"), .text("2012-11-\(10 + index % 20)"),
                     .text("第\(index)号\t\"键\"")]
                }
                var expected: [String: Int] = [:]
                for (first, step) in [(0, 2), (count / 2, 5)] {
                    try await writeTransaction(on: app.db) { db in
                        var counts = BulkWrite(.addOnConflict(key: ["division_code", "stage", "guidance", "founded_on", "review"], column: "count"),
                                               into: "ledger_daily_counts", columns: ["division_code", "stage", "guidance", "founded_on", "review", "count"],
                                               on: db)
                        for index in first..<(first + count) { try await counts.append(key(index) + [.integer(index * step - 3)]) }
                        try await counts.finish()
                    }
                    for index in first..<(first + count) { expected["第\(index)号\t\"键\"", default: 0] += index * step - 3 }
                }
                let rows = try await app.db.sql.select().columns("review", "count").from("ledger_daily_counts")
                    .where("division_code", .equal, division).all()
                var stored: [String: Int] = [:]
                for row in rows { stored[try row.decode(column: "review", as: String.self)] = try row.decode(column: "count", as: Int.self) }
                #expect(stored == expected)
            }
        }
    }

    /// Statements run in the order given however many are in hand; the caller gets its turn back
    /// once fewer than `depth` are; and a failed statement fails every one after it, unrun.
    @Test func aDeeperQueueKeepsItsOrderItsBoundAndItsFirstFailure() async throws {
        struct StatementFailed: Error {}
        final class Log: @unchecked Sendable {
            private let lock = NSLock()
            private var entries: [Int] = []
            func add(_ entry: Int) { lock.withLock { entries.append(entry) } }
            var all: [Int] { lock.withLock { entries } }
        }
        let log = Log()
        try await BulkStatementQueue.run(depth: 3) { queue in
            for index in 0..<12 {
                try await queue.enqueue {
                    // The later the statement, the sooner it would finish if they ran side by side.
                    try await Task.sleep(for: .milliseconds(12 - index))
                    log.add(index)
                }
                // The statement three before this one has finished before `enqueue` returns.
                if index >= 3 { #expect(log.all.contains(index - 3), "\(index): \(log.all)") }
            }
        }
        #expect(log.all == Array(0..<12))

        // While the first statement waits to be let go, the next two are still taken in hand at
        // once. A queue that waited for each statement would wait here until the fallback lets
        // the first go (so the test ends either way), and the first would then have run.
        let (gate, open) = AsyncStream<Void>.makeStream()
        let fallback = Task {
            try? await Task.sleep(for: .seconds(30))
            open.finish()
        }
        let held = Log()
        try await BulkStatementQueue.run(depth: 3) { queue in
            try await queue.enqueue {
                for await _ in gate {}
                held.add(0)
            }
            try await queue.enqueue { held.add(1) }
            try await queue.enqueue { held.add(2) }
            #expect(held.all.isEmpty)
            open.finish()
        }
        fallback.cancel()
        #expect(held.all == [0, 1, 2])

        let failing = Log()
        await #expect(throws: StatementFailed.self) {
            try await BulkStatementQueue.run(depth: 4) { queue in
                for index in 0..<8 {
                    try await queue.enqueue {
                        if index == 2 { throw StatementFailed() }
                        failing.add(index)
                    }
                }
            }
        }
        #expect(failing.all == [0, 1])
    }

    /// Runs `then` in a transaction after a queued statement failed, and expects that
    /// statement's error to come back.
    static func afterAFailedStatement(
        on database: any Database, then: @escaping @Sendable (any Database, BulkStatementQueue) async throws -> Void
    ) async throws {
        do {
            try await writeTransaction(on: database) { db in
                try await BulkStatementQueue.run { queue in
                    let (failed, signal) = AsyncStream<Void>.makeStream()
                    try await queue.enqueue {
                        defer { signal.finish() }
                        try await db.sql.raw("SELECT * FROM no_such_table").run()
                    }
                    for await _ in failed {}
                    try await then(db, queue)
                }
            }
            Issue.record("the failed statement was not reported")
        } catch {
            let text = String(reflecting: error)
            #expect(text.contains("no such table") || text.contains("42P01"), "\(text)")
        }
    }
}
