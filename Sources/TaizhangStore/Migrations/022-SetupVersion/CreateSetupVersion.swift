import FluentKit
import SQLKit

/// A second version number, `setup`, that only changes when what the application is *set up*
/// with changes — accounts and their grants, signed-in sessions and tokens ending, the division
/// table, the reference lists — and not on every ledger write as `all` does. Caches of those
/// (who a session belongs to, a division's path, the lists a form offers) then live across
/// the steady stream of ledger writes.
///
/// Triggers raise it, so no write can forget to: a store's, a command's, or SQL typed by hand.
/// A new session or token is not in any cache, nor is a session's or token's last-used time
/// part of what is cached, so those do not raise it.
struct CreateSetupVersion: AsyncMigration {
    /// (table, the events that raise the version). Frozen: the list as of this migration.
    static let watched: [(table: String, events: [String])] = [
        ("users", ["INSERT", "UPDATE", "DELETE"]),
        ("role_grants", ["INSERT", "UPDATE", "DELETE"]),
        ("user_sessions", ["UPDATE OF user_id, csrf_token, expires_at", "DELETE"]),
        ("api_tokens", ["UPDATE OF user_id, token_hash, revoked_at", "DELETE"]),
        ("divisions", ["INSERT", "UPDATE", "DELETE"]),
        ("reference_values", ["INSERT", "UPDATE", "DELETE"]),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("INSERT INTO data_version (name, value) VALUES ('setup', 1)").run()
        if sql.dialect.name == "sqlite" {
            // SQLite has only row triggers: one per table and event.
            for (table, events) in Self.watched {
                for (index, event) in events.enumerated() {
                    try await sql.raw(SQLQueryString("""
                        CREATE TRIGGER setup_version_\(unsafeRaw: table)_\(unsafeRaw: String(index)) AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                        BEGIN UPDATE data_version SET value = value + 1 WHERE name = 'setup'; END
                        """)).run()
                }
            }
        } else {
            try await sql.raw("""
                CREATE FUNCTION taizhang_raise_setup_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE data_version SET value = value + 1 WHERE name = 'setup'; RETURN NULL; END $$
                """).run()
            for (table, events) in Self.watched {
                let all = events.joined(separator: " OR ") + (events.contains("DELETE") ? " OR TRUNCATE" : "")
                try await sql.raw(SQLQueryString("""
                    CREATE TRIGGER setup_version_\(unsafeRaw: table) AFTER \(unsafeRaw: all) ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION taizhang_raise_setup_version()
                    """)).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "sqlite" {
            for (table, events) in Self.watched {
                for index in events.indices {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS setup_version_\(unsafeRaw: table)_\(unsafeRaw: String(index))")).run()
                }
            }
        } else {
            for (table, _) in Self.watched {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS setup_version_\(unsafeRaw: table) ON \(unsafeRaw: table)")).run()
            }
            try await sql.raw("DROP FUNCTION IF EXISTS taizhang_raise_setup_version()").run()
        }
        try await sql.raw("DELETE FROM data_version WHERE name = 'setup'").run()
    }
}
