import FluentKit
import SQLKit

/// A version per township of the ledger's records: `township_ledger_versions` (division_path, version),
/// raised by triggers whenever an organization in that township is added, removed, moved in or out,
/// or changes a column the red flags read. What is computed from one township's records alone (its
/// red flags) is kept under that number and recomputed only for the townships whose number moved,
/// whichever instance, command or hand-typed SQL wrote.
///
/// Review states, sign-off locks and other bookkeeping columns do not raise it.
struct CreateTownshipLedgerVersions: AsyncMigration {
    /// The columns that raise the version when an update changes them. Frozen: the list as of this migration.
    static let watchedColumns = ["name", "division_path", "org_type", "stage", "preparation_approved_on", "founded_on", "secretary_name",
                                 "secretary_phone", "acting_secretary_phone", "member_count", "youth_count", "created_at"]

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("CREATE TABLE township_ledger_versions (division_path TEXT PRIMARY KEY, version BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO township_ledger_versions (division_path, version) SELECT DISTINCT division_path, 1 FROM organizations").run()
        let changed = Self.watchedColumns.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
        if sql.dialect.name == "sqlite" {
            func raise(_ row: String) -> String {
                """
                INSERT INTO township_ledger_versions (division_path, version) VALUES (\(row).division_path, 1)
                ON CONFLICT (division_path) DO UPDATE SET version = version + 1;
                """
            }
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER township_ledger_version_insert AFTER INSERT ON organizations BEGIN \(unsafeRaw: raise("NEW")) END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER township_ledger_version_delete AFTER DELETE ON organizations BEGIN \(unsafeRaw: raise("OLD")) END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER township_ledger_version_update AFTER UPDATE ON organizations WHEN \(unsafeRaw: changed)
                BEGIN \(unsafeRaw: raise("NEW")) \(unsafeRaw: raise("OLD")) END
                """)).run()
        } else {
            // One statement trigger per event (PostgreSQL allows transition tables on one event only):
            // each raises every township its rows touched, once.
            let differs = Self.watchedColumns.map { "o.\($0) IS DISTINCT FROM n.\($0)" }.joined(separator: " OR ")
            try await sql.raw(SQLQueryString("""
                CREATE FUNCTION taizhang_raise_township_versions() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    INSERT INTO township_ledger_versions (division_path, version) SELECT DISTINCT division_path, 1 FROM new_rows
                    ON CONFLICT (division_path) DO UPDATE SET version = township_ledger_versions.version + 1;
                  ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO township_ledger_versions (division_path, version) SELECT DISTINCT division_path, 1 FROM old_rows
                    ON CONFLICT (division_path) DO UPDATE SET version = township_ledger_versions.version + 1;
                  ELSE
                    INSERT INTO township_ledger_versions (division_path, version)
                    SELECT DISTINCT path, 1 FROM (
                      SELECT n.division_path AS path FROM new_rows n JOIN old_rows o ON o.code = n.code WHERE \(unsafeRaw: differs)
                      UNION ALL
                      SELECT o.division_path FROM new_rows n JOIN old_rows o ON o.code = n.code WHERE \(unsafeRaw: differs)
                    ) touched
                    ON CONFLICT (division_path) DO UPDATE SET version = township_ledger_versions.version + 1;
                  END IF;
                  RETURN NULL;
                END $$
                """)).run()
            for (event, table) in [("INSERT", "NEW TABLE AS new_rows"), ("DELETE", "OLD TABLE AS old_rows"),
                                   ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows")] {
                try await sql.raw(SQLQueryString("""
                    CREATE TRIGGER township_ledger_version_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON organizations
                    REFERENCING \(unsafeRaw: table) FOR EACH STATEMENT EXECUTE FUNCTION taizhang_raise_township_versions()
                    """)).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for event in ["insert", "delete", "update"] {
            let on = sql.dialect.name == "sqlite" ? "" : " ON organizations"
            try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS township_ledger_version_\(unsafeRaw: event)\(unsafeRaw: on)")).run()
        }
        if sql.dialect.name != "sqlite" {
            try await sql.raw("DROP FUNCTION IF EXISTS taizhang_raise_township_versions()").run()
        }
        try await sql.raw("DROP TABLE IF EXISTS township_ledger_versions").run()
    }
}
