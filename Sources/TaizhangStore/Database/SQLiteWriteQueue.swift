import FluentKit
import Foundation
import SQLKit
import Synchronization

/// Writes to one SQLite file, queued in the process and committed in groups.
///
/// SQLite lets one writer in at a time, and with `synchronous = FULL` every commit waits for
/// the disk (about 2 ms here: at most ~500 commits a second, whatever the CPU). Writers that
/// arrive while a transaction is running wait here — without holding a pooled connection or
/// one of SQLiteNIO's two blocking threads, on which a writer waiting for the file lock used to
/// sleep — and the next transaction runs all of them: each write inside its own savepoint (so a
/// refused write leaves the others intact), then one COMMIT, one disk flush for the group. A
/// write is acknowledged only after that COMMIT, so nothing acknowledged is lost.
///
/// The one writer runs every write's statements in turn, each a hop to SQLiteNIO's thread and
/// back, so the fewer statements a write runs here the more writes a second. New organizations
/// leave their running counts, first stage events and audit rows to the group (`DeferredWrites`),
/// which writes those of all of them in a few statements: at its end, or sooner, before any other
/// write runs. If writing them fails, every write of the group fails with that error.
final class SQLiteWriteQueue: Sendable {
    /// One queue per database file, for every app instance of the process that opens it.
    private static let queues = Mutex<[String: SQLiteWriteQueue]>([:])

    static func queue(for database: any Database) -> SQLiteWriteQueue {
        // The configuration names the file (or the in-memory database); equal descriptions, same file.
        let key = String(describing: database.context.configuration)
        return queues.withLock { queues in
            if let queue = queues[key] { return queue }
            let queue = SQLiteWriteQueue()
            queues[key] = queue
            return queue
        }
    }

    /// At most this many writes share a transaction, so one group's latency stays bounded.
    static let maxGroup = 64

    private struct Job: Sendable {
        var raisesDataVersion: Bool
        /// Whether the write may leave rows to the end of the group.
        var defers: Bool
        /// Whether the write runs in a transaction of its own (`writeTransaction`).
        var alone: Bool
        /// Runs the write on the open transaction's connection. Returns whether it failed, what it
        /// left to the end of the group, and how to answer its caller once the group's COMMIT is
        /// known (nil: committed).
        var run: @Sendable (any Database) async -> WriteOutcome
        /// Answers a caller whose write never ran.
        var fail: @Sendable (any Error) -> Void
    }

    private struct State {
        var pending: [Job] = []
        var leading = false
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - defers: whether the write may leave rows to the end of its group (`DeferredWrites`).
    ///   - alone: whether the write runs in a transaction of its own, not in a group.
    func write<T: Sendable>(
        on database: any Database, raisesDataVersion: Bool, defers: Bool, alone: Bool = false,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(raisesDataVersion: raisesDataVersion, defers: defers, alone: alone, run: { db in
                let deferred = defers ? DeferredWrites() : nil
                let result: Result<T, any Error>
                do {
                    result = .success(try await WriteTransactionState.$deferred.withValue(deferred) {
                        try await WriteTransactionState.$isOpen.withValue(true) { try await body(db) }
                    })
                } catch {
                    result = .failure(error)
                }
                let failed = if case .failure = result { true } else { false }
                return WriteOutcome(failed: failed, deferred: deferred) { commitError in
                    // A write that failed answers with its own error whatever became of the group.
                    if let commitError, !failed { continuation.resume(throwing: commitError) } else { continuation.resume(with: result) }
                }
            }, fail: { continuation.resume(throwing: $0) })
            let lead = state.withLock { state in
                state.pending.append(job)
                guard !state.leading else { return false }
                state.leading = true
                return true
            }
            // The leader runs every write of the process one after another, so its steps go first:
            // at a higher priority its continuations do not queue behind the requests being
            // parsed and answered on the same two cores (measured: see BENCHMARKS, issue 15).
            if lead { Task(priority: .high) { await self.drain(on: database) } }
        }
    }

    /// Runs groups until nothing is waiting.
    private func drain(on database: any Database) async {
        while true {
            let group: [Job] = state.withLock { state in
                // A write that runs alone is a group of its own: the writes before it form one, those after it the next.
                let size = state.pending.first?.alone == true ? 1 : state.pending.prefix(Self.maxGroup).prefix { !$0.alone }.count
                let group = Array(state.pending.prefix(size))
                state.pending.removeFirst(group.count)
                if group.isEmpty { state.leading = false }
                return group
            }
            guard !group.isEmpty else { return }
            await commit(group, on: database)
        }
    }

    /// One transaction for the group: each write in a savepoint of its own (unless it is alone),
    /// the rows the writes left written together (before the next write that defers nothing, and
    /// at the end), the data version raised once, one COMMIT; then every caller is answered.
    ///
    /// The savepoints are not released one by one (a statement each): they nest, and the COMMIT
    /// releases them all. A failed write is rolled back to its own, which undoes it alone.
    private func commit(_ group: [Job], on database: any Database) async {
        let outcomes = OutcomeList()
        do {
            try await database.withConnection { connection in
                // Each write's savepoint copies the pages it changes into a statement journal, by
                // default a temporary file: a write(2) a page, ~8% of the server's CPU under 50
                // writers. A group of township writes only (creates: a few rows each, see
                // `writeTransaction`) keeps it in memory; any other write may sort a whole ledger,
                // which must spill to files as usual.
                if group.allSatisfy(\.defers) {
                    try await Self.withTemporaryFilesInMemory(on: connection) {
                        try await Self.transaction(group, outcomes: outcomes, on: connection)
                    }
                } else {
                    try await Self.transaction(group, outcomes: outcomes, on: connection)
                }
            }
            for outcome in outcomes.all { outcome.answer(nil) }
        } catch {
            let ran = outcomes.all
            for outcome in ran { outcome.answer(error) }
            for job in group.dropFirst(ran.count) { job.fail(error) }
        }
    }

    /// Runs `body` with the connection's temporary files (statement journals, sorts) in memory,
    /// then sets the build's default (files) back, thrown or not. Set before BEGIN: SQLite
    /// places a transaction's statement journal when the transaction begins. Setting it back
    /// cannot undo a COMMIT, so its failure (a broken connection) is not the writes' failure.
    static func withTemporaryFilesInMemory(on connection: any Database, _ body: () async throws -> Void) async throws {
        try await connection.sql.raw("PRAGMA temp_store = MEMORY").run()
        do {
            try await body()
        } catch {
            try? await connection.sql.raw("PRAGMA temp_store = DEFAULT").run()
            throw error
        }
        try? await connection.sql.raw("PRAGMA temp_store = DEFAULT").run()
    }

    /// BEGIN … COMMIT of a group on one connection (ROLLBACK when every write failed or a
    /// statement of the group's own did).
    private static func transaction(_ group: [Job], outcomes: OutcomeList, on connection: any Database) async throws {
        try await connection.sql.raw("BEGIN IMMEDIATE").run()
        do {
            let alone = group.count == 1
            var raises = false
            let deferred = DeferredWrites()
            for (index, job) in group.enumerated() {
                // A write that defers nothing may read what the earlier ones left: it is
                // written first (before the savepoint, so undoing this write keeps it).
                if !job.defers { try await deferred.flush(on: connection) }
                let savepoint = SQLRaw("write_\(index)")
                if !alone { try await connection.sql.raw("SAVEPOINT \(savepoint)").run() }
                let outcome = await job.run(connection)
                outcomes.append(outcome)
                if outcome.failed {
                    if !alone { try await connection.sql.raw("ROLLBACK TO \(savepoint)").run() }
                } else if let left = outcome.deferred {
                    deferred.absorb(left)
                }
                raises = raises || (job.raisesDataVersion && !outcome.failed)
            }
            guard outcomes.all.contains(where: { !$0.failed }) else {
                try await connection.sql.raw("ROLLBACK").run()
                return
            }
            try await deferred.flush(on: connection)
            if raises { try await DataVersion.bump(on: connection) }
            try await connection.sql.raw("COMMIT").run()
        } catch {
            try? await connection.sql.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// The outcomes of a group, filled inside the connection's closure and read after it.
private final class OutcomeList: Sendable {
    private let list = Mutex<[WriteOutcome]>([])
    func append(_ outcome: WriteOutcome) { list.withLock { $0.append(outcome) } }
    var all: [WriteOutcome] { list.withLock { $0 } }
}

/// What became of one write of a group: whether it failed, and how to answer its caller once
/// the group's COMMIT is known (nil: committed).
private struct WriteOutcome: Sendable {
    var failed: Bool
    /// What the write left to the end of the group (nil: it may not leave anything).
    var deferred: DeferredWrites?
    var answer: @Sendable ((any Error)?) -> Void
}
