import TaizhangCore
import TaizhangStore
import Vapor

extension Application {
    private struct LedgerTotalsKey: StorageKey {
        typealias Value = KeyedVersionedCache<LedgerTotalKey, LedgerTotal>
    }

    /// How many records a ledger filter matches, by filter, kept while the data version stands
    /// (any write raises it). Set up by `configure`; without it every request counts.
    var ledgerTotals: KeyedVersionedCache<LedgerTotalKey, LedgerTotal> {
        get { storage[LedgerTotalsKey.self] ?? KeyedVersionedCache(capacity: 0) }
        set { storage[LedgerTotalsKey.self] = newValue }
    }

    /// A few thousand filters: each entry is a number and its key.
    static func makeLedgerTotals() -> KeyedVersionedCache<LedgerTotalKey, LedgerTotal> {
        KeyedVersionedCache(capacity: 5_000)
    }
}

/// A filter and the count's cap: what a total is kept under.
struct LedgerTotalKey: Hashable, Sendable {
    var filter: LedgerFilter
    var cap: Int

    /// A search's text may be as long as a URL: totals of longer texts than this are counted
    /// each time rather than kept, so that no key makes the cache large.
    static let longestKeptText = 200
}

extension Request {
    /// `LedgerQuery.total` for the ledger page and its API, from the cache when the ledger has
    /// not changed since it was counted. At national scope even the running counts are some
    /// 1,400 rows to add up (0.2 ms), a tenth of what the first page cost under load, and the
    /// capped count of a filter they do not cover reads up to 10,001 rows.
    ///
    /// Kept under the filter itself (hashed, not written out as text).
    func ledgerTotal(_ filter: LedgerFilter, cap: Int) async throws -> LedgerTotal {
        guard (filter.text?.utf8.count ?? 0) <= LedgerTotalKey.longestKeptText else {
            return try await LedgerQuery.total(filter, cap: cap, on: db)
        }
        return try await application.ledgerTotals.value(LedgerTotalKey(filter: filter, cap: cap), at: try await dataVersion()) {
            try await LedgerQuery.total(filter, cap: cap, on: db)
        }
    }
}
