import FluentKit
import SQLKit

/// PostgreSQL: the trigram index on the organization code moves onto the expression
/// `code || ''`, so that it serves the text search's `LIKE '%…%'` and nothing else.
///
/// `pg_trgm`'s operator class also answers `=`. Once a VACUUM had written the index's size into
/// it, the planner took it for a list of codes (`code IN (…)` of 500 codes, as imports and bulk
/// actions read organizations) instead of the primary key: 719 ms a list against 4.7 ms on
/// 50,000 organizations, and a 50,000-row re-import spent most of its time there. An index on
/// an expression serves only that expression, so lookups by code go to the primary key
/// whatever the statistics say; the search writes the expression (`LedgerTextSearch`).
///
/// SQLite: nothing (its search index is FTS5).
struct MoveCodeSearchIndexOntoAnExpression: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await recreate(on: database, indexing: "(code || '')")
    }

    func revert(on database: any Database) async throws {
        try await recreate(on: database, indexing: "code")
    }

    private func recreate(on database: any Database, indexing expression: String) async throws {
        guard database.sql.dialect.name != "sqlite" else { return }
        try await database.transaction { db in
            let sql = db.sql
            // Wherever migration 027 found the extension installed.
            let installed = try await sql.raw("""
                SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'
                """).first()
            let schema = try installed?.decode(column: "schema", as: String.self) ?? "public"
            try await sql.raw("DROP INDEX IF EXISTS organizations_code_trigram").run()
            try await sql.raw(SQLQueryString("""
                CREATE INDEX organizations_code_trigram ON organizations USING gin ((\(unsafeRaw: expression)) \(ident: schema).gin_trgm_ops)
                """)).run()
        }
    }
}
