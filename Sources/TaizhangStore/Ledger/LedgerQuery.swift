import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// A filtered, sorted view of the ledger, read a page at a time with keyset pagination so
/// the millionth row costs what the first does.
public struct LedgerFilter: Sendable, Hashable {
    /// Where to search.
    public var scope: Scope
    public var stages: [Stage] = []
    public var orgType: String?
    public var unitCategory: String?
    public var buildMode: String?
    public var guidance: GuidanceKind?
    public var dualManagement: Bool?
    public var brandActivity: BrandActivity?
    /// Part of the name, the code, or the secretary's name.
    public var text: String?
    public var foundedFrom: CalendarDay?
    public var foundedUntil: CalendarDay?
    /// Organizations whose league-member count is below this (e.g. 3 for thin branches).
    public var membersBelow: Int?
    /// Records in these review states (any when empty).
    public var reviewStates: [ReviewState] = []
    /// Only records a spot check found 不属实.
    public var refutedOnly = false

    public init(scope: Scope = .everywhere) {
        self.scope = scope
    }
}

public enum LedgerSort: String, Sendable, CaseIterable {
    /// By township (in tree order), then code: the ledger as the report lists it.
    case ledger
    case name
    case recentlyUpdated = "updated"
    case founded

    public var label: String {
        switch self {
        case .ledger: "按乡镇"
        case .name: "按名称"
        case .recentlyUpdated: "最近修改"
        case .founded: "成立日期"
        }
    }
}

public struct LedgerPage: Sendable {
    public var records: [OrganizationRecord]
    /// Pass back to get the next page; nil on the last page.
    public var nextCursor: String?
}

public enum LedgerQuery {
    /// `text`: how the rows holding the filter's text are found (`LedgerTextSearch.plan`).
    static func apply(_ filter: LedgerFilter, text: LedgerTextSearch.Plan, to builder: any SQLPredicateBuilder) {
        builder.whereInside(filter.scope, SQLColumn("division_path"))
        if !filter.stages.isEmpty { _ = builder.where("stage", .in, filter.stages.map(\.rawValue)) }
        if let value = filter.orgType { _ = builder.where("org_type", .equal, value) }
        if let value = filter.unitCategory { _ = builder.where("unit_category", .equal, value) }
        if let value = filter.buildMode { _ = builder.where("build_mode", .equal, value) }
        if let value = filter.guidance { _ = builder.where("guidance", .equal, value.rawValue) }
        if let value = filter.dualManagement { _ = builder.where("dual_management", .equal, value) }
        if let value = filter.brandActivity { _ = builder.where("brand_activities", .like, "%\(value.rawValue)%") }
        // On the sort's expression, so that its index serves these too; a day is never '', and
        // "until" leaves out organizations with no founding date as `founded_on <= day` did.
        if let value = filter.foundedFrom { _ = builder.where(foundedOrEmpty, .greaterThanOrEqual, SQLBind(value.description)) }
        if let value = filter.foundedUntil {
            _ = builder.where(foundedOrEmpty, .greaterThan, SQLLiteral.string(""))
            _ = builder.where(foundedOrEmpty, .lessThanOrEqual, SQLBind(value.description))
        }
        if let value = filter.membersBelow { _ = builder.where("member_count", .lessThan, value) }
        if !filter.reviewStates.isEmpty { _ = builder.where("review_state", .in, filter.reviewStates.map(\.rawValue)) }
        if filter.refutedOnly { _ = builder.where("refuted_on", .isNot, SQLLiteral.null) }
        LedgerTextSearch.apply(filter, plan: text, to: builder)
    }

    /// One page of `limit` records after `cursor`.
    public static func page(
        _ filter: LedgerFilter, sort: LedgerSort, after cursor: String?, limit: Int, on db: any Database
    ) async throws -> LedgerPage {
        let (rows, next) = try await rows(filter, sort: sort, after: cursor, limit: limit, on: db, columns: OrganizationRow.selectList) {
            try OrganizationRow(reading: $0)
        } keys: { row, seconds in
            keyValues(sort, SortedBy(divisionPath: row.divisionPath, code: row.code, nameSort: row.nameSort, foundedOn: row.foundedOn,
                                     updatedSeconds: seconds ?? row.updatedAt.timeIntervalSince1970))
        }
        return LedgerPage(records: rows.map(\.record), nextCursor: next)
    }

    /// Up to `limit` rows after `cursor`, each read by `read` from a select of `columns`, and the
    /// cursor of the next page (from the last row's `keys`; nil on the last page).
    static func rows<Row: Sendable>(
        _ filter: LedgerFilter, sort: LedgerSort, after cursor: String?, limit: Int, on db: any Database, columns: SQLRaw,
        read: @escaping @Sendable (any ColumnReader) throws -> Row, keys: (Row, _ updatedSeconds: Double?) -> [CursorValue]
    ) async throws -> (rows: [Row], next: String?) {
        let select = try await pageSelect(filter, sort: sort, after: cursor, limit: limit, on: db, columns: columns)
        let isSQLite = db.isSQLite
        var raw = try await ResultRows.all(select.query, on: db) { row in
            (row: try read(row), seconds: isSQLite ? try row.double("cursor_seconds") : nil)
        }
        var next: String?
        if raw.count > limit {
            raw.removeLast(raw.count - limit)
            if let last = raw.last { next = encodeCursor(keys(last.row, last.seconds)) }
        }
        return (raw.map(\.row), next)
    }

    /// The select of `rows`: `columns` of the rows after `cursor` in `sort`'s order, one more than `limit`.
    static func pageSelect(
        _ filter: LedgerFilter, sort: LedgerSort, after cursor: String?, limit: Int, on db: any Database, columns: SQLRaw
    ) async throws -> SQLSelectBuilder {
        let select = db.sql.select().column(columns).from("organizations")
        apply(filter, text: try await LedgerTextSearch.plan(filter, on: db), to: select)
        let sortKeys = sortKeys(sort)
        if let cursor, let values = decodeCursor(cursor, timesAsSeconds: db.isSQLite), values.count == sortKeys.count {
            // Row-value comparison: (a, b) > (x, y), mirrored for descending sorts.
            let columns = SQLGroupExpression(sortKeys.map(\.expression))
            let binds = SQLGroupExpression(values.map { SQLBind($0) as any SQLExpression })
            select.where(columns, sortKeys[0].descending ? .lessThan : .greaterThan, binds)
            // SQLite seeks an index by a row value only on plain columns: on an expression's
            // index it read every entry before the cursor (160 ms two million entries in). The
            // first key alone, bounded, is what it seeks by there.
            if sortKeys[0].isExpression, let first = values.first {
                select.where(sortKeys[0].expression, sortKeys[0].descending ? .lessThanOrEqual : .greaterThanOrEqual, SQLBind(first))
            }
        }
        for key in sortKeys { select.orderBy(SQLOrderBy(expression: key.expression, direction: key.descending ? SQLDirection.descending : .ascending)) }
        select.limit(limit + 1)
        // The time a cursor holds is read as stored (seconds on SQLite), never via Date.
        if db.isSQLite { select.column(SQLColumn("updated_at"), as: "cursor_seconds") }
        return select
    }

    /// How many records match, counting at most `cap` (a page says "10000+" beyond it
    /// rather than scanning a million rows).
    public static func count(_ filter: LedgerFilter, cap: Int, on db: any Database) async throws -> Int {
        let inner = SQLSubqueryBuilder()
        _ = inner.column(SQLLiteral.numeric("1")).from("organizations")
        apply(filter, text: try await LedgerTextSearch.plan(filter, on: db), to: inner)
        _ = inner.limit(cap)
        let row = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(inner.query, as: SQLIdentifier("matching")).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Every matching record in ledger order, a batch at a time (for export).
    public static func forEach(
        _ filter: LedgerFilter, batchSize: Int = 2000, on db: any Database, _ body: ([OrganizationRecord]) async throws -> Void
    ) async throws {
        var cursor: String?
        repeat {
            let page = try await page(filter, sort: .ledger, after: cursor, limit: batchSize, on: db)
            try await body(page.records)
            cursor = page.nextCursor
        } while cursor != nil
    }

    struct SortKey {
        var expression: any SQLExpression
        var descending: Bool

        /// Not a column of the table: an expression with an index of its own.
        var isExpression: Bool { !(expression is SQLColumn) }
    }

    /// The founding date, or '' for an organization not founded yet: what the ledger sorts by
    /// (with an index on it, migration 032). Sorted and compared as `founded_on` itself, an
    /// organization without a date had no place in the order: a page's cursor (a row value
    /// holding NULL) matched none of them, so after the first page they went missing.
    static let foundedOrEmpty = SQLFunction("COALESCE", args: SQLColumn("founded_on"), SQLLiteral.string(""))

    static func sortKeys(_ sort: LedgerSort) -> [SortKey] {
        func column(_ name: String, descending: Bool) -> SortKey { SortKey(expression: SQLColumn(name), descending: descending) }
        return switch sort {
        case .ledger: [column("division_path", descending: false), column("code", descending: false)]
        case .name: [column("name_sort", descending: false), column("code", descending: false)]
        case .recentlyUpdated: [column("updated_at", descending: true), column("code", descending: true)]
        case .founded: [SortKey(expression: foundedOrEmpty, descending: true), column("code", descending: true)]
        }
    }

    /// What a row is sorted by, as stored.
    struct SortedBy {
        var divisionPath: String
        var code: String
        var nameSort: String
        var foundedOn: String?
        var updatedSeconds: Double
    }

    static func keyValues(_ sort: LedgerSort, _ row: SortedBy) -> [CursorValue] {
        switch sort {
        case .ledger: [.text(row.divisionPath), .text(row.code)]
        case .name: [.text(row.nameSort), .text(row.code)]
        case .recentlyUpdated: [.time(row.updatedSeconds), .text(row.code)]
        case .founded: [.text(row.foundedOn ?? ""), .text(row.code)]
        }
    }

    enum CursorValue: Codable, Sendable {
        case text(String)
        case time(Double)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let value): try container.encode(value)
            case .time(let value): try container.encode(value)
            }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Double.self) { self = .time(value) } else { self = .text(try container.decode(String.self)) }
        }
    }

    static func encodeCursor(_ values: [CursorValue]) -> String {
        let data = (try? JSONEncoder().encode(values)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// The bind values of a cursor. SQLite keeps times as seconds since 1970 (a Double), and
    /// a Date would not survive the trip through its 2001-based storage bit for bit, so the
    /// seconds are bound as they are; PostgreSQL compares timestamps.
    static func decodeCursor(_ text: String, timesAsSeconds: Bool) -> [any Encodable & Sendable]? {
        let base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(base64Encoded: base64), let values = try? JSONDecoder().decode([CursorValue].self, from: data) else {
            return nil
        }
        return values.map { value -> any Encodable & Sendable in
            switch value {
            case .text(let text): text
            case .time(let seconds): timesAsSeconds ? seconds : Date(timeIntervalSince1970: seconds)
            }
        }
    }
}
