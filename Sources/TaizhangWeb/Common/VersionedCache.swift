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
///
/// Keyed by text (`VersionedCache`) or by any value that hashes (the ledger's filters: hashing
/// a filter is a tenth of a microsecond, writing it out as text took 2.5% of a page under load).
final class KeyedVersionedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var storedAt: ContinuousClock.Instant
    }

    private struct State {
        var version: Int64 = .min
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    private let state = NIOLockedValueBox(State())
    /// Past this many entries the cache starts over (the dashboards of a campaign are a few
    /// thousand areas × the days people ask for).
    let capacity: Int
    let maxAge: Duration
    /// Past this many bytes (by `size`) the cache starts over, so no request can fill memory
    /// with large answers; a single value larger than this is not kept at all.
    let maxBytes: Int
    let size: @Sendable (Value) -> Int

    init(capacity: Int, maxAge: Duration = .seconds(300), maxBytes: Int = .max, size: @escaping @Sendable (Value) -> Int = { _ in 0 }) {
        self.capacity = capacity
        self.maxAge = maxAge
        self.maxBytes = maxBytes
        self.size = size
    }

    func value(_ key: Key, at version: Int64) -> Value? {
        state.withLockedValue { state in
            guard state.version == version, let entry = state.entries[key] else { return nil }
            guard ContinuousClock.now - entry.storedAt < maxAge else {
                state.entries[key] = nil
                state.bytes -= size(entry.value)
                return nil
            }
            return entry.value
        }
    }

    func store(_ value: Value, for key: Key, at version: Int64) {
        let bytes = size(value)
        guard bytes <= maxBytes else { return }
        state.withLockedValue { state in
            if version != state.version { state = State(version: version) }
            if state.entries.count >= capacity || state.bytes + bytes > maxBytes {
                state.entries.removeAll(keepingCapacity: true)
                state.bytes = 0
            }
            if let replaced = state.entries[key] { state.bytes -= size(replaced.value) }
            state.entries[key] = Entry(value: value, storedAt: .now)
            state.bytes += bytes
        }
    }

    /// The cached value of `key`, or `compute`'s, stored for the next request.
    func value(_ key: Key, at version: Int64, compute: () async throws -> Value) async throws -> Value {
        if let cached = value(key, at: version) { return cached }
        let computed = try await compute()
        store(computed, for: key, at: version)
        return computed
    }

    /// The same for a value that may not exist (`find` gives nil; nothing is stored).
    func valueIfFound(_ key: Key, at version: Int64, find: () async throws -> Value?) async throws -> Value? {
        if let cached = value(key, at: version) { return cached }
        guard let found = try await find() else { return nil }
        store(found, for: key, at: version)
        return found
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}

/// The caches keyed by text.
typealias VersionedCache<Value: Sendable> = KeyedVersionedCache<String, Value>

extension Request {
    private struct DataVersionsKey: StorageKey {
        typealias Value = DataVersion.Versions
    }

    /// The database's versions, read once per request (both in one statement).
    func dataVersions() async throws -> DataVersion.Versions {
        if let versions = storage[DataVersionsKey.self] { return versions }
        let versions = try await DataVersion.currentVersions(on: db)
        storage[DataVersionsKey.self] = versions
        return versions
    }

    /// The database's `DataVersion`, raised by every write.
    func dataVersion() async throws -> Int64 {
        try await dataVersions().all
    }

    /// The version of what the application is set up with (accounts, divisions, reference
    /// lists): what depends only on those is cached under it, across ledger writes.
    func setupVersion() async throws -> Int64 {
        try await dataVersions().setup
    }
}
