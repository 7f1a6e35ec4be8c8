import TaizhangCore
import TaizhangStore
import Vapor

extension Application {
    private struct RedFlagCacheKey: StorageKey {
        typealias Value = VersionedCache<RedFlagStore.Listing>
    }

    /// Red-flag listings by scope and day, kept while the data version stands: the red-flag pages,
    /// the API, the verifier's queue (open flags first) and the spot-check draw (flagged first)
    /// compute a division's flags once per change of the ledger, not once per request. Set up by `configure`.
    var redFlagCache: VersionedCache<RedFlagStore.Listing> {
        get { storage[RedFlagCacheKey.self] ?? VersionedCache(capacity: 0) }
        set { storage[RedFlagCacheKey.self] = newValue }
    }

    private struct RedFlagPartsKey: StorageKey {
        typealias Value = RedFlagParts
    }

    /// Each township's records and own flags under its ledger version, so that a listing the cache
    /// above no longer holds (any write raises the data version) reads and checks again only the
    /// townships that changed. Set up by `configure`; without it every listing computes everything.
    var redFlagParts: RedFlagParts? {
        get { storage[RedFlagPartsKey.self] }
        set { storage[RedFlagPartsKey.self] = newValue }
    }

    /// A few hundred divisions' listings, at most 64 MB of sentences and codes.
    static func makeRedFlagCache() -> VersionedCache<RedFlagStore.Listing> {
        VersionedCache(capacity: 256, maxBytes: 64 << 20) { listing in
            (listing.open + listing.dismissed.compactMap(\.current)).reduce(0) { $0 + $1.sentence.utf8.count + 24 * $1.codes.count + 64 }
        }
    }
}

extension RedFlagController {
    /// The flags of `scope` today, from the cache when the ledger has not changed since they were computed.
    static func listing(_ req: Request, _ scope: Scope) async throws -> RedFlagStore.Listing {
        let today = CalendarDay.today()
        return try await req.application.redFlagCache.value("\(scope)|\(today)", at: try await req.dataVersion()) {
            try await RedFlagStore.listing(in: scope, try await context(req, scope, today: today), parts: req.application.redFlagParts, on: req.db)
        }
    }
}
