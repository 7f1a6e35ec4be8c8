import FluentKit
import SQLKit
import Synchronization
import TaizhangCore
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// A list of codes is read through the primary key, and the text search through its own index.
/// On PostgreSQL the search's trigram index on the code also answers `=`, and once a VACUUM had
/// sized it the planner took it for lists of codes, 150 times slower (migration 029).
@Suite struct OrganizationCodeLookupTests {
    @Test(arguments: TestDatabase.all)
    func aListOfCodesIsReadByThePrimaryKeyAndTheSearchByItsIndex(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await LedgerTotalAndSearchTests.load(3_000, on: app.db)
            if !app.db.isSQLite { try await app.db.sql.raw("VACUUM ANALYZE organizations").run() }
            let codes = try await app.db.sql.select().column("code").from("organizations").orderBy("code").limit(500).all()
                .map { try $0.decode(column: "code", as: String.self) }
            #expect(codes.count == 500)
            var byCode = LedgerFilter(scope: .everywhere)
            byCode.text = String(codes[123].suffix(7))  // "1-0042": a part of one code, in no name
            let filter = byCode

            try await app.db.transaction { db in
                // Where an index can serve, the planner must take one.
                if !db.isSQLite { try await db.sql.raw("SET LOCAL enable_seqscan = off").run() }
                let lookup = db.sql.select().columns(OrganizationRow.columns.map { SQLColumn($0) }).from("organizations")
                    .where("code", .in, codes)
                let lookupPlan = try await Self.plan(lookup.query, on: db)
                #expect(lookupPlan.contains(db.isSQLite ? "sqlite_autoindex_organizations_1" : "organizations_pkey"), "\(lookupPlan)")
                #expect(!lookupPlan.contains("trigram"), "\(lookupPlan)")

                let search = db.sql.select().column("code").from("organizations")
                LedgerQuery.apply(filter, text: try await LedgerTextSearch.plan(filter, on: db), to: search)
                let searchPlan = try await Self.plan(search.query, on: db)
                #expect(searchPlan.contains(db.isSQLite ? "organization_search" : "organizations_code_trigram"), "\(searchPlan)")

                // A text of two characters, rare: SQLite reads the terms that begin with it,
                // PostgreSQL the index of characters and pairs (migration 031).
                var short = LedgerFilter(scope: .everywhere)
                short.text = "恒宏"
                let shortSearch = db.sql.select().column("code").from("organizations")
                LedgerQuery.apply(short, text: try await LedgerTextSearch.plan(short, on: db), to: shortSearch)
                let shortPlan = try await Self.plan(shortSearch.query, on: db)
                #expect(shortPlan.contains(db.isSQLite ? "organization_search_terms" : "organizations_search_grams"), "\(shortPlan)")
            }
            // And the search finds what a LIKE on the column finds.
            let found = try await LedgerQuery.page(filter, sort: .ledger, after: nil, limit: 100, on: app.db).records.map(\.code).sorted()
            let direct = try await app.db.sql.select().column("code").from("organizations")
                .where("code", .like, "%" + (filter.text ?? "") + "%").orderBy("code").all().map { try $0.decode(column: "code", as: String.self) }
            #expect(found == direct && found.contains(codes[123]))
        }
    }

    /// The plan of `query`, every line of it in one text.
    static func plan(_ query: any SQLExpression, on db: any Database) async throws -> String {
        let explain = SQLList([SQLRaw(db.isSQLite ? "EXPLAIN QUERY PLAN" : "EXPLAIN"), query], separator: SQLRaw(" "))
        let column = db.isSQLite ? "detail" : "QUERY PLAN"
        let lines = Mutex<[String]>([])
        try await db.sql.execute(sql: explain) { row in
            let line = (try? row.decode(column: column, as: String.self)) ?? ""
            lines.withLock { $0.append(line) }
        }
        return lines.withLock { $0.joined(separator: "\n") }
    }
}
