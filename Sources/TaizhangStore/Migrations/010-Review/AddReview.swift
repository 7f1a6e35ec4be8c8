import FluentKit
import SQLKit

/// The two-level review (核查) and sign-offs (签字确认):
/// - each organization's review state, who created and last changed it (four eyes), what it
///   looked like when last confirmed, the sign-off that locks it, and the day a spot check found
///   it 不属实;
/// - its review history;
/// - the city's sign-offs of a county's ledger;
/// - a review key in the running counts (every existing record is 待县核实), so a campaign can
///   count only confirmed records and still read a few hundred rows;
/// - the campaign's confirmation rule (none: every 已建立 record counts, as before).
struct AddReview: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        for column in ["review_state TEXT NOT NULL DEFAULT 'pending'", "review_reason TEXT", "created_by TEXT", "changed_by TEXT",
                       "confirmed_fields TEXT", "confirmed_by TEXT", "signoff_id INTEGER", "refuted_on TEXT"] {
            try await sql.raw("ALTER TABLE organizations ADD COLUMN \(unsafeRaw: column)").run()
        }
        // The verifier's queue: a state inside a subtree, in ledger order.
        try await sql.create(index: "organizations_review_path").on("organizations")
            .column("review_state").column("division_path").column("code").run()
        try await sql.create(index: "organizations_signoff").on("organizations").column("signoff_id").run()

        try await database.schema("organization_review_events")
            .field("id", .uuid, .identifier(auto: false))
            .field("organization_code", .string, .required, .references("organizations", "code"))
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .field("reason", .string)
            .field("actor_id", .string)
            .field("actor_name", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await sql.create(index: "organization_review_events_org").on("organization_review_events")
            .column("organization_code").column("recorded_at").run()

        try await database.schema("signoffs")
            .field("id", .int, .identifier(auto: true))
            .field("county_code", .string, .required)
            .field("county_path", .string, .required)
            .field("as_of", .string, .required)
            .field("org_count", .int, .required)
            // The confirmed organizations' codes, sorted, one per line; sha256 is of that text.
            .field("codes", .string, .required)
            .field("sha256", .string, .required)
            .field("signed_by_id", .string)
            .field("signed_by", .string, .required)
            .field("signed_at", .datetime, .required)
            .field("reopened_by", .string)
            .field("reopened_at", .datetime)
            .field("reopen_reason", .string)
            .create()
        try await sql.create(index: "signoffs_county").on("signoffs").column("county_path").column("as_of").run()

        try await sql.raw("ALTER TABLE campaigns ADD COLUMN confirmation TEXT NOT NULL DEFAULT 'none'").run()

        // The running counts gain a review key. Their primary keys change, so SQLite copies
        // them into new tables; PostgreSQL swaps the key in place.
        let tables = [("ledger_daily_counts", "division_code, stage, guidance, founded_on"),
                      ("ledger_mix_counts", "division_code, stage, guidance, unit_category, build_mode")]
        for (table, key) in tables {
            if database.isSQLite {
                let columns = table == "ledger_daily_counts"
                    ? "division_code TEXT NOT NULL, stage TEXT NOT NULL, guidance TEXT NOT NULL, founded_on TEXT NOT NULL"
                    : "division_code TEXT NOT NULL, stage TEXT NOT NULL, guidance TEXT NOT NULL, unit_category TEXT NOT NULL, build_mode TEXT NOT NULL"
                try await sql.raw("ALTER TABLE \(unsafeRaw: table) RENAME TO \(unsafeRaw: table)_009").run()
                try await sql.raw("""
                    CREATE TABLE \(unsafeRaw: table) (\(unsafeRaw: columns), review TEXT NOT NULL DEFAULT 'pending',
                    count INTEGER NOT NULL, PRIMARY KEY (\(unsafeRaw: key), review)) WITHOUT ROWID
                    """).run()
                try await sql.raw("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: key), review, count) SELECT \(unsafeRaw: key), 'pending', count FROM \(unsafeRaw: table)_009").run()
                try await sql.raw("DROP TABLE \(unsafeRaw: table)_009").run()
            } else {
                try await sql.raw("ALTER TABLE \(unsafeRaw: table) ADD COLUMN review TEXT NOT NULL DEFAULT 'pending'").run()
                try await sql.raw("ALTER TABLE \(unsafeRaw: table) DROP CONSTRAINT \(unsafeRaw: table)_pkey").run()
                try await sql.raw("ALTER TABLE \(unsafeRaw: table) ADD PRIMARY KEY (\(unsafeRaw: key), review)").run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        throw MigrationRevertRefused(migration: "010 AddReview")
    }
}

/// Some migrations cannot be undone without losing what was recorded after them.
struct MigrationRevertRefused: Error, CustomStringConvertible {
    var migration: String
    var description: String { "迁移 \(migration) 不能撤销：撤销会丢失其后记录的核查数据，请从备份恢复" }
}
