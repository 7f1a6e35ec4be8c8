import FluentKit
import Foundation
import Synchronization
import TaizhangCore

/// What each township's records alone decide about the red flags — its records as the rules read
/// them and its own flags (a record's checks, names inside the township, late bursts) — kept between
/// computations under the township's ledger version (`township_ledger_versions`, raised by triggers
/// on every change that matters, by any instance or command). A computation then reads and checks
/// only the townships whose version moved, and compares townships (the same name in two townships
/// of a county, one phone behind many) by the name hashes and phones it keeps.
///
/// Bounded by an estimate of the bytes kept: past it, the townships used longest ago are let go
/// (and read again when next needed).
public final class RedFlagParts: Sendable {
    struct Part: Sendable {
        var version: Int64
        /// What the township's flags were computed with besides its records.
        var context: RedFlagStore.Context
        var townshipName: String?
        var records: [RedFlagRecord]
        /// The records' name hashes and phones, for the comparisons across townships.
        var keys: RedFlagCrossKeys
        var flags: [RedFlag]
        var bytes: Int
        var lastUsed: UInt64 = 0
    }

    private struct State {
        var parts: [String: Part] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var computed = 0
    }

    private let state = Mutex(State())
    public let maxBytes: Int

    public init(maxBytes: Int = 512 << 20) {
        self.maxBytes = maxBytes
    }

    /// How many townships' parts were computed since this was made (for tests and benchmarks).
    public var townshipsComputed: Int { state.withLock { $0.computed } }

    /// The parts kept for `paths` (those not kept are absent), marked as just used.
    func parts(for paths: some Sequence<String>) -> [String: Part] {
        state.withLock { state in
            state.clock += 1
            var found: [String: Part] = [:]
            for path in paths {
                guard var part = state.parts[path] else { continue }
                part.lastUsed = state.clock
                state.parts[path] = part
                found[path] = part
            }
            return found
        }
    }

    /// Keeps `fresh` (replacing what was kept for those townships), then lets the least recently
    /// used go until the estimate is under `maxBytes`.
    func keep(_ fresh: [String: Part]) {
        state.withLock { state in
            state.clock += 1
            state.computed += fresh.count
            for (path, var part) in fresh {
                part.lastUsed = state.clock
                state.bytes += part.bytes - (state.parts[path]?.bytes ?? 0)
                state.parts[path] = part
            }
            guard state.bytes > maxBytes else { return }
            for (path, part) in state.parts.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                guard state.bytes > maxBytes else { break }
                state.parts[path] = nil
                state.bytes -= part.bytes
            }
        }
    }

    /// A rough size of a township's part: the records' fields, names (codes, phones and short text
    /// are stored inline; the township's path is one string shared by its records), keys, and the
    /// flags' sentences and codes.
    static func estimatedBytes(records: [RedFlagRecord], flags: [RedFlag]) -> Int {
        records.reduce(0) { $0 + 200 + $1.name.utf8.count }
            + flags.reduce(0) { $0 + 96 + $1.sentence.utf8.count + 24 * $1.codes.count }
    }
}

extension RedFlagStore {
    /// `flags(in:_:on:)` computed from `parts`: only the townships whose ledger version moved since
    /// they were kept (or that were never kept, or whose day, cut-offs, settings or name changed)
    /// are read and checked again, in parallel; the comparisons across townships run over every
    /// township's records. The same flags as computing everything again.
    public static func flags(in scope: Scope, _ context: Context, parts: RedFlagParts, on db: any Database) async throws -> [RedFlag] {
        // The versions first: a change committed after this read raises a version past the one kept.
        let versions = try await RedFlagQueries.townshipVersions(in: scope, on: db)
        let names = try await RedFlagQueries.townshipNames(in: scope, on: db)
        var current = parts.parts(for: versions.keys)
        let stale = versions.filter { path, version in
            guard let part = current[path] else { return true }
            return part.version != version || part.context != context || part.townshipName != names[path]
        }.keys.sorted()
        let detector = RedFlagDetector(settings: context.settings)
        if !stale.isEmpty {
            let fresh = try await computeParts(stale, versions: versions, names: names, context: context, detector: detector, on: db)
            parts.keep(fresh)
            current.merge(fresh) { _, new in new }
        }
        let ordered = versions.keys.sorted().compactMap { current[$0] }
        let cross = detector.crossTownshipFlags(townships: ordered.map { ($0.records, $0.keys) }, townshipNames: names)
        return RedFlagDetector.sorted(ordered.flatMap(\.flags) + cross)
    }

    /// Each stale township's part: the townships shared out over the processors, each share read
    /// (two statements per 500 townships, on connections of their own) and checked by one task.
    private static func computeParts(_ stale: [String], versions: [String: Int64], names: [String: String], context: Context,
                                     detector: RedFlagDetector, on db: any Database) async throws -> [String: RedFlagParts.Part] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, stale.count / 8 + 1))
        let since = RedFlagBursts.earliestDay(context.cutoffs, settings: context.settings)
        return try await withThrowingTaskGroup(of: [String: RedFlagParts.Part].self) { group in
            for worker in 0..<workers {
                let mine = stride(from: worker, to: stale.count, by: workers).map { stale[$0] }
                group.addTask {
                    async let read = RedFlagQueries.records(inTownships: mine, on: db)
                    let created = Dictionary(grouping: try await RedFlagQueries.created(inTownships: mine, since: since, on: db), by: \.townshipPath)
                    // Grouped by township, each township's records sharing one string for its path.
                    var records: [String: [RedFlagRecord]] = [:]
                    for var record in try await read {
                        if let index = versions.index(forKey: record.townshipPath) { record.townshipPath = versions.keys[index] }
                        records[record.townshipPath, default: []].append(record)
                    }
                    var parts: [String: RedFlagParts.Part] = [:]
                    for path in mine {
                        let townshipRecords = records[path] ?? []
                        let flags = detector.townshipFlags(records: townshipRecords, created: created[path] ?? [], cutoffs: context.cutoffs,
                                                           today: context.today, townshipNames: names)
                        parts[path] = RedFlagParts.Part(version: versions[path] ?? 0, context: context, townshipName: names[path],
                                                        records: townshipRecords, keys: RedFlagCrossKeys(townshipRecords), flags: flags,
                                                        bytes: RedFlagParts.estimatedBytes(records: townshipRecords, flags: flags))
                    }
                    return parts
                }
            }
            var all: [String: RedFlagParts.Part] = [:]
            for try await parts in group { all.merge(parts) { _, new in new } }
            return all
        }
    }
}
