import NIOConcurrencyHelpers
import TaizhangStore
import Vapor

/// Values computed from the database, kept for as long as the `DataVersion` they were computed
/// at is the current one. Any write, by any app instance or command, raises the version, and
/// the next request that reads the new version finds the cache empty.
///
/// A value is stored under the version read *before* it was computed, so it reflects at least
/// that version, and is only ever served to a request that read the same version. Any other
/// version — newer, or older (a restored database) — empties the cache. Entries also expire
/// after `maxAge`, a bound on what a write that bypassed `writeTransaction` (SQL typed by hand)
/// could leave stale.
final class VersionedCache<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var storedAt: ContinuousClock.Instant
    }

    private struct State {
        var version: Int64 = .min
        var entries: [String: Entry] = [:]
    }

    private let state = NIOLockedValueBox(State())
    /// Past this many entries the cache starts over (the dashboards of a campaign are a few
    /// thousand areas × the days people ask for).
    let capacity: Int
    let maxAge: Duration

    init(capacity: Int, maxAge: Duration = .seconds(300)) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    func value(_ key: String, at version: Int64) -> Value? {
        state.withLockedValue { state in
            guard state.version == version, let entry = state.entries[key] else { return nil }
            guard ContinuousClock.now - entry.storedAt < maxAge else {
                state.entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    func store(_ value: Value, for key: String, at version: Int64) {
        state.withLockedValue { state in
            if version != state.version { state = State(version: version) }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(value: value, storedAt: .now)
        }
    }

    /// The cached value of `key`, or `compute`'s, stored for the next request.
    func value(_ key: String, at version: Int64, compute: () async throws -> Value) async throws -> Value {
        if let cached = value(key, at: version) { return cached }
        let computed = try await compute()
        store(computed, for: key, at: version)
        return computed
    }

    /// The same for a value that may not exist (`find` gives nil; nothing is stored).
    func valueIfFound(_ key: String, at version: Int64, find: () async throws -> Value?) async throws -> Value? {
        if let cached = value(key, at: version) { return cached }
        guard let found = try await find() else { return nil }
        store(found, for: key, at: version)
        return found
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}

/// The app's caches of database-derived values.
struct AppCaches: Sendable {
    /// Signed-in users by the hash of their session cookie or API token.
    let identities = VersionedCache<CachedIdentity>(capacity: 10_000)
    let campaigns = VersionedCache<Campaign>(capacity: 1_000)
    let areas = VersionedCache<CampaignArea>(capacity: 50_000)
    /// A dashboard's figures by campaign, area, day shown and today.
    let dashboards = VersionedCache<CampaignDashboard>(capacity: 5_000)
    /// The progress API's answer, encoded, by the same key.
    let progressJSON = VersionedCache<ByteBuffer>(capacity: 2_000)
}

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
    private struct CachesKey: StorageKey {
        typealias Value = AppCaches
    }

    /// Set up by `configure`.
    var caches: AppCaches {
        get { storage[CachesKey.self] ?? AppCaches() }
        set { storage[CachesKey.self] = newValue }
    }
}

extension Request {
    private struct DataVersionKey: StorageKey {
        typealias Value = Int64
    }

    /// The database's `DataVersion`, read once per request.
    func dataVersion() async throws -> Int64 {
        if let version = storage[DataVersionKey.self] { return version }
        let version = try await DataVersion.current(on: db)
        storage[DataVersionKey.self] = version
        return version
    }
}
