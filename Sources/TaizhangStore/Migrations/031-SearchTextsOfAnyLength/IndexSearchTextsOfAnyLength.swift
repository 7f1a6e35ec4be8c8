import FluentKit
import SQLKit

/// SQLite: the search index (`organization_search`, migration 027) finds texts of one and two
/// characters too — a surname, a two-character place or person's name.
///
/// A trigram index holds no term for a text shorter than three characters, and FTS5 will not
/// look such a text up. Every value is now indexed with two marks (U+0001, which no search text
/// contains: `LedgerTextSearch` sends such texts to the scan) after its last character, so that
/// every character of a value begins at least one of its trigrams. The rows holding a text of one
/// or two characters are then those of the terms that begin with it — a range of terms, read
/// through `organization_search_terms`, an `fts5vocab` table listing each term's instances
/// (row, column, offset). Texts of three characters or more are looked up as before.
///
/// The index's content is the view `organization_search_text` (the three columns with their
/// marks), so that FTS5's own `rebuild` and `integrity-check` read what the triggers write.
/// One transaction: a crash leaves the index of migration 027 or this one, never half of either.
///
/// PostgreSQL: `pg_trgm` cannot look up a text shorter than three characters either (the `LIKE`
/// read every row). `organizations_search_grams` is a GIN index of every character and every
/// pair of consecutive characters of the three columns, joined by U+0001
/// (`taizhang_search_grams`), which the search asks for a text of one or two characters.
struct IndexSearchTextsOfAnyLength: AsyncMigration {
    /// The columns searched. Frozen: the list as of this migration.
    static let columns = ["name", "code", "secretary_name"]
    /// Each value's marks. Frozen.
    static let marks = "char(1, 1)"

    /// PostgreSQL: the indexed expression, as the search writes it. Frozen.
    static let gramsOfTheSearchedColumns = "taizhang_search_grams(name || chr(1) || code || chr(1) || coalesce(secretary_name, ''))"

    func prepare(on database: any Database) async throws {
        guard database.sql.dialect.name == "sqlite" else {
            try await database.transaction { db in
                // Immutable: `string_to_array`, `substr` and `char_length` depend on no setting.
                try await db.sql.raw("""
                    CREATE FUNCTION taizhang_search_grams(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                    SELECT string_to_array($1, NULL) || ARRAY(SELECT substr($1, i, 2) FROM generate_series(1, char_length($1) - 1) AS i) $$
                    """).run()
                try await db.sql.raw(SQLQueryString(
                    "CREATE INDEX organizations_search_grams ON organizations USING gin (\(unsafeRaw: Self.gramsOfTheSearchedColumns))")).run()
            }
            return
        }
        try await database.transaction { db in
            let sql = db.sql
            try await Self.dropIndex(on: sql)
            let marked = Self.columns.map { "\($0) || \(Self.marks) AS \($0)" }.joined(separator: ", ")
            try await sql.raw(SQLQueryString(
                "CREATE VIEW organization_search_text AS SELECT rowid AS rowid, \(unsafeRaw: marked) FROM organizations")).run()
            let list = Self.columns.joined(separator: ", ")
            try await sql.raw(SQLQueryString("""
                CREATE VIRTUAL TABLE organization_search USING fts5(\(unsafeRaw: list), content='organization_search_text', content_rowid='rowid', \
                tokenize='trigram')
                """)).run()
            try await sql.raw("INSERT INTO organization_search(organization_search) VALUES ('rebuild')").run()
            try await sql.raw("CREATE VIRTUAL TABLE organization_search_terms USING fts5vocab(organization_search, instance)").run()
            let new = Self.columns.map { "NEW.\($0) || \(Self.marks)" }.joined(separator: ", ")
            let old = Self.columns.map { "OLD.\($0) || \(Self.marks)" }.joined(separator: ", ")
            let changed = Self.columns.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
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
        }
    }

    func revert(on database: any Database) async throws {
        guard database.sql.dialect.name == "sqlite" else {
            try await database.transaction { db in
                try await db.sql.raw("DROP INDEX IF EXISTS organizations_search_grams").run()
                try await db.sql.raw("DROP FUNCTION IF EXISTS taizhang_search_grams(text)").run()
            }
            return
        }
        try await database.transaction { db in
            try await Self.dropIndex(on: db.sql)
            try await CreateOrganizationSearch().prepare(on: db)
        }
    }

    /// Drops the search index of either shape: its triggers, its term list, itself and its content view.
    private static func dropIndex(on sql: any SQLDatabase) async throws {
        for event in ["insert", "delete", "update"] {
            try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS organization_search_\(unsafeRaw: event)")).run()
        }
        try await sql.raw("DROP TABLE IF EXISTS organization_search_terms").run()
        try await sql.raw("DROP TABLE IF EXISTS organization_search").run()
        try await sql.raw("DROP VIEW IF EXISTS organization_search_text").run()
    }
}
