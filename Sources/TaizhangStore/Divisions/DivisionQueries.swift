import FluentKit
import SQLKit
import TaizhangCore

/// Read-side queries over the hierarchy. Each takes the database, so tests call them directly.
public enum DivisionQueries {
    public static func find(_ code: String, on database: any Database) async throws -> Division? {
        try await Division.find(code, on: database)
    }

    public static func require(_ code: String, on database: any Database) async throws -> Division {
        guard let division = try await find(code, on: database) else { throw Refusal.divisionNotFound(code) }
        return division
    }

    public static func children(of code: String, on database: any Database) async throws -> [Division] {
        try await Division.query(on: database).filter(\.$parentCode == code).sort(\.$id).all()
    }

    /// The ancestors of a division from the top down, read off its path.
    public static func ancestors(of division: Division, on database: any Database) async throws -> [Division] {
        let codes = DivisionPath.codes(in: division.path).dropLast()
        guard !codes.isEmpty else { return [] }
        let rows = try await Division.query(on: database).filter(\.$id ~~ Array(codes)).all()
        let byCode = Dictionary(uniqueKeysWithValues: rows.map { ($0.code, $0) })
        return codes.compactMap { byCode[$0] }
    }

    /// How many divisions of each level lie strictly below each of `divisions`.
    public static func descendantCounts(
        of divisions: [Division], on database: any Database
    ) async throws -> [String: [DivisionLevel: Int]] {
        var result: [String: [DivisionLevel: Int]] = [:]
        for division in divisions where division.level != .township {
            let (lower, upper) = DivisionPath.subtreeRange(of: division.path)
            let rows = try await database.sql.select()
                .column("level")
                .column(SQLFunction("count", args: SQLLiteral.all), as: "n")
                .from(Division.schema)
                .where("path", .greaterThan, SQLBind(lower))
                .where("path", .lessThan, SQLBind(upper))
                .groupBy("level")
                .all()
            var counts: [DivisionLevel: Int] = [:]
            for row in rows {
                if let level = DivisionLevel(rawValue: try row.decode(column: "level", as: String.self)) {
                    counts[level] = try row.decode(column: "n", as: Int.self)
                }
            }
            result[division.code] = counts
        }
        return result
    }

    /// Where the home page starts: the loaded regions, outermost only.
    public static func deploymentRoots(on database: any Database) async throws -> [Division] {
        let regions = try await DeploymentRegion.query(on: database).all().compactMap(\.id)
        let roots: [Division]
        if regions.contains(DivisionTable.nationalRegion) {
            roots = try await Division.query(on: database).filter(\.$parentCode == nil).sort(\.$id).all()
        } else {
            let rows = try await Division.query(on: database).filter(\.$id ~~ regions).sort(\.$id).all()
            roots = rows.filter { row in !rows.contains { DivisionPath($0.path).isAncestor(of: DivisionPath(row.path)) } }
        }
        return roots
    }

    /// Divisions whose name contains `text` (or whose code is `text`), shallow levels first.
    public static func search(_ text: String, limit: Int = 50, on database: any Database) async throws -> [Division] {
        let needle = text.trimmingCharacters(in: .whitespaces)
        guard !needle.isEmpty else { return [] }
        if let exact = try await find(needle, on: database) { return [exact] }
        let escaped = needle.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        let pattern = SQLList([SQLBind("%" + escaped + "%"), SQLRaw("ESCAPE '\\'")], separator: SQLRaw(" "))
        let codes = try await database.sql.select().column("code").from(Division.schema)
            .where(SQLBinaryExpression(SQLIdentifier("name"), .like, pattern))
            .orderBy(SQLFunction("length", args: SQLIdentifier("code")))
            .orderBy("code")
            .limit(limit)
            .all(decodingColumn: "code", as: String.self)
        let rows = try await Division.query(on: database).filter(\.$id ~~ codes).all()
        let order = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
        return rows.sorted { order[$0.code, default: 0] < order[$1.code, default: 0] }
    }
}

extension DivisionQueries {
    public struct TownshipLabel: Sendable, Decodable {
        public var code: String
        public var name: String
        public var countyName: String
        public var countyCode: String
    }

    /// Townships inside `scope` with their county's name, in tree order, at most `limit` (a
    /// form offers a list only for a city-sized scope).
    public static func townships(under scope: Scope, limit: Int = 1000, on db: any Database) async throws -> [TownshipLabel] {
        let select = db.sql.select()
            .column(SQLColumn("code", table: "t")).column(SQLColumn("name", table: "t"))
            .column(SQLColumn("name", table: "c"), as: "county_name").column(SQLColumn("code", table: "c"), as: "county_code")
            .from(SQLAlias(SQLIdentifier("divisions"), as: SQLIdentifier("t")))
            .join(SQLAlias(SQLIdentifier("divisions"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("parent_code", table: "t"), .equal, SQLColumn("code", table: "c"))
            .where(SQLColumn("level", table: "t"), .equal, SQLBind(DivisionLevel.township.rawValue))
        select.whereInside(scope, SQLColumn("path", table: "t"))
        return try await select.orderBy(SQLColumn("path", table: "t")).limit(limit)
            .all(decoding: TownshipLabel.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}
