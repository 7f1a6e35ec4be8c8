import FluentKit
import SQLKit
import TaizhangCore

/// The ledger's text filter: any part of the name, the code or the secretary's name, as
/// `LIKE '%…%'` on the three columns — which decides what matches, on both databases.
///
/// On SQLite the trigram index `organization_search` (migration 027) finds the rows first when the
/// text has three characters or more and is rare: fewer than `indexedBelow` rows hold it. A text
/// found in many rows is left to the ordered scan, which fills a page after a few rows. Shorter
/// texts have no trigram and are scanned. On PostgreSQL the `pg_trgm` indexes serve the `LIKE`
/// itself, as the planner sees fit; the one on the code is on the expression `code || ''`
/// (migration 029), which the search therefore writes instead of the column.
enum LedgerTextSearch {
    /// How a query finds the rows holding the text.
    enum Plan {
        /// SQLite, text too short or too common for the search index: the `LIKE` alone.
        case scan
        /// SQLite: the search index finds the rows, the `LIKE` decides.
        case searchIndex
        /// PostgreSQL: the `LIKE` on the three columns, served by their trigram indexes.
        case trigramIndexes
    }

    static func plan(_ filter: LedgerFilter, on db: any Database) async throws -> Plan {
        guard db.isSQLite else { return .trigramIndexes }
        return try await usesIndex(filter, on: db) ? .searchIndex : .scan
    }

    /// Above this many rows the ordered scan is quicker than sorting what the index found.
    static let indexedBelow = 5_000

    /// The text as the filter matches it: `%` and `_` are taken as themselves by being left out.
    static func needle(_ text: String?) -> String? {
        guard let text = text?.nilIfBlank else { return nil }
        return text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }

    /// The FTS5 query for `needle`: one phrase (every trigram in a row, in order, in one column).
    static func phrase(_ needle: String) -> String {
        "\"" + needle.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether the search index should find the rows for this filter's text on `db`.
    static func usesIndex(_ filter: LedgerFilter, on db: any Database) async throws -> Bool {
        guard db.isSQLite, let needle = needle(filter.text), needle.unicodeScalars.count >= 3,
              // FTS5 reads a query only up to a NUL; such a text is left to the LIKE.
              !needle.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return false }
        let probe = try await db.sql.raw("""
            SELECT COUNT(*) AS n FROM (SELECT rowid FROM organization_search WHERE organization_search MATCH \(bind: phrase(needle)) \
            LIMIT \(literal: indexedBelow))
            """).first()
        return try (probe?.decode(column: "n", as: Int.self) ?? 0) < indexedBelow
    }

    /// Adds the text condition: the rows the search index found (when the plan says so), and the
    /// `LIKE` that decides.
    static func apply(_ filter: LedgerFilter, plan: Plan, to builder: any SQLPredicateBuilder) {
        guard let needle = needle(filter.text) else { return }
        if plan == .searchIndex {
            _ = builder.where(SQLQueryString(
                "organizations.rowid IN (SELECT rowid FROM organization_search WHERE organization_search MATCH \(bind: phrase(needle)))"))
        }
        let pattern = SQLBind("%" + needle + "%")
        // `code || ''` is the code, as the expression its trigram index holds on PostgreSQL.
        let code: any SQLExpression = plan == .trigramIndexes ? SQLRaw("(code || '')") : SQLColumn("code")
        _ = builder.where { group in
            group.orWhere(SQLColumn("name"), .like, pattern).orWhere(code, .like, pattern).orWhere(SQLColumn("secretary_name"), .like, pattern)
        }
    }
}
