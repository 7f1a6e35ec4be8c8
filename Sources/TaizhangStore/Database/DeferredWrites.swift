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
    /// This share after `earlier`'s, as one (or this one alone when `earlier` is of another kind).
    fileprivate func merged(after earlier: (any GroupedWrite)?) -> any GroupedWrite {
        guard let earlier else { return self }
        guard var earlier = earlier as? Self else { preconditionFailure("deferred shares of two kinds under one key") }
        earlier.merge(self)
        return earlier
    }
}

/// The deferred shares of one write, or of the writes of a group that succeeded since the group
/// last wrote them, each kind kept in the order it first came.
final class DeferredWrites: Sendable {
    private struct Parts {
        var order: [ObjectIdentifier] = []
        var byKind: [ObjectIdentifier: any GroupedWrite] = [:]
    }

    private let parts = Mutex(Parts())

    /// The deferral of the running write, if it runs in a SQLite group that takes deferred shares.
    static var current: DeferredWrites? { WriteTransactionState.deferred }

    func add(_ share: some GroupedWrite) {
        let kind = ObjectIdentifier(type(of: share))
        parts.withLock { parts in
            if parts.byKind[kind] == nil { parts.order.append(kind) }
            parts.byKind[kind] = share.merged(after: parts.byKind[kind])
        }
    }

    /// Takes on the shares of a write that succeeded after those already here.
    func absorb(_ later: DeferredWrites) {
        let taken = later.parts.withLock { $0 }
        for kind in taken.order {
            guard let share = taken.byKind[kind] else { continue }
            parts.withLock { parts in
                if parts.byKind[kind] == nil { parts.order.append(kind) }
                parts.byKind[kind] = share.merged(after: parts.byKind[kind])
            }
        }
    }

    var isEmpty: Bool { parts.withLock { $0.order.isEmpty } }

    /// Writes every share (not deferred again) and forgets them.
    func flush(on db: any Database) async throws {
        let taken = parts.withLock { parts in
            defer { parts = Parts() }
            return parts
        }
        try await WriteTransactionState.$deferred.withValue(nil) {
            for kind in taken.order {
                try await taken.byKind[kind]?.write(on: db)
            }
        }
    }
}
