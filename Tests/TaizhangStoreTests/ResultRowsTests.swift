import FluentKit
import Foundation
import SQLKit
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// `ResultRows` reads a row's values by name whatever the order they are asked in (SQLite answers
/// the select's own order from the next column, anything else by name).
@Suite struct ResultRowsTests {
    static func read(_ sql: String, _ names: [String], on db: any Database) async throws -> [[String?]] {
        try await ResultRows.all(SQLRaw(sql), on: db) { row in try names.map { try row.optionalString($0) } }
    }

    @Test(arguments: TestDatabase.all)
    func valuesComeByNameInAnyOrder(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let sql = "SELECT 'x1' AS p, 'y1' AS q, NULL AS r, 'z1' AS s UNION ALL SELECT 'x2', 'y2', 'w2', 'z2'"
            #expect(try await Self.read(sql, ["p", "q", "r", "s"], on: app.db) == [["x1", "y1", nil, "z1"], ["x2", "y2", "w2", "z2"]])
            #expect(try await Self.read(sql, ["s", "q", "p", "r"], on: app.db) == [["z1", "y1", "x1", nil], ["z2", "y2", "x2", "w2"]])
            // In order, then a step back, then in order again; a name read twice.
            #expect(try await Self.read(sql, ["p", "q", "p", "q", "r", "s", "s"], on: app.db)
                    == [["x1", "y1", "x1", "y1", nil, "z1", "z1"], ["x2", "y2", "x2", "y2", "w2", "z2", "z2"]])
            // Skipping a column.
            #expect(try await Self.read(sql, ["p", "r", "s"], on: app.db) == [["x1", nil, "z1"], ["x2", "w2", "z2"]])
            // A name the result lacks is an error on SQLite; PostgreSQL's rows (through SQLKit) read it as NULL.
            if case .sqlite = database {
                await #expect(throws: ColumnReadError.self) { try await Self.read(sql, ["p", "t"], on: app.db) }
            }
        }
    }

    /// A name the query gives twice reads as SQLiteNIO reads it by name (its first column), in
    /// whatever order it is asked for.
    @Test func aNameGivenTwiceReadsItsFirstColumn() async throws {
        try await withTestApp(.sqlite) { app async throws in
            let sql = "SELECT 'a' AS k, 'b' AS m, 'c' AS k"
            #expect(try await Self.read(sql, ["k", "m", "k"], on: app.db) == [["a", "b", "a"]])
        }
    }
}
