import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// An import into a ledger with organizations on SQLite sets the ledger's secondary indexes
/// aside once it has written a tenth as many rows as the ledger held, and builds them when its
/// rows are in (`LedgerImporter.IndexSchedule`); a smaller one keeps them. Either way the
/// ledger ends with the same indexes holding every row, the checks after the indexes went still
/// find a name the ledger already has, and an import that fails after they went leaves them as
/// they were. On PostgreSQL nothing is set aside.
@Suite struct LedgerIndexScheduleTests {
    static let ledger = 1_000
    /// Creates over two chunks, then updates by code in a third: the indexes go after the first
    /// (or before it, for a CSV, whose rows are counted first).
    static let creates = 2 * LedgerImporter.chunkSize
    static let updates = 50

    /// A CSV's rows are counted first, so the indexes go before its first row.
    @Test(arguments: TestDatabase.all)
    func aLargeCSVSetsTheIndexesAsideAndEndsWithThemWhole(_ database: TestDatabase) async throws {
        try await Self.largeImport(database, asXLSX: false)
    }

    /// An XLSX's rows are not counted first, so the indexes go after its first chunk.
    @Test(arguments: TestDatabase.all)
    func aLargeXLSXSetsTheIndexesAsideAfterATenthAndEndsWithThemWhole(_ database: TestDatabase) async throws {
        try await Self.largeImport(database, asXLSX: true)
    }

    static func largeImport(_ database: TestDatabase, asXLSX: Bool) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            let townships = try await Self.load(on: db)
            let before = try await Self.indexes(on: db)
            let schema = try await Self.schemaVersion(on: db)

            // A file with fewer rows than a tenth of the ledger keeps the indexes.
            let small = Self.file((Self.ledger..<(Self.ledger + Self.ledger / 10 - 1)).map { Self.created($0, over: townships) })
            let smallPreview = try await LedgerImporter.commit(try TabularFileReader(data: Data(small.utf8)), fileName: "少量.csv",
                                                                scope: .everywhere, by: testActor, on: db)
            #expect(smallPreview.newCount == Self.ledger / 10 - 1)
            #expect(try await Self.schemaVersion(on: db) == schema)
            #expect(try await Self.indexes(on: db) == before)

            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("大量-\(UUID().uuidString).xlsx")
            defer { try? FileManager.default.removeItem(at: scratch) }
            func reader(_ rows: [[LedgerColumn: String]]) throws -> TabularFileReader {
                asXLSX ? try TabularFileReader(url: try Self.workbook(rows, at: scratch)) : try TabularFileReader(data: Data(Self.file(rows).utf8))
            }
            let first = Self.ledger + Self.ledger / 10
            let creates = (first..<(first + Self.creates)).map { Self.created($0, over: townships) }

            // A large file whose third chunk repeats a name of the ledger without its code: the
            // check finds it after the indexes went, and nothing is written.
            let repeated = Self.created(7, over: townships)
            await #expect {
                try await LedgerImporter.commit(try reader(creates + [repeated]), fileName: "同名.csv", scope: .everywhere, by: testActor, on: db)
            } throws: { error in
                "\(error)".contains("第 \(Self.creates + 2) 行") && "\(error)".contains("台账中已有同名团组织")
            }
            #expect(try await LedgerStreamingImportTests.count("organizations", on: db) == Self.ledger + Self.ledger / 10 - 1)

            // A large one, with updates of the ledger's organizations by code in its third chunk.
            var updates: [[LedgerColumn: String]] = []
            for serial in 0..<Self.updates {
                var values = Self.updated(serial, over: townships)
                values[.code] = try await LedgerImportIntoALedgerTests.code(named: values[.name] ?? "", on: db)
                updates.append(values)
            }
            let rows = creates + updates
            let large = try reader(rows)
            #expect(large.estimatedRowCount() == (asXLSX ? nil : rows.count))
            let preview = try await LedgerImporter.commit(large, fileName: asXLSX ? "大量.xlsx" : "大量.csv",
                                                           scope: .everywhere, by: testActor, on: db)
            #expect(preview.newCount == Self.creates)
            #expect(preview.updatedCount == Self.updates)
            let total = Self.ledger + Self.ledger / 10 - 1 + Self.creates
            #expect(try await LedgerStreamingImportTests.count("organizations", on: db) == total)
            #expect(try await Self.members(ofFirst: Self.updates, over: townships, on: db) == Self.updates * 99)
            // Dropped and built again on SQLite (each a change of the schema), untouched on PostgreSQL.
            #expect(try await Self.schemaVersion(on: db) > schema || !db.isSQLite)
            let after = try await Self.indexes(on: db)
            #expect(after.map(\.definition) == before.map(\.definition))
            #expect(after.map(\.identity) == before.map(\.identity) || db.isSQLite)
            if db.isSQLite {
                let check = try await db.sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
                #expect(check == ["ok"])
            }
            #expect(try await LedgerQuery.total(LedgerFilter(scope: .everywhere), cap: 100_000, on: db).count == total)
            // Each township holds what the files put there.
            let serials = Array(0..<(Self.ledger + Self.ledger / 10 - 1)) + Array(first..<(first + Self.creates))
            for (index, township) in townships.enumerated().prefix(3) {
                let direct = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("organizations")
                    .where("township_code", .equal, township.code).first()?.decode(column: "n", as: Int.self)
                #expect(direct == serials.filter { $0 % townships.count == index }.count)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anImportThatFailsAfterTheIndexesWentLeavesThemAsTheyWere(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            let townships = try await Self.load(on: db)
            try await LedgerFirstLoadTests.refuseInserts(named: LedgerFirstLoadTests.failingName, on: db)
            let before = try await Self.indexes(on: db)
            let schema = try await Self.schemaVersion(on: db)
            var failing = Self.created(Self.ledger, over: townships)
            failing[.name] = LedgerFirstLoadTests.failingName
            let rows = (Self.ledger + 1..<(Self.ledger + 1 + Self.creates)).map { Self.created($0, over: townships) } + [failing]
            await #expect(throws: (any Error).self) {
                try await LedgerImporter.commit(try TabularFileReader(data: Data(Self.file(rows).utf8)), fileName: "写入失败.csv",
                                                scope: .everywhere, by: testActor, on: db)
            }
            #expect(try await LedgerStreamingImportTests.count("organizations", on: db) == Self.ledger)
            #expect(try await Self.schemaVersion(on: db) == schema)
            #expect(try await Self.indexes(on: db) == before)
        }
    }

    /// Seen from inside the import: a trigger on its first row asks whether an index is there.
    @Test func aCSVOfATenthOfTheLedgerSetsThemAsideBeforeItsFirstRowAnXLSXAfter() async throws {
        try await withTestApp(.sqlite) { app async throws in
            let db = app.db
            let townships = try await Self.load(on: db)
            let rows = (Self.ledger..<(Self.ledger + Self.ledger / 10 + 1)).map { Self.created($0, over: townships) }
            try await db.sql.raw("""
                CREATE TRIGGER first_row_sees_indexes BEFORE INSERT ON organizations
                WHEN NEW.name = \(literal: rows[0][.name] ?? "")
                 AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'organizations_name_sort')
                BEGIN SELECT RAISE(ABORT, 'the indexes went before the first row'); END
                """).run()
            await #expect {
                try await LedgerImporter.commit(try TabularFileReader(data: Data(Self.file(rows).utf8)), fileName: "先数行.csv",
                                                scope: .everywhere, by: testActor, on: db)
            } throws: { "\($0)".contains("the indexes went before the first row") }
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("后数行-\(UUID().uuidString).xlsx")
            defer { try? FileManager.default.removeItem(at: url) }
            let preview = try await LedgerImporter.commit(try TabularFileReader(url: try Self.workbook(rows, at: url)), fileName: "后数行.xlsx",
                                                           scope: .everywhere, by: testActor, on: db)
            #expect(preview.newCount == rows.count)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theScheduleWaitsForATenthOfTheLedger(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            _ = try await Self.load(on: db)
            let before = try await Self.indexes(on: db)
            try await db.transaction { db in
                // A file known to hold a tenth of the ledger sets them aside at once; one short of it does not.
                let known = try await LedgerImporter.IndexSchedule.start(ledgerIsEmpty: false, expectedRows: Self.ledger / 10 - 1, on: db)
                #expect(known.deferred == nil)
                var schedule = try await LedgerImporter.IndexSchedule.start(ledgerIsEmpty: false, expectedRows: nil, on: db)
                #expect(schedule.setAsideAfter == (db.isSQLite ? Self.ledger / 10 : nil))
                #expect(!schedule.isDue(Self.ledger / 10 - 1))
                #expect(schedule.isDue(Self.ledger / 10) == db.isSQLite)
                try await schedule.reached(Self.ledger / 10, on: db)
                // All but the township index, which the name lookups use.
                let left = try await Self.indexes(on: db).map(\.definition.name)
                #expect(left == (db.isSQLite ? [LedgerImporter.DeferredIndexes.keptForLookups] : before.map(\.definition.name)))
                #expect(!schedule.isDue(Self.ledger))
                try await schedule.finish(on: db)
                #expect(try await Self.indexes(on: db).map(\.definition) == before.map(\.definition))
                let large = try await LedgerImporter.IndexSchedule.start(ledgerIsEmpty: false, expectedRows: Self.ledger / 10, on: db)
                #expect((large.deferred != nil) == db.isSQLite)
                try await large.finish(on: db)
                #expect(try await Self.indexes(on: db).map(\.definition) == before.map(\.definition))
            }
        }
    }

    // MARK: - The ledger and the files

    /// Loads `ledger` organizations over 泉州's townships; returns the townships.
    static func load(on db: any Database) async throws -> [DivisionQueries.TownshipLabel] {
        try await LedgerTotalAndSearchTests.load(Self.ledger, on: db)
        return try await DivisionQueries.townships(under: .within("35/3505/"), on: db)
    }

    static func created(_ serial: Int, over townships: [DivisionQueries.TownshipLabel]) -> [LedgerColumn: String] {
        LedgerTotalAndSearchTests.values(serial, in: townships[serial % townships.count])
    }

    /// The ledger's organization `serial` with 99 members (its code to be filled in).
    static func updated(_ serial: Int, over townships: [DivisionQueries.TownshipLabel]) -> [LedgerColumn: String] {
        var values = created(serial, over: townships)
        values[.memberCount] = "99"
        return values
    }

    static func workbook(_ rows: [[LedgerColumn: String]], at url: URL) throws -> URL {
        let writer = try XLSXWriter(url: url)
        try writer.appendHeader(LedgerColumn.allCases.map(\.header))
        for row in rows { try writer.appendRow(LedgerColumn.allCases.map { row[$0] ?? "" }) }
        try writer.finish()
        return url
    }

    static func file(_ rows: [[LedgerColumn: String]]) -> String {
        LedgerColumn.allCases.map(\.header).joined(separator: ",") + "\n"
            + rows.map { LedgerStreamingImportTests.line($0) + "\n" }.joined()
    }

    /// The members of the ledger's first `count` organizations, found by name.
    static func members(ofFirst count: Int, over townships: [DivisionQueries.TownshipLabel], on db: any Database) async throws -> Int {
        var sum = 0
        for serial in 0..<count {
            let values = created(serial, over: townships)
            sum += try await db.sql.select().column("member_count").from("organizations")
                .where("township_code", .equal, values[.township] ?? "").where("name", .equal, values[.name] ?? "")
                .first()?.decode(column: "member_count", as: Int.self) ?? -1
        }
        return sum
    }

    struct Index: Equatable {
        var definition: LedgerFirstLoadTests.Index
        /// What changes when the index is dropped and made again: SQLite's root page may come
        /// back the same, so on SQLite this is the definition alone; PostgreSQL's object id.
        var identity: Int
    }

    static func indexes(on db: any Database) async throws -> [Index] {
        let definitions = try await LedgerFirstLoadTests.indexes(on: db)
        guard !db.isSQLite else { return definitions.map { Index(definition: $0, identity: 0) } }
        let ids = try await db.sql.raw("""
            SELECT c.relname AS name, CAST(c.oid AS BIGINT) AS id FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = 'organizations'::regclass
            """).all().reduce(into: [String: Int]()) { $0[try $1.decode(column: "name", as: String.self)] = try $1.decode(column: "id", as: Int.self) }
        return definitions.map { Index(definition: $0, identity: ids[$0.name] ?? -1) }
    }

    /// SQLite's schema version, raised by every `DROP INDEX` and `CREATE INDEX`; 0 on PostgreSQL.
    static func schemaVersion(on db: any Database) async throws -> Int {
        guard db.isSQLite else { return 0 }
        return try await db.sql.raw("PRAGMA schema_version").first()?.decode(column: "schema_version", as: Int.self) ?? -1
    }
}
