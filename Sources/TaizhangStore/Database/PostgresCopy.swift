import FluentKit
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Rows sent to PostgreSQL by `COPY table (columns) FROM STDIN` in its text format: one line a
/// row, tab between values, `\N` for NULL — the server parses them without planning a
/// statement or binding a parameter per value, several times faster than multi-row `INSERT`.
enum PostgresCopy {
    /// Appends `row` as one line of COPY text.
    static func appendLine(_ row: [BulkValue], to out: inout [UInt8]) {
        for (index, value) in row.enumerated() {
            if index > 0 { out.append(tab) }
            switch value {
            case .text(let text?): appendEscaped(text, to: &out)
            case .integer(let number?): out.append(contentsOf: String(number).utf8)
            case .bool(let flag): out.append(flag ? UInt8(ascii: "t") : UInt8(ascii: "f"))
            case .date(let date): appendTimestamp(date, to: &out)
            case .uuid(let id?): out.append(contentsOf: id.uuidString.utf8)
            case .text(nil), .integer(nil), .uuid(nil): out.append(contentsOf: [backslash, UInt8(ascii: "N")])
            }
        }
        out.append(newline)
    }

    /// Runs one COPY of `lines` (from `appendLine`) on the connection `database` uses — inside
    /// a transaction, the transaction's connection.
    static func insert(_ lines: [UInt8], into table: String, columns: [String], on database: any Database) async throws {
        try await withConnection(of: database) { connection, logger in
            try await copy(lines, into: table, columns: columns, on: connection, logger: logger)
        }
    }

    /// Updates the rows of `table` whose first column matches a line's first value with the
    /// line's other values: the lines are copied into a temporary table, then one `UPDATE … FROM`
    /// moves them, all on one connection.
    static func update(_ lines: [UInt8], table: String, columns: [String], on database: any Database) async throws {
        let quoted = BulkWrite.quoted
        let key = quoted(columns[0])
        let assignments = columns.dropFirst().map { "\(quoted($0)) = s.\(quoted($0))" }.joined(separator: ", ")
        try await throughStage(lines, table: table, columns: columns, on: database) { stage in
            "UPDATE \(quoted(table)) AS t SET \(assignments) FROM \(stage) AS s WHERE t.\(key) = s.\(key)"
        }
    }

    /// Adds each line's `column` to the row of `table` whose `key` columns match it, or inserts
    /// the line: copied into a temporary table, then one `INSERT … SELECT … ON CONFLICT`. The
    /// lines' keys must differ from each other, and the key columns be text: the rows are taken
    /// in the bytes' order of their keys (`COLLATE "C"`), the order every writer of these rows
    /// locks them in.
    static func add(_ lines: [UInt8], table: String, columns: [String], key: [String], column: String,
                    on database: any Database) async throws {
        let quoted = BulkWrite.quoted
        let list = columns.map(quoted).joined(separator: ", ")
        let order = key.map { "\(quoted($0)) COLLATE \"C\"" }.joined(separator: ", ")
        try await throughStage(lines, table: table, columns: columns, on: database) { stage in
            """
            INSERT INTO \(quoted(table)) AS t (\(list)) SELECT \(list) FROM \(stage) ORDER BY \(order) \
            ON CONFLICT (\(key.map(quoted).joined(separator: ", "))) DO UPDATE SET \(quoted(column)) = t.\(quoted(column)) + excluded.\(quoted(column))
            """
        }
    }

    /// Copies `lines` into a temporary table shaped as `columns` of `table`, runs the statement
    /// `move` writes for it, and drops it, all on one connection.
    private static func throughStage(
        _ lines: [UInt8], table: String, columns: [String], on database: any Database, move: @escaping @Sendable (String) -> String
    ) async throws {
        let quoted = BulkWrite.quoted
        let stage = "taizhang_bulk_stage"
        let list = columns.map(quoted).joined(separator: ", ")
        try await withConnection(of: database) { connection, logger in
            func run(_ sql: String) async throws {
                for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {}
            }
            try await run("CREATE TEMPORARY TABLE \(stage) AS SELECT \(list) FROM \(quoted(table)) WITH NO DATA")
            do {
                try await copy(lines, into: stage, columns: columns, on: connection, logger: logger)
                try await run(move(stage))
            } catch {
                // (Inside a failed transaction this fails too; the rollback drops the table.)
                try? await run("DROP TABLE IF EXISTS \(stage)")
                throw error
            }
            try await run("DROP TABLE \(stage)")
        }
    }

    private static func withConnection(
        of database: any Database, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Void
    ) async throws {
        guard let postgres = database as? any PostgresDatabase else {
            preconditionFailure("COPY needs a PostgreSQL database")
        }
        let logger = database.logger
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await body(connection, logger) }
        }.get()
    }

    private static func copy(_ lines: [UInt8], into table: String, columns: [String], on connection: PostgresConnection,
                             logger: Logger) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var buffer = ByteBufferAllocator().buffer(capacity: lines.count)
            buffer.writeBytes(lines)
            try await writer.write(buffer)
        }
    }

    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let backslash = UInt8(ascii: "\\")

    /// Backslash, tab, newline and carriage return written as COPY's escapes; the rest as is.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        // Most texts hold nothing to escape: their bytes go in at once.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            // A backslash is 0x5C; tab, newline and carriage return are 0x09, 0x0A and 0x0D.
            guard !bytes.contains(where: { $0 == 0x5C || ($0 <= 0x0D && ($0 == 0x09 || $0 == 0x0A || $0 == 0x0D)) }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true { return }
        for byte in text.utf8 {
            switch byte {
            case backslash: out += [backslash, backslash]
            case tab: out += [backslash, UInt8(ascii: "t")]
            case newline: out += [backslash, UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [backslash, UInt8(ascii: "r")]
            default: out.append(byte)
            }
        }
    }

    /// A `timestamptz` in UTC to the microsecond: 2012-12-15 08:30:00.000001+00.
    static func appendTimestamp(_ date: Date, to out: inout [UInt8]) {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros.quotient(dividingBy: 1_000_000))
        let fraction = micros - Int64(seconds) * 1_000_000
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
        text += "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))."
        let digits = String(fraction)
        text += String(repeating: "0", count: 6 - digits.count) + digits + "+00"
        out.append(contentsOf: text.utf8)
    }
}

extension Int64 {
    /// Division rounding towards negative infinity (dates before 1970 stay right).
    fileprivate func quotient(dividingBy divisor: Int64) -> Int64 {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? q - 1 : q
    }
}
