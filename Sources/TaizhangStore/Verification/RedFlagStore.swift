import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Red flags (数据预警) of a part of the ledger: computed on demand from the organizations (two
/// reads: the records that have not ended, and the creations since the earliest burst baseline),
/// plus the dismissals, which are the only thing stored.
public enum RedFlagStore {
    /// What a computation looks at besides the ledger.
    public struct Context: Sendable, Equatable {
        public var settings: RedFlagSettings
        public var today: CalendarDay
        /// Deadlines and reporting cut-offs for the bursts.
        public var cutoffs: [RedFlagCutoff]

        public init(settings: RedFlagSettings = RedFlagSettings(), today: CalendarDay, cutoffs: [RedFlagCutoff]) {
            self.settings = settings
            self.today = today
            self.cutoffs = cutoffs
        }
    }

    public struct Dismissal: Sendable, Equatable {
        public var flagID: String
        public var kind: RedFlagKind
        public var codes: [String]
        public var divisionPath: String
        public var sentence: String
        public var reason: String
        public var dismissedBy: String
        public var dismissedAt: Date
    }

    /// The flags of a scope: those still open, and the dismissed ones (with the flag as computed
    /// now, or nil when the ledger no longer raises it).
    public struct Listing: Sendable {
        public var open: [RedFlag]
        public var dismissed: [(dismissal: Dismissal, current: RedFlag?)]
    }

    /// The cut-offs of the campaigns that overlap `scope`: each deadline, and the half-month
    /// reporting cut-offs from its start to its deadline; one per day.
    public static func cutoffs(overlapping scope: Scope, on db: any Database) async throws -> [RedFlagCutoff] {
        let campaigns = try await CampaignStore.list(overlapping: scope, on: db)
        // Deadlines first: a deadline on a half-month end is named as the deadline.
        let all = campaigns.map { RedFlagCutoff(day: $0.deadline, label: "活动截止日") }
            + campaigns.flatMap { RedFlagCutoff.halfMonthEnds(from: $0.start, through: $0.deadline) }
        var seen = Set<CalendarDay>()
        return all.filter { seen.insert($0.day).inserted }
    }

    /// The context for `scope` today: the campaigns' cut-offs and the given settings.
    public static func context(for scope: Scope, settings: RedFlagSettings = RedFlagSettings(), today: CalendarDay = .today(),
                               on db: any Database) async throws -> Context {
        Context(settings: settings, today: today, cutoffs: try await cutoffs(overlapping: scope, on: db))
    }

    /// Every flag the ledger raises inside `scope` (dismissed or not), computed from the records inside it.
    public static func flags(in scope: Scope, _ context: Context, on db: any Database) async throws -> [RedFlag] {
        async let records = RedFlagQueries.records(in: scope, on: db)
        async let created = RedFlagQueries.created(in: scope, since: RedFlagBursts.earliestDay(context.cutoffs, settings: context.settings), on: db)
        async let names = RedFlagQueries.townshipNames(in: scope, on: db)
        return RedFlagDetector(settings: context.settings).flags(records: try await records, created: try await created,
                                                                  cutoffs: context.cutoffs, today: context.today, townshipNames: try await names)
    }

    /// The flags of `scope` (from `parts` when given: see `flags(in:_:parts:on:)`) and its dismissals.
    static func flags(in scope: Scope, _ context: Context, kept parts: RedFlagParts?, on db: any Database) async throws -> [RedFlag] {
        if let parts { try await flags(in: scope, context, parts: parts, on: db) } else { try await flags(in: scope, context, on: db) }
    }

    public static func listing(in scope: Scope, _ context: Context, parts: RedFlagParts? = nil, on db: any Database) async throws -> Listing {
        let flags = try await flags(in: scope, context, kept: parts, on: db)
        let dismissals = try await dismissals(in: scope, on: db)
        let dismissedIDs = Set(dismissals.map(\.flagID))
        let byID = Dictionary(flags.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return Listing(open: flags.filter { !dismissedIDs.contains($0.id) }, dismissed: dismissals.map { ($0, byID[$0.flagID]) })
    }

    /// How many open flags concern each organization inside `scope` (organizations without one are absent):
    /// for the verifier's queue (open red flags first) and for weighting spot-check samples.
    public static func openFlagCounts(in scope: Scope, _ context: Context, on db: any Database) async throws -> [String: Int] {
        openFlagCounts(try await listing(in: scope, context, on: db))
    }

    /// The same from a listing already computed.
    public static func openFlagCounts(_ listing: Listing) -> [String: Int] {
        var counts: [String: Int] = [:]
        for flag in listing.open { for code in flag.codes { counts[code, default: 0] += 1 } }
        return counts
    }

    /// Dismisses (忽略) the flag `flagID` as the ledger raises it inside `scope` now, with a reason.
    @discardableResult
    public static func dismiss(_ flagID: String, reason: String, in scope: Scope, _ context: Context, parts: RedFlagParts? = nil,
                               by actor: Actor, on database: any Database) async throws -> Dismissal {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Refusal("忽略理由：不能为空，请写明这条预警为什么不成立", field: "reason") }
        guard reason.count <= 500 else { throw Refusal("忽略理由：不能超过 500 字（现有 \(reason.count) 字）", field: "reason") }
        guard let flag = try await flags(in: scope, context, kept: parts, on: database).first(where: { $0.id == flagID }) else {
            throw Refusal.notFound("找不到编号为「\(flagID)」的预警：它可能已随台账修改而消失，或不在您的范围内")
        }
        return try await writeTransaction(on: database) { db in
            if let earlier = try await dismissal(flagID, on: db) {
                throw Refusal.conflict("这条预警已于 \(earlier.dismissedAt) 由\(earlier.dismissedBy)忽略（理由：\(earlier.reason)）")
            }
            let dismissal = Dismissal(flagID: flagID, kind: flag.kind, codes: flag.codes, divisionPath: flag.townshipPaths.first ?? "",
                                      sentence: flag.sentence, reason: reason, dismissedBy: actor.name, dismissedAt: Date())
            try await db.sql.insert(into: "red_flag_dismissals")
                .columns("flag_id", "kind", "codes", "division_path", "sentence", "reason", "dismissed_by", "dismissed_by_user_id", "dismissed_at")
                .values(SQLBind(flagID), SQLBind(flag.kind.rawValue), SQLBind(flag.codes.joined(separator: ",")), SQLBind(dismissal.divisionPath),
                        SQLBind(flag.sentence), SQLBind(reason), SQLBind(actor.name), SQLBind(actor.userID), SQLBind(dismissal.dismissedAt))
                .run()
            try await AuditLog.record("red_flag.dismiss", entityType: "red_flag", entityID: flagID, divisionPath: dismissal.divisionPath,
                                      before: ["预警": flag.sentence, "类别": flag.kind.label, "团组织": flag.codes.joined(separator: "、")],
                                      after: ["忽略理由": reason], by: actor, on: db)
            return dismissal
        }
    }

    /// The names of the organizations `codes`, for links (codes not found are absent).
    public static func organizationNames(_ codes: [String], on db: any Database) async throws -> [String: String] {
        var names: [String: String] = [:]
        for start in stride(from: 0, to: codes.count, by: 500) {
            let chunk = Array(codes[start..<min(codes.count, start + 500)])
            let select = db.sql.select().columns("code", "name").from("organizations").where("code", .in, chunk)
            for (code, name) in try await ResultRows.all(select.query, on: db, { row in (try row.string("code"), try row.string("name")) }) {
                names[code] = name
            }
        }
        return names
    }

    public static func dismissals(in scope: Scope, on db: any Database) async throws -> [Dismissal] {
        let select = db.sql.select().columns("flag_id", "kind", "codes", "division_path", "sentence", "reason", "dismissed_by", "dismissed_at")
            .from("red_flag_dismissals")
        select.whereInside(scope, SQLColumn("division_path"))
        return try await ResultRows.all(select.orderBy("dismissed_at", .descending).orderBy("flag_id").query, on: db, dismissal(from:))
    }

    static func dismissal(_ flagID: String, on db: any Database) async throws -> Dismissal? {
        let select = db.sql.select().columns("flag_id", "kind", "codes", "division_path", "sentence", "reason", "dismissed_by", "dismissed_at")
            .from("red_flag_dismissals").where("flag_id", .equal, flagID)
        return try await ResultRows.all(select.query, on: db, dismissal(from:)).first
    }

    @Sendable static func dismissal(from row: any ColumnReader) throws -> Dismissal {
        Dismissal(flagID: try row.string("flag_id"), kind: RedFlagKind(rawValue: try row.string("kind")) ?? .nearDuplicateName,
                  codes: try row.string("codes").split(separator: ",").map(String.init), divisionPath: try row.string("division_path"),
                  sentence: try row.string("sentence"), reason: try row.string("reason"), dismissedBy: try row.string("dismissed_by"),
                  dismissedAt: try row.date("dismissed_at"))
    }
}
