import FluentKit
import SQLKit
import TaizhangCore

/// Organization codes: each township gives its organizations `township-NNNN` in sequence, and an
/// organization keeps its code wherever it moves.
extension OrganizationStore {
    /// The record's township (checked to be one) and its next free code, after refusing a name
    /// another active organization there already has. One statement, as a create runs it on
    /// SQLite's one writer: the township, joined to the organizations in it and to those whose
    /// code it gave (an organization moved away keeps its code, so the township must not give
    /// that code again; one moved in brings another township's code).
    static func townshipAndNextCode(_ fields: OrganizationFields, on db: any Database) async throws -> (Township, String) {
        let code = fields.townshipCode
        let query = db.sql.select()
            .column(SQLColumn("name", table: "d"), as: "township_name").column(SQLColumn("level", table: "d"))
            .column(SQLColumn("path", table: "d"))
            .column(SQLColumn("code", table: "o")).column(SQLColumn("name", table: "o")).column(SQLColumn("stage", table: "o"))
            .column(SQLColumn("township_code", table: "o"))
            .from(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLBinaryExpression(SQLBinaryExpression(SQLColumn("township_code", table: "o"), .equal, SQLBind(code)),
                                          .or, codesGiven(by: code, column: SQLColumn("code", table: "o"))))
            .where(SQLColumn("code", table: "d"), .equal, SQLBind(code))
            .query
        let rows = try await ResultRows.all(query, on: db) { row in
            (townshipName: try row.string("township_name"), level: try row.string("level"), path: try row.string("path"),
             code: try row.optionalString("code"), name: try row.optionalString("name"), stage: try row.optionalString("stage"),
             township: try row.optionalString("township_code"))
        }
        guard let first = rows.first else { throw Township.notFound(code) }
        let township = try Township(code: code, name: first.townshipName, level: first.level, path: first.path)
        let organizations = rows.compactMap { row in
            row.code.map { (code: $0, name: row.name ?? "", stage: row.stage ?? "", township: row.township ?? "") }
        }
        let key = TownshipResolver.key(fields.name)
        let ended: Set<String> = [Stage.dissolved.rawValue, Stage.merged.rawValue]
        if let other = organizations.first(where: { $0.township == code && !ended.contains($0.stage) && TownshipResolver.key($0.name) == key }) {
            throw Refusal("团组织名称：本乡镇已有「\(fields.name)」（编码 \(other.code)）", kind: .conflict)
        }
        let last = organizations.filter { $0.code.hasPrefix(code + "-") }.compactMap { sequenceNumber(of: $0.code) }.max() ?? 0
        return (township, codes(township: code, from: last + 1, count: 1)[0])
    }

    /// The codes a township gave, `township-…`, as a range of the code's index ("." follows "-").
    fileprivate static func codesGiven(by township: String, column: SQLColumn = SQLColumn("code")) -> any SQLExpression {
        SQLGroupExpression(SQLBinaryExpression(
            SQLBinaryExpression(column, .greaterThanOrEqual, SQLBind(township + "-")),
            .and,
            SQLBinaryExpression(column, .lessThan, SQLBind(township + "."))
        ))
    }

    /// The sequence number of a code made by `codes(township:from:count:)` (`nil` for any other).
    static func sequenceNumber(of code: String) -> Int? {
        Int(code.split(separator: "-").last ?? "")
    }

    /// `count` codes of a township from sequence number `start`: its code, a dash, a 4-digit sequence.
    static func codes(township: String, from start: Int, count: Int) -> [String] {
        (start..<(start + count)).map { number in
            let digits = String(number)
            return township + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
    }

    /// Each township's next free sequence number (1 in a township that gave no code yet), from
    /// the codes each township gave — wherever those organizations are now — with one query
    /// per 500 townships. Codes are compared as numbers: past 9,999 a township's
    /// codes grow a digit, and "…-10000" sorts before "…-9999" as text, so the largest code of
    /// each length is read and the largest number among them taken.
    static func nextNumbers(townships: [String], on db: any Database) async throws -> [String: Int] {
        struct Row: Decodable {
            var township: String
            var last: String
        }
        var last: [String: Int] = [:]
        let width = SQLFunction("LENGTH", args: SQLColumn("code"))
        // The township that gave a code is the part before its dash, wherever the organization is now.
        let giver = SQLRaw(db.isSQLite ? "substr(code, 1, instr(code, '-') - 1)" : "substr(code, 1, strpos(code, '-') - 1)")
        for chunk in townships.chunked(500) {
            let ranges = SQLList(chunk.map { codesGiven(by: $0) }, separator: SQLRaw(" OR "))
            let rows = try await db.sql.select().column(giver, as: "township").column(SQLFunction("MAX", args: SQLColumn("code")), as: "last")
                .from("organizations").where(SQLGroupExpression(ranges)).groupBy(giver).groupBy(width)
                .all(decoding: Row.self)
            for row in rows {
                guard let number = sequenceNumber(of: row.last) else { continue }
                last[row.township] = max(last[row.township] ?? 0, number)
            }
        }
        return townships.reduce(into: [:]) { result, township in
            result[township] = (last[township] ?? 0) + 1
        }
    }
}
