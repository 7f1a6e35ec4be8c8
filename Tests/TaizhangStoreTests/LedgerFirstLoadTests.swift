import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// A first load into an empty ledger on SQLite writes its rows without the ledger's secondary
/// indexes and builds them when the rows are in (`LedgerImporter.DeferredIndexes`). Whatever
/// happens, the ledger ends with the same indexes as before, holding every row; a load that
/// fails leaves them untouched; on PostgreSQL nothing is set aside, and into a ledger with
/// organizations not before the import has written a tenth of it (`LedgerIndexScheduleTests`).
@Suite struct LedgerFirstLoadTests {
    static let size = 3 * LedgerImporter.chunkSize + 17
    static let failingName = "写入时失败团支部"

    @Test(arguments: TestDatabase.all)
    func aFirstLoadEndsWithTheSameIndexesHoldingEveryRow(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
            let townships = try await DivisionQueries.townships(under: .within("35/3505/"), on: db)
            let indexes = try await Self.indexes(on: db)
            #expect(indexes.count >= 9)
            let clean = LedgerTotalAndSearchTests.generate(Self.size, over: townships)

            // A row that the database refuses only while the rows are written, after the check
            // passed: the load fails part-way, with the indexes set aside on SQLite.
            let failing = clean + LedgerStreamingImportTests.line([
                .township: townships[0].code, .name: Self.failingName, .orgType: "团支部", .stage: "筹建",
            ]) + "\n"
            try await Self.refuseInserts(named: Self.failingName, on: db)
            await #expect(throws: (any Error).self) {
                try await LedgerImporter.commit(try TabularFileReader(data: Data(failing.utf8)), fileName: "写入失败.csv",
                                                scope: .everywhere, by: testActor, on: db)
            }
            #expect(try await LedgerStreamingImportTests.count("organizations", on: db) == 0)
            #expect(try await LedgerStreamingImportTests.count("audit_events", where: "organization.import.create", on: db) == 0)
            #expect(try await Self.indexes(on: db) == indexes)

            let committed = try await LedgerImporter.commit(try TabularFileReader(data: Data(clean.utf8)), fileName: "首次导入.csv",
                                                             scope: .everywhere, by: testActor, on: db)
            #expect(committed.newCount == Self.size)
            #expect(try await Self.indexes(on: db) == indexes)
            #expect(try await LedgerStreamingImportTests.count("organizations", on: db) == Self.size)

            // Every index holds every row: SQLite checks each index entry against its table.
            if db.isSQLite {
                let check = try await db.sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
                #expect(check == ["ok"])
                let plan = try await db.sql.raw("""
                    EXPLAIN QUERY PLAN SELECT code FROM organizations WHERE township_code = \(bind: townships[1].code) ORDER BY code
                    """).all().map { try $0.decode(column: "detail", as: String.self) }
                #expect(plan.contains { $0.contains("organizations_township") })
            }
            // Read through the indexes and the search, the ledger answers as the file says.
            for township in townships.prefix(3) {
                let direct = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("organizations")
                    .where("township_code", .equal, township.code).first()?.decode(column: "n", as: Int.self)
                let inFile = clean.split(separator: "\n").filter { $0.contains(",\(township.code),") }.count
                #expect(direct == inFile)
            }
            var byText = LedgerFilter(scope: .everywhere)
            byText.text = OrganizationStore.codes(township: townships[1].code, from: 1, count: 1)[0]
            #expect(try await LedgerQuery.total(byText, cap: 10, on: db).count == 1)

            // Into a ledger with organizations nothing is set aside before the first row (after
            // a tenth of the ledger: `LedgerIndexScheduleTests`), on PostgreSQL never.
            let schedule = try await LedgerImporter.IndexSchedule.start(ledgerIsEmpty: false, on: db)
            #expect(schedule.deferred == nil)
            #expect(schedule.setAsideAfter == (db.isSQLite ? Self.size / 10 : nil))
            #expect(try await Self.indexes(on: db) == indexes)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlySQLiteSetsItsIndexesAside(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            let indexes = try await Self.indexes(on: db)
            try await db.transaction { db in
                let setAside = try await LedgerImporter.DeferredIndexes.setAside(on: db)
                #expect(setAside?.definitions.map(\.name) == (db.isSQLite ? indexes.map(\.name) : nil))
                #expect(try await Self.indexes(on: db).isEmpty == db.isSQLite)
                try await setAside?.rebuild(on: db)
                #expect(try await Self.indexes(on: db) == indexes)
            }
        }
    }

    struct Index: Equatable {
        var name: String
        var sql: String
    }

    /// The secondary indexes of `organizations` with their definitions, by name.
    static func indexes(on db: any Database) async throws -> [Index] {
        let query: SQLQueryString = db.isSQLite
            ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'organizations' AND sql IS NOT NULL ORDER BY name"
            : """
              SELECT indexname AS name, indexdef AS sql FROM pg_indexes
              WHERE tablename = 'organizations' AND schemaname = current_schema() AND indexname <> 'organizations_pkey' ORDER BY indexname
              """
        return try await db.sql.raw(query).all().map {
            Index(name: try $0.decode(column: "name", as: String.self), sql: try $0.decode(column: "sql", as: String.self))
        }
    }

    /// Makes the database refuse to insert an organization of this name.
    static func refuseInserts(named name: String, on db: any Database) async throws {
        if db.isSQLite {
            try await db.sql.raw("""
                CREATE TRIGGER refuse_test_name BEFORE INSERT ON organizations WHEN NEW.name = \(literal: name)
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """).run()
        } else {
            try await db.sql.raw("""
                CREATE FUNCTION refuse_test_name() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$
                """).run()
            try await db.sql.raw("""
                CREATE TRIGGER refuse_test_name BEFORE INSERT ON organizations FOR EACH ROW WHEN (NEW.name = \(literal: name))
                EXECUTE FUNCTION refuse_test_name()
                """).run()
        }
    }
}
