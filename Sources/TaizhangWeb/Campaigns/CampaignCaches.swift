import TaizhangStore
import Vapor

/// The campaigns area's caches of database-derived values (see `VersionedCache`).
struct CampaignCaches: Sendable {
    let campaigns = VersionedCache<Campaign>(capacity: 1_000)
    let areas = VersionedCache<CampaignArea>(capacity: 50_000)
    /// A dashboard's figures by campaign, area, day shown and today; sized by its rows.
    let dashboards = VersionedCache<CampaignDashboard>(capacity: 5_000, maxBytes: 256 << 20) { dashboard in
        512 + dashboard.series.count * 64 + dashboard.children.count * 512
    }
    /// The progress API's answer, encoded, by the same key.
    let progressJSON = VersionedCache<ByteBuffer>(capacity: 2_000, maxBytes: 128 << 20) { $0.readableBytes }
}

extension Application {
    private struct CampaignCachesKey: StorageKey {
        typealias Value = CampaignCaches
    }

    /// Set up by `configure`.
    var campaignCaches: CampaignCaches {
        get { storage[CampaignCachesKey.self] ?? CampaignCaches() }
        set { storage[CampaignCachesKey.self] = newValue }
    }
}
