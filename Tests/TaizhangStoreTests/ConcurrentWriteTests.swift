import FluentKit
import Foundation
import SQLKit
import Synchronization
import TaizhangCore
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// Many cadres saving at the same moment through two app instances on one database: no
/// refusal, no lost write, no code given twice, counts exact.
@Suite struct ConcurrentWriteTests {
    @Test(arguments: TestDatabase.all)
    func simultaneousCreatesInOneTownshipEachGetTheirOwnCodeAndCountsStayExact(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            try await withSecondInstance(of: app) { other in
                // Two instances on one database: on PostgreSQL as behind a load balancer; on SQLite in one
                // process, whose writes to the file queue in SQLiteWriteQueue and commit in groups.
                let second = other
                // Enough to collide every time on PostgreSQL before codes were serialized.
                let creators = 10
                let codes = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<creators {
                        let db = (index.isMultiple(of: 2) ? app : second).db
                        group.addTask {
                            var fields = sampleFields("并发登记第\(index)号团支部", stage: index.isMultiple(of: 3) ? .founded : .preparing)
                            fields.unitCategory = index.isMultiple(of: 4) ? "学校" : "非公企业"
                            return try await OrganizationStore.create(fields, by: testActor, on: db).record.code
                        }
                    }
                    var codes: [String] = []
                    for try await code in group { codes.append(code) }
                    return codes
                }
                #expect(codes.count == creators)
                let expected: Set<String> = Set((1...creators).map { number in
                    let digits = String(number)
                    return "350582101-" + String(repeating: "0", count: 4 - digits.count) + digits
                })
                #expect(Set(codes) == expected)

                // The running counts at every level equal a direct count of the ledger.
                for (division, column) in [("350582101", "township_code"), ("350582", nil), ("3505", nil)] as [(String, String?)] {
                    let counted = try await app.db.sql.select().column(SQLRaw("CAST(SUM(count) AS INTEGER)"), as: "n")
                        .from("ledger_daily_counts").where("division_code", .equal, division).first()?.decode(column: "n", as: Int.self)
                    var direct = app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("organizations")
                    if let column { direct = direct.where(SQLColumn(column), .equal, SQLBind(division)) }
                    let directCount = try await direct.first()?.decode(column: "n", as: Int.self)
                    #expect(counted == directCount, "\(division)")
                    let mix = try await app.db.sql.select().column(SQLRaw("CAST(SUM(count) AS INTEGER)"), as: "n")
                        .from("ledger_mix_counts").where("division_code", .equal, division).first()?.decode(column: "n", as: Int.self)
                    #expect(mix == counted, "\(division) mix")
                }
                let audit = try await AuditLog.search(.init(action: "organization.create"), scope: .everywhere, limit: 100, on: app.db)
                #expect(audit.count == creators)
                #expect(Set(audit.compactMap(\.entityID)) == expected)
                // Each its first stage event (on SQLite written at the end of the write group, with the audit rows and counts).
                for code in codes {
                    let timeline = try await OrganizationStore.timeline(code, on: app.db)
                    #expect(timeline.map(\.reason) == ["新建"], "\(code)")
                }
            }
        }
    }

    /// Creates in several townships at once, beside edits that lock the whole ledger, through two
    /// instances (on PostgreSQL creates of different townships run side by side): each township's
    /// codes run 1…n without a gap or a twin, a name sent twice to one township at once is taken
    /// once, and every running count stays exact. (Without the township's lock this still passes,
    /// by the retry of a create whose code was taken meanwhile; the lock spares that retry.)
    @Test(arguments: TestDatabase.all)
    func createsInManyTownshipsBesideWholeLedgerEditsStayExact(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let townships = try await app.db.sql.raw("SELECT code FROM divisions WHERE level = 'township' AND code LIKE '350582%' ORDER BY code LIMIT 4")
                .all().map { try $0.decode(column: "code", as: String.self) }
            #expect(townships.count == 4)
            // One organization per township before, renamed during the creates (a write of the whole ledger).
            var first: [OrganizationRecord] = []
            for township in townships {
                first.append(try await OrganizationStore.create(sampleFields("先有的团支部", township: township), by: testActor, on: app.db).record)
            }
            try await withSecondInstance(of: app) { second in
                enum Outcome: Sendable { case created(String), duplicate, edited }
                let perTownship = 6
                let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                    for (t, township) in townships.enumerated() {
                        for n in 0..<perTownship {
                            // The last two of each township carry the same name.
                            let name = n >= perTownship - 2 ? "同名团支部" : "并发\(t)乡第\(n)号团支部"
                            let db = (n.isMultiple(of: 2) ? app : second).db
                            group.addTask {
                                do {
                                    return .created(try await OrganizationStore.create(sampleFields(name, township: township), by: testActor, on: db).record.code)
                                } catch let refusal as Refusal where refusal.kind == .conflict {
                                    return .duplicate
                                }
                            }
                        }
                        let record = first[t]
                        group.addTask {
                            var fields = record.fields
                            fields.name = "改名后的团支部"
                            _ = try await OrganizationStore.update(record.code, fields, expectedVersion: record.version, by: testActor, on: second.db)
                            return .edited
                        }
                    }
                    var outcomes: [Outcome] = []
                    for try await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
                let codes = outcomes.compactMap { outcome -> String? in
                    if case .created(let code) = outcome { return code }
                    return nil
                }
                #expect(outcomes.filter { if case .duplicate = $0 { true } else { false } }.count == townships.count)
                #expect(outcomes.filter { if case .edited = $0 { true } else { false } }.count == townships.count)
                #expect(codes.count == townships.count * (perTownship - 1))
                for township in townships {
                    let numbers = codes.filter { $0.hasPrefix(township + "-") }.compactMap { Int($0.split(separator: "-").last ?? "") }.sorted()
                    #expect(numbers == Array(2...perTownship), "\(township)")
                    let named = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM organizations WHERE township_code = \(bind: township) AND name = '同名团支部'")
                        .first()?.decode(column: "n", as: Int.self)
                    #expect(named == 1, "\(township)")
                }
                for division in townships + ["350582", "3505"] {
                    let direct = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM organizations WHERE division_path LIKE \(bind: "%" + division + "%")")
                        .first()?.decode(column: "n", as: Int.self)
                    for table in ["ledger_daily_counts", "ledger_mix_counts"] {
                        let counted = try await app.db.sql.select().column(SQLRaw("CAST(SUM(count) AS INTEGER)"), as: "n")
                            .from(table).where("division_code", .equal, division).first()?.decode(column: "n", as: Int.self)
                        #expect(counted == direct, "\(division) \(table)")
                    }
                }
                let audit = try await AuditLog.search(.init(action: "organization.create"), scope: .everywhere, limit: 100, on: app.db)
                #expect(audit.count == townships.count * perTownship)
            }
        }
    }

    /// Two ledgers in one database server — two deployments, or the tests, each in a schema of
    /// its own on PostgreSQL (whose advisory locks belong to the whole database), each in a file
    /// of its own on SQLite — never wait for each other's writes: a write to the second ledger
    /// commits while a write to the first holds its lock. (If it waited, the guard releases the
    /// first after two minutes and the order shows it.)
    @Test(arguments: TestDatabase.all)
    func twoLedgersInOneDatabaseDoNotWaitForEachOther(_ database: TestDatabase) async throws {
        try await withTestApp(database) { first async throws in
            try await withTestApp(database) { second async throws in
                for app in [first, second] { try await app.db.sql.raw("CREATE TABLE write_probe (n INTEGER PRIMARY KEY)").run() }
                let order = Mutex<[String]>([])
                let (holding, hold) = AsyncStream<Void>.makeStream()
                let (released, release) = AsyncStream<Void>.makeStream()
                let held = Task {
                    try await writeTransaction(on: first.db) { db in
                        try await db.sql.raw("INSERT INTO write_probe (n) VALUES (1)").run()
                        hold.yield()
                        for await _ in released { break }
                        return 1
                    }
                }
                for await _ in holding { break }
                let guardian = Task {
                    try await Task.sleep(for: .seconds(120))
                    order.withLock { $0.append("guard") }
                    release.yield()
                }
                _ = try await writeTransaction(on: second.db) { db in
                    try await db.sql.raw("INSERT INTO write_probe (n) VALUES (2)").run()
                    return 2
                }
                order.withLock { $0.append("second committed") }
                guardian.cancel()
                release.yield()
                _ = try await held.value
                #expect(order.withLock { $0 } == ["second committed"])
                for (app, n) in [(first, 1), (second, 2)] {
                    let kept = try await app.db.sql.raw("SELECT n FROM write_probe").all().map { try $0.decode(column: "n", as: Int.self) }
                    #expect(kept == [n])
                }
            }
        }
    }

    /// A group of creates on SQLite keeps its statement journals in memory, and gives its
    /// connection back with temporary files as before (for reads that may sort a whole ledger).
    @Test func aGroupOfCreatesKeepsItsJournalsInMemoryAndLeavesTheConnectionAsItWas() async throws {
        struct Refused: Error {}
        try await withTestApp(.sqlite) { app async throws in
            @Sendable func setting(_ db: any Database) async throws -> Int? {
                try await db.sql.raw("PRAGMA temp_store").first()?.decode(column: "temp_store", as: Int.self)
            }
            // Through the queue: a township's write (a group of its own) runs in memory; a write
            // of the whole ledger does not.
            let township = try await writeTransaction(on: app.db, township: "350582101") { try await setting($0) }
            let ledger = try await writeTransaction(on: app.db) { try await setting($0) }
            #expect(township == 2 && ledger == 0)
            try await app.db.withConnection { connection in
                #expect(try await setting(connection) == 0)
                var during: Int?
                try await SQLiteWriteQueue.withTemporaryFilesInMemory(on: connection) {
                    during = try await setting(connection)
                }
                #expect(during == 2)
                #expect(try await setting(connection) == 0)
                await #expect(throws: Refused.self) {
                    try await SQLiteWriteQueue.withTemporaryFilesInMemory(on: connection) { throw Refused() }
                }
                #expect(try await setting(connection) == 0)
            }
        }
    }

    /// Writes that arrive together share a transaction on SQLite (one disk flush for the group),
    /// each in its own savepoint: a write that fails after writing leaves nothing behind and
    /// takes nobody else's write with it; every caller gets its own answer.
    @Test(arguments: TestDatabase.all)
    func aFailedWriteAmongConcurrentOnesUndoesOnlyItself(_ database: TestDatabase) async throws {
        struct Refused: Error, Equatable { var index: Int }
        try await withTestApp(database) { app async throws in
            try await app.db.sql.raw("CREATE TABLE write_probe (n INTEGER PRIMARY KEY)").run()
            let outcomes = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do {
                            let written = try await writeTransaction(on: app.db) { db in
                                try await db.sql.raw("INSERT INTO write_probe (n) VALUES (\(bind: index))").run()
                                if index.isMultiple(of: 3) { throw Refused(index: index) }
                                return index
                            }
                            return (index, .success(written))
                        } catch let refused as Refused {
                            return (index, .failure(refused))
                        } catch {
                            return (index, .failure(Refused(index: -1)))
                        }
                    }
                }
                var outcomes: [Int: Result<Int, Refused>] = [:]
                for await (index, outcome) in group { outcomes[index] = outcome }
                return outcomes
            }
            for index in 0..<40 {
                #expect(outcomes[index] == (index.isMultiple(of: 3) ? .failure(Refused(index: index)) : .success(index)), "\(index)")
            }
            let kept = try await app.db.sql.raw("SELECT n FROM write_probe ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) }
            #expect(kept == (0..<40).filter { !$0.isMultiple(of: 3) })
        }
    }

    /// New organizations leave their audit rows (and running counts) to the end of their SQLite
    /// write group. Among concurrent writes, deferring or not, some of which fail after recording:
    /// each write that committed has exactly one audit row, under its own author; a failed one has
    /// none (and undoing a failed write that defers nothing keeps the rows written before it); and
    /// a write that defers nothing sees every earlier write's audit row already written (here, as
    /// many audit rows as probe rows, which are written at once). Which writes share a group is up
    /// to timing, so a fault here shows in most runs rather than in every one.
    @Test(arguments: TestDatabase.all)
    func auditRowsLeftToTheEndOfAGroupAreWrittenOnceByTheirAuthorsAndBeforeOtherWrites(_ database: TestDatabase) async throws {
        struct Refused: Error {}
        try await withTestApp(database) { app async throws in
            try await app.db.sql.raw("CREATE TABLE write_probe (n INTEGER PRIMARY KEY, seen_probes INTEGER, seen_audit INTEGER)").run()
            let writes = 45
            let committed = await withTaskGroup(of: Int?.self) { group in
                for index in 0..<writes {
                    // Every fifth write defers nothing (no township); every third write fails after recording.
                    let township: String? = index.isMultiple(of: 5) ? nil : "350582101"
                    let fails = index.isMultiple(of: 3)
                    group.addTask {
                        do {
                            return try await writeTransaction(on: app.db, township: township) { db in
                                let probes = try await db.sql.raw("SELECT COUNT(*) AS n FROM write_probe").first()?.decode(column: "n", as: Int.self)
                                let audit = try await db.sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'probe'").first()?
                                    .decode(column: "n", as: Int.self)
                                try await db.sql.raw("INSERT INTO write_probe (n, seen_probes, seen_audit) VALUES (\(bind: index), \(bind: probes), \(bind: audit))").run()
                                try await AuditLog.record("probe", entityType: "probe", entityID: String(index), divisionPath: nil, before: nil,
                                                          after: ["n": index], by: Actor(userID: nil, name: "写入者\(index)", clientAddress: nil), on: db)
                                if fails { throw Refused() }
                                return index
                            }
                        } catch {
                            return nil
                        }
                    }
                }
                var committed: [Int] = []
                for await index in group { if let index { committed.append(index) } }
                return committed.sorted()
            }
            let expected = (0..<writes).filter { !$0.isMultiple(of: 3) }
            #expect(committed == expected)
            let rows = try await app.db.sql.raw("SELECT entity_id, actor_name FROM audit_events WHERE action = 'probe'").all()
            let authors = try rows.map { (try $0.decode(column: "entity_id", as: String.self), try $0.decode(column: "actor_name", as: String.self)) }
            #expect(authors.map(\.0).compactMap(Int.init).sorted() == expected)
            for (entity, author) in authors { #expect(author == "写入者\(entity)") }
            let seen = try await app.db.sql.raw("SELECT n, seen_probes, seen_audit FROM write_probe ORDER BY n").all()
            #expect(seen.count == expected.count)
            for row in seen {
                let n = try row.decode(column: "n", as: Int.self)
                let probes = try row.decode(column: "seen_probes", as: Int.self)
                let audit = try row.decode(column: "seen_audit", as: Int.self)
                // A deferring write may miss the deferred rows of its group; any other sees them all.
                if n.isMultiple(of: 5) { #expect(audit == probes, "write \(n)") } else { #expect(audit <= probes, "write \(n)") }
            }
        }
    }
}
