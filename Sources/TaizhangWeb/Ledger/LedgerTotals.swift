import TaizhangCore
import TaizhangStore
import Vapor

extension Application {
    private struct LedgerTotalsKey: StorageKey {
        typealias Value = VersionedCache<LedgerTotal>
    }

    /// How many records a ledger filter matches, by filter, kept while the data version stands
    /// (any write raises it). Set up by `configure`; without it every request counts.
    var ledgerTotals: VersionedCache<LedgerTotal> {
        get { storage[LedgerTotalsKey.self] ?? VersionedCache(capacity: 0) }
        set { storage[LedgerTotalsKey.self] = newValue }
    }

    /// A few thousand filters: each entry is a number and its key.
    static func makeLedgerTotals() -> VersionedCache<LedgerTotal> {
        VersionedCache(capacity: 5_000)
    }
}

extension Request {
    /// `LedgerQuery.total` for the ledger page and its API, from the cache when the ledger has
    /// not changed since it was counted. At national scope even the running counts are some
    /// 1,400 rows to add up (0.2 ms), a tenth of what the first page cost under load, and the
    /// capped count of a filter they do not cover reads up to 10,001 rows.
    ///
    /// Kept under the SHA-256 of the filter, so that no filter's texts (a search may be as long
    /// as a URL) make the cache's keys large.
    func ledgerTotal(_ filter: LedgerFilter, cap: Int) async throws -> LedgerTotal {
        try await application.ledgerTotals.value("\(cap)|\(filter)".sha256Hex, at: try await dataVersion()) {
            try await LedgerQuery.total(filter, cap: cap, on: db)
        }
    }
}
