import FluentKit
import SQLKit

/// The ledger sorted by founding date (成立日期) sorts on `COALESCE(founded_on, '')`
/// (`LedgerQuery.foundedOrEmpty`), and `organizations_founded` moves onto that expression.
///
/// On `founded_on` itself, an organization not founded yet (筹建, no date) had no place in a
/// page's cursor: the next page's row-value comparison with NULL matched none of them, so on
/// SQLite (NULLs last) they went missing after the first page, and on PostgreSQL (NULLs first)
/// everything after the first page did. An index serves an order only on the same expression.
struct IndexTheFoundingDateOrEmpty: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await recreate(on: database, indexing: "COALESCE(founded_on, '')")
    }

    func revert(on database: any Database) async throws {
        try await recreate(on: database, indexing: "founded_on")
    }

    private func recreate(on database: any Database, indexing expression: String) async throws {
        try await database.transaction { db in
            try await db.sql.raw("DROP INDEX IF EXISTS organizations_founded").run()
            try await db.sql.raw(SQLQueryString("CREATE INDEX organizations_founded ON organizations (\(unsafeRaw: expression), code)")).run()
        }
    }
}
