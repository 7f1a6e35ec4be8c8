import FluentKit
import PostgresNIO
import SQLKit

/// Runs `body` in one transaction that either commits whole or leaves nothing behind.
///
/// On SQLite writes queue in the process and commit in groups (`SQLiteWriteQueue`): each
/// transaction begins with `BEGIN IMMEDIATE`, taking the write lock up front, so a second
/// process on the same file (the command line during `serve`) waits behind the busy handler
/// instead of failing with SQLITE_BUSY when it tries to upgrade its read lock.
///
/// Called inside another `writeTransaction`, it joins it: the outer one commits both.
///
/// On PostgreSQL, where several app instances write at once, writes take one lock over the
/// whole ledger first and so run one at a time, as on SQLite — except a write that names the
/// one `township` it touches (a new organization): it takes the township's own lock and shares
/// the ledger's with other such writes, so writes to different townships run side by side while
/// writes to the same township, and every other write, still wait for each other. Such a write
/// raises the data version last, so the version's row is held only until its COMMIT.
///
/// On SQLite, naming the `township` also lets the write leave its running counts, stage events
/// and audit rows to the end of its write group (`DeferredWrites`): the write, and the creates
/// after it in the group, do not see them until then. Name it only for a write that reads none
/// of those back (a new organization), and read none of them inside `OrganizationStore.create`.
/// A group of such writes also keeps SQLite's temporary files in memory (`SQLiteWriteQueue`):
/// name it only for a write of a few rows, never one that sorts or rebuilds much.
///
/// A write `alone` (an import of a file) runs in a transaction of its own on SQLite, never in a
/// group: in a group each write runs in a savepoint, which copies every page it changes into a
/// journal of its own (of a large import, as many pages as it writes).
///
/// Each transaction raises the `DataVersion`. Only a write that changes nothing any cache
/// holds (a sign-in's new session) or a migration that runs before the version's table
/// exists passes `raisesDataVersion: false`.
public func writeTransaction<T: Sendable>(
    on database: any Database,
    raisesDataVersion: Bool = true,
    township: String? = nil,
    alone: Bool = false,
    _ body: @escaping @Sendable (any Database) async throws -> T
) async throws -> T {
    if WriteTransactionState.isOpen { return try await body(database) }
    guard database.isSQLite else {
        return try await retryingConflicts {
            try await database.transaction { db in
                guard raisesDataVersion else {
                    return try await WriteTransactionState.$isOpen.withValue(true) { try await body(db) }
                }
                if let township {
                    // The township first: a create waiting behind another of its township holds
                    // nothing, so a write of the whole ledger that comes meanwhile is not held up
                    // behind that township's queue (nor, behind it, every other township's creates).
                    try await WriteLocks.lockTownshipThenShareLedger(township, on: db)
                    let result = try await WriteTransactionState.$isOpen.withValue(true) { try await body(db) }
                    try await DataVersion.bump(on: db)
                    return result
                }
                // The whole ledger is locked first, as SQLite's BEGIN IMMEDIATE takes the write
                // lock first: writes from every app instance queue up instead of racing for the
                // same next code or locking running counts in opposite orders (a deadlock).
                try await WriteLocks.lockLedger(on: db)
                try await DataVersion.bump(on: db)
                return try await WriteTransactionState.$isOpen.withValue(true) { try await body(db) }
            }
        }
    }
    // A new organization (a write of one township) leaves its running counts, stage event and audit row to the
    // end of its group, which writes those of all its creates at once.
    return try await SQLiteWriteQueue.queue(for: database).write(on: database, raisesDataVersion: raisesDataVersion,
                                                                  defers: township != nil, alone: alone, body)
}

/// PostgreSQL's transaction-scoped advisory locks that order writes across app instances
/// (released by the COMMIT or ROLLBACK). Advisory locks belong to the whole database, so each
/// key includes the schema the ledger is in: two ledgers in one database (two deployments, or
/// the tests, each in a schema of its own) never wait for each other. The ledger's lock is a pair
/// of 32-bit keys, a township's one 64-bit key: PostgreSQL keeps the two kinds apart.
enum WriteLocks {
    private static let ledger: Int32 = 7_301
    private static let township: Int64 = 7_302

    /// Every write except those of one township: waits for all other writes, and they for it.
    static func lockLedger(on db: any Database) async throws {
        try await db.sql.raw("SELECT pg_advisory_xact_lock(\(bind: ledger), hashtext(coalesce(current_schema(), '')))").run()
    }

    /// A write of one township: its township's writes one at a time (its next code, its duplicate
    /// names), beside other townships' writes and never beside a `lockLedger` one. Two townships
    /// whose keys hash alike only wait for each other. One round trip: the subquery (kept apart
    /// by `OFFSET 0`) takes the township's lock before the outer query shares the ledger's.
    static func lockTownshipThenShareLedger(_ code: String, on db: any Database) async throws {
        try await db.sql.raw("""
            SELECT pg_advisory_xact_lock_shared(\(bind: ledger), hashtext(coalesce(current_schema(), ''))) \
            FROM (SELECT pg_advisory_xact_lock(hashtextextended(coalesce(current_schema(), '') || '/' || \(bind: code), \(bind: township))) \
            OFFSET 0) AS township_first
            """).run()
    }
}

/// Prepares a freshly opened database: WAL journaling for SQLite, so readers never wait
/// for the writer. (Foreign keys are switched on per connection by the driver.)
public func prepareDatabase(_ database: any Database) async throws {
    if database.isSQLite {
        try await database.sql.raw("PRAGMA journal_mode=WAL").run()
    }
}

/// Runs a PostgreSQL transaction again (up to 4 tries, after a short random pause) when the
/// server aborted it for a serialization failure, a deadlock or a unique key taken by a
/// concurrent transaction: what it wrote was rolled back, so running it again is safe.
func retryingConflicts<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    var attempt = 0
    while true {
        do {
            return try await body()
        } catch let error as PSQLError where attempt < 3 && ["40001", "40P01", "23505"].contains(error.serverInfo?[.sqlState] ?? "") {
            attempt += 1
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...50) * attempt))
        }
    }
}

/// Whether the current task is inside `writeTransaction` (so a nested call joins it).
enum WriteTransactionState {
    @TaskLocal static var isOpen = false
    /// Where the running write leaves the rows its SQLite group writes at its end (nil: none is left).
    @TaskLocal static var deferred: DeferredWrites?
}
