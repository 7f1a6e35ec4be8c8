import FluentKit
import Foundation
import NIOConcurrencyHelpers
import FluentSQLiteDriver
import SQLKit

/// The columns of one result row, read by name.
protocol ColumnReader {
    func string(_ column: String) throws -> String
    func optionalString(_ column: String) throws -> String?
    func optionalInt(_ column: String) throws -> Int?
    func int(_ column: String) throws -> Int
    func bool(_ column: String) throws -> Bool
    func date(_ column: String) throws -> Date
    func double(_ column: String) throws -> Double
}

extension ColumnReader {
    func int(_ column: String) throws -> Int {
        guard let value = try optionalInt(column) else { throw ColumnReadError(column: column, expected: "an integer") }
        return value
    }

    func string(_ column: String) throws -> String {
        guard let value = try optionalString(column) else { throw ColumnReadError(column: column, expected: "text") }
        return value
    }
}

struct ColumnReadError: Error, CustomStringConvertible {
    var column: String
    var expected: String
    var description: String { "column \(column): expected \(expected)" }
}

/// Runs a query and turns each row into a `T`. On SQLite the values come straight from
/// SQLiteNIO (no `Decodable` per row: SQLKit's row decoder was a third of an import's
/// planning and most of an export in the profiles); on PostgreSQL through SQLKit's rows.
enum ResultRows {
    static func all<T: Sendable>(
        _ query: any SQLExpression, on db: any Database, _ make: @escaping @Sendable (any ColumnReader) throws -> T
    ) async throws -> [T] {
        let collected = NIOLockedValueBox<(rows: [T], error: (any Error)?)>(([], nil))
        @Sendable func collect(_ reader: some ColumnReader) {
            collected.withLockedValue { state in
                guard state.error == nil else { return }
                do { state.rows.append(try make(reader)) } catch { state.error = error }
            }
        }
        if let sqlite = db as? any SQLiteDatabase {
            let (sql, binds) = db.sql.serialize(query)
            let encoder = SQLiteDataEncoder()
            // Whether the result's names are unique, asked of its first row (every row has the same).
            let namesAreUnique = NIOLockedValueBox<Bool?>(nil)
            try await sqlite.query(sql, try binds.map { try encoder.encode($0) }) { row in
                let unique = namesAreUnique.withLockedValue { known in
                    if let known { return known }
                    let names = row.columns.map(\.name)
                    let allDifferent = Set(names).count == names.count
                    known = allDifferent
                    return allDifferent
                }
                collect(SQLiteColumns(row: row, inOrder: unique))
            }
        } else {
            try await db.sql.execute(sql: query) { collect(SQLKitColumns(row: $0)) }
        }
        return try collected.withLockedValue { state in
            if let error = state.error { throw error }
            return state.rows
        }
    }
}

/// A row's values by name. A reader that asks for the columns in the order the query selected
/// them (`OrganizationRow` does) is answered from the column after the last one read, checked by
/// its name: SQLiteNIO's lookup hashes the name into a table for every value, 6% of what a ledger
/// page cost under load. Any other order, or a result that names a column twice, is read by name.
private final class SQLiteColumns: ColumnReader {
    let row: SQLiteRow
    private let columns: [SQLiteColumn]
    private var next = 0

    init(row: SQLiteRow, inOrder: Bool) {
        self.row = row
        columns = inOrder ? row.columns : []
    }

    private func value(_ column: String) throws -> SQLiteData {
        if next < columns.count, columns[next].name == column {
            next += 1
            return columns[next - 1].data
        }
        guard let data = row.column(column) else { throw ColumnReadError(column: column, expected: "a column of the result") }
        return data
    }

    private func convert<V: SQLiteDataConvertible>(_ column: String, _ expected: String) throws -> V {
        let data = try value(column)
        guard let converted = V(sqliteData: data) else { throw ColumnReadError(column: column, expected: expected) }
        return converted
    }

    func optionalString(_ column: String) throws -> String? {
        let data = try value(column)
        if case .null = data { return nil }
        guard let text = String(sqliteData: data) else { throw ColumnReadError(column: column, expected: "text") }
        return text
    }

    func optionalInt(_ column: String) throws -> Int? {
        let data = try value(column)
        if case .null = data { return nil }
        guard let number = Int(sqliteData: data) else { throw ColumnReadError(column: column, expected: "an integer") }
        return number
    }

    func bool(_ column: String) throws -> Bool { try convert(column, "0 or 1") }
    func date(_ column: String) throws -> Date { try convert(column, "a time") }
    func double(_ column: String) throws -> Double { try convert(column, "a number") }
}

private struct SQLKitColumns: ColumnReader {
    let row: any SQLRow

    func optionalString(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self) }
    func optionalInt(_ column: String) throws -> Int? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: Int.self) }
    func bool(_ column: String) throws -> Bool { try row.decode(column: column, as: Bool.self) }
    func date(_ column: String) throws -> Date { try row.decode(column: column, as: Date.self) }
    func double(_ column: String) throws -> Double { try row.decode(column: column, as: Double.self) }
}
