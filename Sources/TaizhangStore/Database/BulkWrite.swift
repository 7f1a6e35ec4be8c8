import FluentKit
import Foundation
import Logging
import PostgresNIO
import SQLKit

/// One column value of a row written by `BulkWrite`.
enum BulkValue: Sendable {
    case text(String?)
    case integer(Int?)
    case bool(Bool)
    case date(Date)
    case uuid(UUID?)
}

/// Writes many rows into one table, a chunk per statement: inserts them, adds them to rows
/// already there (`addOnConflict`), or updates the rows whose key they name (`updateMatching`).
///
/// On SQLite a chunk of rows travels as one JSON array bound to one parameter and is unpacked
/// by SQLite itself (`INSERT … SELECT value->>0, … FROM jsonb_each(?)`, whose binary row values
/// are read without being turned back into text): one short statement to prepare and one value
/// to bind per few thousand rows, instead of a statement text and a bound value per cell. On
/// PostgreSQL a chunk of `copyMinimumRows` rows or more goes by `COPY … FROM STDIN`
/// (`PostgresCopy`): inserts straight into the table, updates and upserts into a temporary
/// table and one `UPDATE … FROM` or `INSERT … SELECT … ON CONFLICT` from it. Fewer rows — a
/// form's single write, its audit row, its running counts — go as before, as one multi-row
/// `INSERT … VALUES` (`… ON CONFLICT` for upserts) or an `UPDATE` a row, which take fewer round
/// trips than a COPY and no temporary table.
/// The caller runs it inside its transaction; `finish` writes what is left.
struct BulkWrite {
    enum Mode: Sendable {
        case insert
        /// A row whose `key` columns match an existing row adds its `column` to that row's.
        case addOnConflict(key: [String], column: String)
        /// The first column is the key; the row with that key gets the other columns' values.
        case updateMatching
    }

    let table: String
    let columns: [String]
    let mode: Mode
    private let database: any Database
    private let queue: BulkStatementQueue?
    private let usesJSON: Bool
    /// The chunk being built: a JSON array on SQLite; on PostgreSQL its rows, in `rows`.
    private var json: [UInt8] = []
    private var rows: [[BulkValue]] = []

    /// A chunk's JSON is sent when it passes this size.
    private static let jsonChunkBytes = 4 << 20
    /// Rows a statement on PostgreSQL: a chunk of `copyMinimumRows` or more goes by COPY, which
    /// binds nothing, and fewer go as a multi-row statement, which binds at most 65,535 values.
    /// Every COPY into `organizations` fires its statement trigger once (the township versions),
    /// so an import's chunk of 5,000 goes as one COPY (it took six at 30,000 values a statement).
    private static let rowsPerStatement = 5_000
    /// On PostgreSQL, a chunk of this many rows or more goes by COPY.
    static let copyMinimumRows = 100

    /// With a `queue` (from `BulkStatementQueue.run`), each chunk's statement runs in the
    /// background while the caller builds the next chunk; the caller drains the queue before
    /// statements of its own (see `copy`).
    init(_ mode: Mode = .insert, into table: String, columns: [String], queue: BulkStatementQueue? = nil, on database: any Database) {
        self.mode = mode
        self.queue = queue
        self.table = table
        self.columns = columns
        self.database = database
        usesJSON = database.isSQLite
        if usesJSON { json.reserveCapacity(Self.jsonChunkBytes + (64 << 10)) }
    }

    mutating func append(_ row: [BulkValue]) async throws {
        precondition(row.count == columns.count, "\(table): \(row.count) values for \(columns.count) columns")
        if usesJSON {
            json.append(json.isEmpty ? UInt8(ascii: "[") : UInt8(ascii: ","))
            JSONText.appendArray(row, to: &json)
            if json.count >= Self.jsonChunkBytes { try await flush() }
        } else {
            rows.append(row)
            if rows.count >= Self.rowsPerStatement { try await flush() }
        }
    }

    mutating func finish() async throws {
        try await flush()
    }

    private mutating func flush() async throws {
        if usesJSON {
            guard !json.isEmpty else { return }
            json.append(UInt8(ascii: "]"))
            let statement = jsonStatement(String(decoding: json, as: UTF8.self))
            json.removeAll(keepingCapacity: true)
            try await run(statement)
            return
        }
        guard !rows.isEmpty else { return }
        let chunk = rows
        rows.removeAll(keepingCapacity: true)
        let isUpdate = if case .updateMatching = mode { true } else { false }
        if chunk.count >= Self.copyMinimumRows {
            try await copy(chunk)
        } else if isUpdate {
            for row in chunk { try await run(updateStatement(row)) }
        } else {
            try await run(valuesStatement(chunk))
        }
    }

    /// A chunk by COPY (PostgreSQL), in the queue's background like any other statement: the
    /// caller builds the next chunk while the server takes this one.
    ///
    /// A COPY holds its connection in copy mode until its last line is sent, so the caller must
    /// not run statements of its own on the connection beside the queue's: it drains the queue
    /// first (`BulkStatementQueue.drain`), as the import does before it looks anything up.
    /// (COPY was withdrawn once, 09ff0cd, after two web tests hung while it ran beside the
    /// caller's queries; neither case hung when tried alone, and the hang was likelier the
    /// tests' 30-second deadline, since lengthened. Keeping COPY apart from the caller's
    /// statements rules it out at no cost: the queue runs one statement at a time.)
    private func copy(_ chunk: [[BulkValue]]) async throws {
        var text: [UInt8] = []
        text.reserveCapacity(chunk.count * 64 * columns.count / 4)
        for row in chunk { PostgresCopy.appendLine(row, to: &text) }
        let (lines, mode, table, columns, database) = (text, mode, table, columns, database)
        let statement: @Sendable () async throws -> Void = {
            switch mode {
            case .insert: try await PostgresCopy.insert(lines, into: table, columns: columns, on: database)
            case .updateMatching: try await PostgresCopy.update(lines, table: table, columns: columns, on: database)
            case .addOnConflict(let key, let column):
                try await PostgresCopy.add(lines, table: table, columns: columns, key: key, column: column, on: database)
            }
        }
        if let queue { try await queue.enqueue(statement) } else { try await statement() }
    }

    /// An identifier in double quotes. (Foundation's `replacingOccurrences` was 5% of a create's
    /// CPU in a profile, called for every column of every statement; names rarely hold a quote.)
    static func quoted(_ name: String) -> String {
        guard name.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + name + "\"" }
        return "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// The stored value of `column` plus the conflicting row's (`addOnConflict`).
    private func sum(_ column: String) -> String { "\(Self.quoted(table)).\(Self.quoted(column)) + excluded.\(Self.quoted(column))" }

    private func jsonStatement(_ json: String) -> SQLQueryString {
        let list = columns.map(Self.quoted).joined(separator: ", ")
        switch mode {
        case .insert, .addOnConflict:
            let unpacked = columns.indices.map { "value->>\($0)" }.joined(separator: ", ")
            var upsert = ""
            if case .addOnConflict(let key, let column) = mode {
                // "WHERE true" tells SQLite's parser the ON CONFLICT belongs to the INSERT, not to a join.
                upsert = "WHERE true ON CONFLICT (\(key.map(Self.quoted).joined(separator: ", "))) DO UPDATE SET "
                    + "\(Self.quoted(column)) = \(sum(column))"
            }
            return "INSERT INTO \(unsafeRaw: Self.quoted(table)) (\(unsafeRaw: list)) SELECT \(unsafeRaw: unpacked) FROM jsonb_each(\(bind: json)) \(unsafeRaw: upsert)"
        case .updateMatching:
            let targets = columns.dropFirst().map(Self.quoted).joined(separator: ", ")
            let values = columns.indices.dropFirst().map { "u.value->>\($0)" }.joined(separator: ", ")
            return """
                UPDATE \(unsafeRaw: Self.quoted(table)) SET (\(unsafeRaw: targets)) = (\(unsafeRaw: values)) FROM jsonb_each(\(bind: json)) AS u \
                WHERE \(unsafeRaw: Self.quoted(table)).\(unsafeRaw: Self.quoted(columns[0])) = u.value->>0
                """
        }
    }

    /// A multi-row insert or upsert (PostgreSQL).
    private func valuesStatement(_ rows: [[BulkValue]]) -> any SQLExpression {
        var insert = database.sql.insert(into: table).columns(columns)
        for row in rows { insert = insert.values(row.map(Self.bind)) }
        if case .addOnConflict(let key, let column) = mode {
            insert = insert.onConflict(with: key) { $0.set(column, to: SQLRaw(sum(column))) }
        }
        return insert.query
    }

    /// One row's update by its key, the first column (PostgreSQL).
    private func updateStatement(_ row: [BulkValue]) -> any SQLExpression {
        var update = database.sql.update(table)
        for (column, value) in zip(columns.dropFirst(), row.dropFirst()) { update = update.set(SQLColumn(column), to: Self.bind(value)) }
        return update.where(SQLColumn(columns[0]), .equal, Self.bind(row[0])).query
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

/// Runs bulk statements one at a time, in order, in the background: while they run (on the
/// database's threads) the caller prepares the next. At most `depth` statements are in hand
/// at once, running or waiting; a failed statement fails every one after it unrun.
final class BulkStatementQueue {
    /// Each statement's task, oldest first; each awaits the one before it.
    private var pending: [Task<Void, any Error>] = []
    private let depth: Int

    private init(depth: Int) {
        precondition(depth >= 1)
        self.depth = depth
    }

    /// Runs `body` with a queue, and returns only when the queue's last statement has finished —
    /// also when `body` throws, so that nothing still runs on the connection when its
    /// transaction commits or rolls back.
    static func run<T>(depth: Int = 1, _ body: (BulkStatementQueue) async throws -> T) async throws -> T {
        let queue = BulkStatementQueue(depth: depth)
        do {
            let result = try await body(queue)
            try await queue.drain()
            return result
        } catch {
            // When `body` failed only because PostgreSQL had already refused the transaction, the
            // queued statement is what failed first: its error is the one worth reporting.
            // Otherwise `body`'s own error is (and the statement's, if it failed, follows from it).
            do {
                try await queue.drain()
            } catch let queued where isAbortedTransaction(error) {
                throw queued
            } catch let queued {
                // Rolled back with the rest, but not to go unseen: with several statements in hand
                // a COPY can fail while the caller is already refusing a later chunk's row.
                logger.warning("a bulk statement failed too: \(String(reflecting: queued))")
            }
            throw error
        }
    }

    private static let logger = Logger(label: "taizhang.bulk-write")

    /// PostgreSQL's "current transaction is aborted, commands ignored until end of transaction block".
    private static func isAbortedTransaction(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "25P02"
    }

    func enqueue(_ statement: @escaping @Sendable () async throws -> Void) async throws {
        if pending.count >= depth { try await pending.removeFirst().value }
        let previous = pending.last
        pending.append(Task {
            try await previous?.value
            try await statement()
        })
    }

    /// Whether no statement is in hand (the caller may then use the connection itself).
    var isIdle: Bool { pending.isEmpty }

    /// Waits for the statements still in hand.
    func drain() async throws {
        defer { pending = [] }
        try await pending.last?.value
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
