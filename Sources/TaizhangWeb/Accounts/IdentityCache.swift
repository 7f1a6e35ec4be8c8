import Foundation
import Vapor

/// A user found by their session or token, with what decides whether it may be reused.
struct CachedIdentity: Sendable {
    var user: CurrentUser
    /// The session's end, or nil for an API token.
    var expiresAt: Date?
    /// When the session or token was last marked as used; once it is a minute old the request
    /// goes to the database, which marks it again (and finds a session that went idle).
    var lastSeenAt: Date

    func isReusable(now: Date = Date()) -> Bool {
        now.timeIntervalSince(lastSeenAt) < 60 && (expiresAt.map { now < $0 } ?? true)
    }
}

extension Application {
    private struct IdentityCacheKey: StorageKey {
        typealias Value = VersionedCache<CachedIdentity>
    }

    /// Signed-in users by the hash of their session cookie or API token. Set up by `configure`.
    var identityCache: VersionedCache<CachedIdentity> {
        get { storage[IdentityCacheKey.self] ?? VersionedCache(capacity: 0) }
        set { storage[IdentityCacheKey.self] = newValue }
    }

    static func makeIdentityCache() -> VersionedCache<CachedIdentity> {
        VersionedCache(capacity: 10_000)
    }
}
