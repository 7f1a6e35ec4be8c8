import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// A filtered, sorted view of the ledger, read a page at a time with keyset pagination so
/// the millionth row costs what the first does.
public struct LedgerFilter: Sendable, Equatable {
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
        if let value = filter.foundedFrom { _ = builder.where("founded_on", .greaterThanOrEqual, value.description) }
        if let value = filter.foundedUntil { _ = builder.where("founded_on", .lessThanOrEqual, value.description) }
        if let value = filter.membersBelow { _ = builder.where("member_count", .lessThan, value) }
        if !filter.reviewStates.isEmpty { _ = builder.where("review_state", .in, filter.reviewStates.map(\.rawValue)) }
        if filter.refutedOnly { _ = builder.where("refuted_on", .isNot, SQLLiteral.null) }
        LedgerTextSearch.apply(filter, plan: text, to: builder)
    }

    /// One page of `limit` records after `cursor`.
    public static func page(
        _ filter: LedgerFilter, sort: LedgerSort, after cursor: String?, limit: Int, on db: any Database
    ) async throws -> LedgerPage {
        let select = db.sql.select().column(OrganizationRow.selectList).from("organizations")
        apply(filter, text: try await LedgerTextSearch.plan(filter, on: db), to: select)
        let keys = sortKeys(sort)
        if let cursor, let values = decodeCursor(cursor, timesAsSeconds: db.isSQLite), values.count == keys.count {
            // Row-value comparison: (a, b) > (x, y), mirrored for descending sorts.
            let columns = SQLGroupExpression(keys.map { SQLColumn($0.column) as any SQLExpression })
            let binds = SQLGroupExpression(values.map { SQLBind($0) as any SQLExpression })
            select.where(columns, keys[0].descending ? .lessThan : .greaterThan, binds)
        }
        for key in keys { select.orderBy(key.column, key.descending ? .descending : .ascending) }
        select.limit(limit + 1)
        // The time a cursor holds is read as stored (seconds on SQLite), never via Date.
        if db.isSQLite { select.column(SQLColumn("updated_at"), as: "cursor_seconds") }
        let isSQLite = db.isSQLite
        let raw = try await ResultRows.all(select.query, on: db) { row in
            (row: try OrganizationRow(reading: row), seconds: isSQLite ? try row.double("cursor_seconds") : nil)
        }
        var records: [OrganizationRecord] = []
        var next: String?
        for (index, row) in raw.enumerated() {
            guard index < limit else { break }
            records.append(row.row.record)
            if index == limit - 1, raw.count > limit {
                next = encodeCursor(keyValues(sort, row.row, updatedSeconds: row.seconds ?? row.row.updatedAt.timeIntervalSince1970))
            }
        }
        return LedgerPage(records: records, nextCursor: next)
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
        var column: String
        var descending: Bool
    }

    static func sortKeys(_ sort: LedgerSort) -> [SortKey] {
        switch sort {
        case .ledger: [SortKey(column: "division_path", descending: false), SortKey(column: "code", descending: false)]
        case .name: [SortKey(column: "name_sort", descending: false), SortKey(column: "code", descending: false)]
        case .recentlyUpdated: [SortKey(column: "updated_at", descending: true), SortKey(column: "code", descending: true)]
        case .founded: [SortKey(column: "founded_on", descending: true), SortKey(column: "code", descending: true)]
        }
    }

    static func keyValues(_ sort: LedgerSort, _ row: OrganizationRow, updatedSeconds: Double) -> [CursorValue] {
        switch sort {
        case .ledger: [.text(row.divisionPath), .text(row.code)]
        case .name: [.text(row.nameSort), .text(row.code)]
        case .recentlyUpdated: [.time(updatedSeconds), .text(row.code)]
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
