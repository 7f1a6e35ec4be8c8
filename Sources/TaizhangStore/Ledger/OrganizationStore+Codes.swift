import FluentKit
import SQLKit
import TaizhangCore

/// Organization codes: each township gives its organizations `township-NNNN` in sequence, and an
/// organization keeps its code wherever it moves.
extension OrganizationStore {
    /// The next free code of the record's township, after refusing a name another active
    /// organization there already has: one read of the organizations in the township and of
    /// those whose code the township gave (an organization moved away keeps its code, so the
    /// township must not give that code again; one moved in brings another township's code).
    static func nextCodeCheckingName(_ fields: OrganizationFields, on db: any Database) async throws -> String {
        let township = fields.townshipCode
        let query = db.sql.select().columns("code", "name", "stage", "township_code").from("organizations")
            .where("township_code", .equal, township)
            .orWhere(codesGiven(by: township))
            .query
        let rows = try await ResultRows.all(query, on: db) { row in
            (code: try row.string("code"), name: try row.string("name"), stage: try row.string("stage"),
             township: try row.string("township_code"))
        }
        let key = TownshipResolver.key(fields.name)
        let ended: Set<String> = [Stage.dissolved.rawValue, Stage.merged.rawValue]
        if let other = rows.first(where: { $0.township == township && !ended.contains($0.stage) && TownshipResolver.key($0.name) == key }) {
            throw Refusal("团组织名称：本乡镇已有「\(fields.name)」（编码 \(other.code)）", kind: .conflict)
        }
        let last = rows.filter { $0.code.hasPrefix(township + "-") }.compactMap { sequenceNumber(of: $0.code) }.max() ?? 0
        return codes(township: township, from: last + 1, count: 1)[0]
    }

    /// The codes a township gave, `township-…`, as a range of the code's index ("." follows "-").
    fileprivate static func codesGiven(by township: String) -> any SQLExpression {
        SQLGroupExpression(SQLBinaryExpression(
            SQLBinaryExpression(SQLColumn("code"), .greaterThanOrEqual, SQLBind(township + "-")),
            .and,
            SQLBinaryExpression(SQLColumn("code"), .lessThan, SQLBind(township + "."))
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
            let ranges = SQLList(chunk.map(codesGiven(by:)), separator: SQLRaw(" OR "))
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
