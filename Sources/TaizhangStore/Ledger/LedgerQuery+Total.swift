import FluentKit
import SQLKit
import TaizhangCore

/// How many records a ledger filter matches.
public struct LedgerTotal: Sendable, Equatable {
    public var count: Int
    /// True when counting stopped at the cap: there are more than `count`.
    public var isCapped: Bool
    /// True when the number was read from the running counts rather than counted row by row.
    public var isFromRunningCounts: Bool
}

extension LedgerQuery {
    /// How many records match. When the filter asks only what the running counts key
    /// (where, stage, guidance kind, unit category, build mode, 抽查不属实), the exact number is
    /// read from them, a few rows whatever the size of the ledger; any other filter is
    /// counted row by row up to `cap`.
    public static func total(_ filter: LedgerFilter, cap: Int, on db: any Database) async throws -> LedgerTotal {
        if let exact = try await totalFromRunningCounts(filter, on: db) {
            return LedgerTotal(count: exact, isCapped: false, isFromRunningCounts: true)
        }
        let counted = try await count(filter, cap: cap + 1, on: db)
        return LedgerTotal(count: min(counted, cap), isCapped: counted > cap, isFromRunningCounts: false)
    }

    /// Whether the running counts (`ledger_mix_counts`) can answer the filter exactly.
    static func runningCountsCover(_ filter: LedgerFilter) -> Bool {
        filter.orgType == nil && filter.dualManagement == nil && filter.brandActivity == nil && filter.text?.nilIfBlank == nil
            && filter.foundedFrom == nil && filter.foundedUntil == nil && filter.membersBelow == nil
            // The counts key a refuted record as 'refuted', not by its review state.
            && filter.reviewStates.isEmpty
    }

    /// The exact number from the running counts, or nil when they cannot answer the filter.
    static func totalFromRunningCounts(_ filter: LedgerFilter, on db: any Database) async throws -> Int? {
        guard runningCountsCover(filter) else { return nil }
        // Every organization is counted once in its top-level division, and scope roots are
        // disjoint subtrees, so their counts add up.
        let divisions: [any SQLExpression]
        switch filter.scope {
        case .everywhere:
            // The top-level divisions, asked in the same statement (a statement costs a request
            // more than the few rows it reads).
            divisions = [SQLGroupExpression(db.sql.select().column("code").from("divisions").where("parent_code", .is, SQLLiteral.null).query)]
        case .within(let roots):
            let codes = roots.compactMap(\.code)
            guard !codes.isEmpty else { return 0 }
            divisions = codes.chunked(500).map { SQLGroupExpression($0.map { SQLBind($0) }) }
        }
        var total = 0
        for chunk in divisions {
            var query = db.sql.select().column(LedgerCounts.sumOfCounts, as: "n").from(LedgerCounts.mixTable)
                .where(SQLIdentifier("division_code"), .in, chunk)
            if !filter.stages.isEmpty { query = query.where("stage", .in, filter.stages.map(\.rawValue)) }
            if let value = filter.guidance { query = query.where("guidance", .equal, value.rawValue) }
            if let value = filter.unitCategory { query = query.where("unit_category", .equal, value) }
            if let value = filter.buildMode { query = query.where("build_mode", .equal, value) }
            if filter.refutedOnly { query = query.where("review", .equal, CountedReview.refuted.rawValue) }
            // SUM over no rows is NULL.
            total += try await query.first()?.decode(column: "n", as: Int?.self) ?? 0
        }
        return total
    }
}
