import FluentKit
import SQLKit
import TaizhangCore

/// The ledger's text filter: any part of the name, the code or the secretary's name, as
/// `LIKE '%…%'` on the three columns — which decides what matches, on both databases.
///
/// On SQLite the trigram index `organization_search` (migrations 027 and 031) finds the rows first
/// when the text is rare: fewer than `indexedBelow` rows hold it. A text of three characters or
/// more is looked up as a phrase of trigrams; one of one or two characters as the range of terms
/// that begin with it (every value is indexed with two marks after it, so every character begins
/// a term). A text found in many rows is left to the ordered scan, which fills a page after a few
/// rows. On PostgreSQL the `pg_trgm` indexes serve the `LIKE` itself, as the planner sees fit; the
/// one on the code is on the expression `code || ''` (migration 029), which the search therefore
/// writes instead of the column. A text of one or two characters has no trigram; the search adds
/// that it is among the columns' characters and pairs (`organizations_search_grams`, migration
/// 031), which the planner may look up or not.
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

    /// How the search index finds the rows holding `needle`, or nil when it cannot: a text with a
    /// control character (FTS5 reads a query only up to a NUL, and the index's marks are U+0001),
    /// or a short one with a letter whose case FTS5 folds otherwise than ASCII's.
    static func indexedRows(_ needle: String) -> SQLQueryString? {
        let scalars = needle.unicodeScalars
        guard !scalars.isEmpty, !scalars.contains(where: { $0.value < 0x20 }) else { return nil }
        if scalars.count >= 3 {
            return "SELECT rowid FROM organization_search WHERE organization_search MATCH \(bind: phrase(needle))"
        }
        // The terms are folded to lower case; ASCII is folded here, and a short text with any
        // other cased letter is left to the scan.
        guard scalars.allSatisfy({ $0.isASCII || !$0.properties.changesWhenCaseMapped }) else { return nil }
        let first = needle.lowercased()
        // Every term of three characters that begins with the text, and none other.
        let last = first + String(repeating: "\u{10FFFF}", count: 3 - scalars.count)
        return "SELECT doc FROM organization_search_terms WHERE term >= \(bind: first) AND term <= \(bind: last)"
    }

    /// Whether the search index should find the rows for this filter's text on `db`: it can, and
    /// the text is in fewer than `indexedBelow` places.
    static func usesIndex(_ filter: LedgerFilter, on db: any Database) async throws -> Bool {
        guard db.isSQLite, let needle = needle(filter.text), let rows = indexedRows(needle) else { return false }
        let probe = try await db.sql.raw("SELECT COUNT(*) AS n FROM (\(rows) LIMIT \(literal: indexedBelow))").first()
        return try (probe?.decode(column: "n", as: Int.self) ?? 0) < indexedBelow
    }

    /// Adds the text condition: the rows the search index found (when the plan says so), and the
    /// `LIKE` that decides.
    static func apply(_ filter: LedgerFilter, plan: Plan, to builder: any SQLPredicateBuilder) {
        guard let needle = needle(filter.text) else { return }
        if plan == .searchIndex, let rows = indexedRows(needle) {
            _ = builder.where(SQLQueryString("organizations.rowid IN (\(rows))"))
        }
        if plan == .trigramIndexes, (1...2).contains(needle.unicodeScalars.count) {
            _ = builder.where(SQLQueryString(
                "\(unsafeRaw: IndexSearchTextsOfAnyLength.gramsOfTheSearchedColumns) @> ARRAY[\(bind: needle)]::text[]"))
        }
        let pattern = SQLBind("%" + needle + "%")
        // `code || ''` is the code, as the expression its trigram index holds on PostgreSQL.
        let code: any SQLExpression = plan == .trigramIndexes ? SQLRaw("(code || '')") : SQLColumn("code")
        _ = builder.where { group in
            group.orWhere(SQLColumn("name"), .like, pattern).orWhere(code, .like, pattern).orWhere(SQLColumn("secretary_name"), .like, pattern)
        }
    }
}
