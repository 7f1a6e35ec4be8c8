import FluentKit
import Foundation
import SQLKit

/// One column value of a row written by `BulkInsert`.
enum BulkValue: Sendable {
    case text(String?)
    case integer(Int?)
    case bool(Bool)
    case date(Date)
    case uuid(UUID?)
}

/// Inserts many rows into one table, a chunk per statement.
///
/// On SQLite a chunk of rows travels as one JSON array bound to one parameter and is unpacked
/// by SQLite itself (`INSERT … SELECT value->>0, … FROM jsonb_each(?)`, whose binary row values
/// are read without being turned back into text): one short statement to
/// prepare and one value to bind per few thousand rows, instead of a statement text and a bound
/// value per cell. On PostgreSQL the rows go as multi-row `INSERT … VALUES`, each value bound.
/// The caller runs it inside its transaction; `finish` writes what is left.
struct BulkInsert {
    let table: String
    let columns: [String]
    /// When set, a row whose key columns match an existing row adds its `column` to that row's.
    let addOnConflict: (key: [String], column: String)?
    private let database: any Database
    private let queue: BulkStatementQueue?
    private let usesJSON: Bool
    private var json: [UInt8] = []
    private var rows: [[BulkValue]] = []
    private(set) var insertedCount = 0

    /// A chunk's JSON is sent when it passes this size.
    private static let jsonChunkBytes = 4 << 20
    /// PostgreSQL binds at most 65,535 values a statement.
    private var rowsPerStatement: Int { max(1, 30_000 / columns.count) }

    /// With a `queue`, each chunk's statement runs in the background while the caller builds the
    /// next chunk; the caller must `drain` the queue before its transaction ends.
    init(into table: String, columns: [String], addOnConflict: (key: [String], column: String)? = nil,
         queue: BulkStatementQueue? = nil, on database: any Database) {
        self.queue = queue
        self.table = table
        self.columns = columns
        self.addOnConflict = addOnConflict
        self.database = database
        usesJSON = database.isSQLite
        if usesJSON { json.reserveCapacity(Self.jsonChunkBytes + (64 << 10)) }
    }

    mutating func append(_ row: [BulkValue]) async throws {
        precondition(row.count == columns.count, "\(table): \(row.count) values for \(columns.count) columns")
        insertedCount += 1
        if usesJSON {
            json.append(json.isEmpty ? UInt8(ascii: "[") : UInt8(ascii: ","))
            JSONText.appendArray(row, to: &json)
            if json.count >= Self.jsonChunkBytes { try await flush() }
        } else {
            rows.append(row)
            if rows.count >= rowsPerStatement { try await flush() }
        }
    }

    mutating func finish() async throws {
        try await flush()
    }

    private mutating func flush() async throws {
        if usesJSON {
            guard !json.isEmpty else { return }
            json.append(UInt8(ascii: "]"))
            let unpacked = columns.indices.map { "value->>\($0)" }.joined(separator: ", ")
            let quoted = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            // "WHERE true" tells SQLite's parser the ON CONFLICT belongs to the INSERT, not to a join.
            let upsert = addOnConflict.map { key, column in
                "WHERE true ON CONFLICT (\(key.map { "\"\($0)\"" }.joined(separator: ", "))) DO UPDATE SET "
                    + "\"\(column)\" = \"\(table)\".\"\(column)\" + excluded.\"\(column)\""
            } ?? ""
            let statement = SQLQueryString("""
                INSERT INTO "\(unsafeRaw: table)" (\(unsafeRaw: quoted)) SELECT \(unsafeRaw: unpacked) FROM jsonb_each(\(bind: String(decoding: json, as: UTF8.self))) \(unsafeRaw: upsert)
                """)
            json.removeAll(keepingCapacity: true)
            try await run(statement)
        } else {
            guard !rows.isEmpty else { return }
            var insert = database.sql.insert(into: table).columns(columns)
            for row in rows { insert = insert.values(row.map(Self.bind)) }
            if let (key, column) = addOnConflict {
                insert = insert.onConflict(with: key) { $0.set(column, to: SQLRaw("\"\(table)\".\"\(column)\" + excluded.\"\(column)\"")) }
            }
            rows.removeAll(keepingCapacity: true)
            try await run(insert.query)
        }
    }

    private func run(_ statement: some SQLExpression) async throws {
        let database = database
        if let queue {
            try await queue.enqueue { try await database.sql.execute(sql: statement) { _ in } }
        } else {
            try await database.sql.execute(sql: statement) { _ in }
        }
    }

    private static func bind(_ value: BulkValue) -> any SQLExpression {
        switch value {
        case .text(let text): SQLBind(text)
        case .integer(let number): SQLBind(number)
        case .bool(let flag): SQLBind(flag)
        case .date(let date): SQLBind(date)
        case .uuid(let id): SQLBind(id)
        }
    }
}

/// Runs bulk statements one at a time, in order, in the background: while one runs (on the
/// database's threads) the caller prepares the next. At most one statement waits.
final class BulkStatementQueue {
    private var running: Task<Void, any Error>?

    init() {}

    func enqueue(_ statement: @escaping @Sendable () async throws -> Void) async throws {
        try await running?.value
        running = Task { try await statement() }
    }

    /// Waits for the statement still running; call it before the transaction commits or rolls back.
    func drain() async throws {
        defer { running = nil }
        try await running?.value
    }
}

/// JSON text written byte by byte, for values written by the hundred thousand.
enum JSONText {
    /// A row as a JSON array, in the types SQLite's driver stores: text, integer, 0/1 for a
    /// flag, seconds since 1970 for a date, the upper-case string for a UUID.
    static func appendArray(_ row: [BulkValue], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in row.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            switch value {
            case .text(let text?): appendString(text, to: &out)
            case .integer(let number?): out.append(contentsOf: String(number).utf8)
            case .bool(let flag): out.append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            case .date(let date): out.append(contentsOf: date.timeIntervalSince1970.description.utf8)
            case .uuid(let id?): appendString(id.uuidString, to: &out)
            case .text(nil), .integer(nil), .uuid(nil): out.append(contentsOf: "null".utf8)
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// An object of string values in the order given (callers sort the keys, as `JSONEncoder`
    /// with `.sortedKeys` would).
    static func object(_ pairs: [(key: String, value: String)]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(512)
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(pair.key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(pair.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += Array("\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
