import FluentKit
import SQLKit

/// An index for finding organizations by any part of their name, code or secretary's name.
///
/// SQLite: `organization_search`, an FTS5 table with the trigram tokenizer over the three columns
/// of `organizations` (external content, keyed by its rowid), kept in step by triggers in the
/// same transaction as every write. A search of three characters or more is answered from it.
///
/// PostgreSQL: `pg_trgm` GIN indexes on the three columns, which the planner uses for the same
/// `LIKE '%…%'` the search has always run. Chinese characters form trigrams only when the
/// database's LC_CTYPE is a UTF-8 locale (the README's set-up creates it with `C.UTF-8`); under
/// the plain C locale the indexes stay correct but do not help with Chinese text.
struct CreateOrganizationSearch: AsyncMigration {
    /// The columns searched. Frozen: the list as of this migration.
    static let columns = ["name", "code", "secretary_name"]

    func prepare(on database: any Database) async throws {
        // One transaction: no write between the index's rebuild and its triggers goes unindexed,
        // and a crash leaves nothing half made.
        try await database.transaction { db in try await create(on: db) }
    }

    private func create(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "sqlite" {
            let list = Self.columns.joined(separator: ", ")
            let new = Self.columns.map { "NEW.\($0)" }.joined(separator: ", ")
            let old = Self.columns.map { "OLD.\($0)" }.joined(separator: ", ")
            let changed = Self.columns.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            try await sql.raw(SQLQueryString("""
                CREATE VIRTUAL TABLE organization_search USING fts5(\(unsafeRaw: list), content='organizations', content_rowid='rowid', \
                tokenize='trigram')
                """)).run()
            try await sql.raw(SQLQueryString("INSERT INTO organization_search(organization_search) VALUES ('rebuild')")).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER organization_search_insert AFTER INSERT ON organizations BEGIN
                INSERT INTO organization_search(rowid, \(unsafeRaw: list)) VALUES (NEW.rowid, \(unsafeRaw: new)); END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER organization_search_delete AFTER DELETE ON organizations BEGIN
                INSERT INTO organization_search(organization_search, rowid, \(unsafeRaw: list)) VALUES ('delete', OLD.rowid, \(unsafeRaw: old)); END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER organization_search_update AFTER UPDATE ON organizations WHEN \(unsafeRaw: changed) BEGIN
                INSERT INTO organization_search(organization_search, rowid, \(unsafeRaw: list)) VALUES ('delete', OLD.rowid, \(unsafeRaw: old));
                INSERT INTO organization_search(rowid, \(unsafeRaw: list)) VALUES (NEW.rowid, \(unsafeRaw: new)); END
                """)).run()
        } else {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            // Wherever the extension was installed, which need not be on this connection's search path.
            let installed = try await sql.raw("""
                SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'
                """).first()
            let schema = try installed?.decode(column: "schema", as: String.self) ?? "public"
            for column in Self.columns {
                try await sql.raw(SQLQueryString("""
                    CREATE INDEX organizations_\(unsafeRaw: column)_trigram ON organizations USING gin (\(unsafeRaw: column) \(ident: schema).gin_trgm_ops)
                    """)).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { db in try await drop(on: db) }
    }

    private func drop(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "sqlite" {
            for event in ["insert", "delete", "update"] {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS organization_search_\(unsafeRaw: event)")).run()
            }
            try await sql.raw("DROP TABLE IF EXISTS organization_search").run()
        } else {
            for column in Self.columns {
                try await sql.raw(SQLQueryString("DROP INDEX IF EXISTS organizations_\(unsafeRaw: column)_trigram")).run()
            }
        }
    }
}
