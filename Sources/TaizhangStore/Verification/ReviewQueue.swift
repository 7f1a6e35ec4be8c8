import FluentKit
import SQLKit
import TaizhangCore

/// What a verifier has to do: the records in one review state inside their subtree (ended ones
/// — 撤销, 合并 — need no review, nor do those a spot check found 不属实), a page at a time in
/// ledger order, and how many each township has.
public enum ReviewQueue {
    public struct Filter: Sendable {
        public var scope: Scope
        public var state: ReviewState
        /// A township's code, or nil for all.
        public var township: String?

        public init(scope: Scope, state: ReviewState, township: String? = nil) {
            self.scope = scope
            self.state = state
            self.township = township
        }
    }

    static let ended = [Stage.dissolved.rawValue, Stage.merged.rawValue]

    /// Up to `limit` records after code `after` (keyset), in code order; or exactly `codes` when given.
    public static func page(_ filter: Filter, after: String? = nil, codes: [String]? = nil, limit: Int,
                            on db: any Database) async throws -> [OrganizationRecord] {
        var query = db.sql.select().columns(OrganizationRow.columns.map { SQLColumn($0) }).from("organizations")
            .where("review_state", .equal, filter.state.rawValue).whereInside(filter.scope, SQLColumn("division_path"))
            .where("stage", .notIn, ended).where("refuted_on", .is, SQLLiteral.null)
        if let township = filter.township { query = query.where("township_code", .equal, township) }
        if let after { query = query.where("code", .greaterThan, after) }
        if let codes { query = query.where("code", .in, codes) }
        return try await OrganizationRow.all(query.orderBy("code").limit(limit).query, on: db).map(\.record)
    }

    /// Records in the state per township inside the scope.
    public static func townshipCounts(_ filter: Filter, on db: any Database) async throws -> [String: Int] {
        struct Row: Decodable {
            var township_code: String
            var n: Int
        }
        let rows = try await db.sql.select().column("township_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("organizations").where("review_state", .equal, filter.state.rawValue).whereInside(filter.scope, SQLColumn("division_path"))
            .where("stage", .notIn, ended).where("refuted_on", .is, SQLLiteral.null).groupBy("township_code").all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.township_code, $0.n) })
    }

    /// Records by review key in some divisions, from the running counts (instant at any scale).
    public static func reviewCounts(divisions: [String], on db: any Database) async throws -> [CountedReview: Int] {
        struct Row: Decodable {
            var review: String
            var n: Int
        }
        let rows = try await db.sql.select().column("review").column(LedgerCounts.sumOfCounts, as: "n").from(LedgerCounts.mixTable)
            .where("division_code", .in, divisions).where("stage", .notIn, ended).groupBy("review").all(decoding: Row.self)
        return rows.reduce(into: [:]) { result, row in
            if let key = CountedReview(rawValue: row.review) { result[key, default: 0] += row.n }
        }
    }
}
