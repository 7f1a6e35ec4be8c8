import FluentKit
import SQLKit

/// Runs `body` in one transaction that either commits whole or leaves nothing behind.
///
/// On SQLite it begins with `BEGIN IMMEDIATE`: taking the write lock up front means two
/// app connections that both read and then write queue up behind the busy handler
/// instead of one failing with SQLITE_BUSY when it tries to upgrade its read lock.
///
/// Called inside another `writeTransaction`, it joins it: the outer one commits both.
///
/// Each transaction raises the `DataVersion`. Only a write that changes nothing any cache
/// holds (a sign-in's new session) or a migration that runs before the version's table
/// exists passes `raisesDataVersion: false`.
public func writeTransaction<T: Sendable>(
    on database: any Database,
    raisesDataVersion: Bool = true,
    _ body: @escaping @Sendable (any Database) async throws -> T
) async throws -> T {
    if WriteTransactionState.isOpen { return try await body(database) }
    guard database.isSQLite else {
        return try await database.transaction { db in
            let result = try await WriteTransactionState.$isOpen.withValue(true) { try await body(db) }
            if raisesDataVersion { try await DataVersion.bump(on: db) }
            return result
        }
    }
    return try await database.withConnection { connection in
        try await connection.sql.raw("BEGIN IMMEDIATE").run()
        do {
            let result = try await WriteTransactionState.$isOpen.withValue(true) { try await body(connection) }
            if raisesDataVersion { try await DataVersion.bump(on: connection) }
            try await connection.sql.raw("COMMIT").run()
            return result
        } catch {
            try? await connection.sql.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// Prepares a freshly opened database: WAL journaling for SQLite, so readers never wait
/// for the writer. (Foreign keys are switched on per connection by the driver.)
public func prepareDatabase(_ database: any Database) async throws {
    if database.isSQLite {
        try await database.sql.raw("PRAGMA journal_mode=WAL").run()
    }
}

/// Whether the current task is inside `writeTransaction` (so a nested call joins it).
enum WriteTransactionState {
    @TaskLocal static var isOpen = false
}
