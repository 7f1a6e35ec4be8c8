import FluentKit
import SQLKit

/// A third version number, `reminders`, raised whenever a reminder is added, removed, or read
/// or unread, so the header's unread count (收件箱) can be kept per user under it instead of
/// counted on every page. Reminders are written without raising `all` (they change nothing
/// another page shows), so that version cannot tell when the count changed.
///
/// Triggers raise it, as they do `setup` (`CreateSetupVersion`): no writer can forget to. Mail
/// delivery's own columns (state, attempts, claims) do not raise it: they change no count.
struct CreateReminderVersion: AsyncMigration {
    /// The events that raise the version. Frozen: the list as of this migration.
    static let events = ["INSERT", "UPDATE OF read_at, recipient_user_id", "DELETE"]

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("INSERT INTO data_version (name, value) VALUES ('reminders', 1)").run()
        if sql.dialect.name == "sqlite" {
            for (index, event) in Self.events.enumerated() {
                try await sql.raw(SQLQueryString("""
                    CREATE TRIGGER reminders_version_\(unsafeRaw: String(index)) AFTER \(unsafeRaw: event) ON reminders
                    BEGIN UPDATE data_version SET value = value + 1 WHERE name = 'reminders'; END
                    """)).run()
            }
        } else {
            try await sql.raw("""
                CREATE FUNCTION taizhang_raise_reminders_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE data_version SET value = value + 1 WHERE name = 'reminders'; RETURN NULL; END $$
                """).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER reminders_version AFTER \(unsafeRaw: Self.events.joined(separator: " OR ")) OR TRUNCATE ON reminders
                FOR EACH STATEMENT EXECUTE FUNCTION taizhang_raise_reminders_version()
                """)).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "sqlite" {
            for index in Self.events.indices {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS reminders_version_\(unsafeRaw: String(index))")).run()
            }
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS reminders_version ON reminders").run()
            try await sql.raw("DROP FUNCTION IF EXISTS taizhang_raise_reminders_version()").run()
        }
        try await sql.raw("DELETE FROM data_version WHERE name = 'reminders'").run()
    }
}
