import FluentKit
import Synchronization

/// Rows a write may leave to the end of its SQLite write group: the group writes every write's
/// share in one statement instead of one per write (see `SQLiteWriteQueue`).
///
/// Only what no write of the group reads back may be deferred: running counts, audit rows and
/// stage events, which a new organization adds to and never reads. A write that may read them
/// defers nothing, and the group writes what the earlier writes left before it runs.
protocol GroupedWrite: Sendable {
    /// Adds a later write's share to this one.
    mutating func merge(_ later: Self)
    /// Writes the whole share, on the group's open transaction.
    func write(on db: any Database) async throws
}

extension GroupedWrite {
    /// This share after `earlier`'s, as one; `earlier` is of the same kind.
    fileprivate func merged(after earlier: any GroupedWrite) -> any GroupedWrite {
        guard var earlier = earlier as? Self else { preconditionFailure("deferred shares of two kinds merged") }
        earlier.merge(self)
        return earlier
    }
}

/// The deferred shares of one write, or of the writes of a group that succeeded since the group
/// last wrote them: one share per kind, the kinds in the order they first came.
final class DeferredWrites: Sendable {
    private let shares = Mutex<[any GroupedWrite]>([])

    /// The deferral of the running write, if it runs in a SQLite group that takes deferred shares.
    static var current: DeferredWrites? { WriteTransactionState.deferred }

    func add<Share: GroupedWrite>(_ share: Share) {
        shares.withLock { shares in
            if let index = shares.firstIndex(where: { type(of: $0) == Share.self }) {
                shares[index] = share.merged(after: shares[index])
            } else {
                shares.append(share)
            }
        }
    }

    /// Takes on the shares of a write that succeeded after those already here.
    func absorb(_ later: DeferredWrites) {
        for share in later.shares.withLock({ $0 }) { add(share) }
    }

    /// Writes every share (not deferred again) and forgets them.
    func flush(on db: any Database) async throws {
        let taken = shares.withLock { shares in
            defer { shares = [] }
            return shares
        }
        try await WriteTransactionState.$deferred.withValue(nil) {
            for share in taken { try await share.write(on: db) }
        }
    }
}
