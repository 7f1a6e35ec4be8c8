import FluentKit
import SQLKit
import TaizhangCore

/// Running counts of the ledger for every division at every level (province, city, county,
/// township): organizations by stage, guidance kind, founding day and review, and by stage,
/// guidance kind, unit category, build mode and review. Every ledger write adjusts them in its own transaction,
/// so progress, rankings and dashboards read a few hundred rows instead of counting millions.
public enum LedgerCounts {
    /// Organizations by division, stage, guidance kind and founding day ("" unless 已建立).
    static let dailyTable = "ledger_daily_counts"
    /// Organizations by division, stage, guidance kind, unit category and build mode.
    static let mixTable = "ledger_mix_counts"
    /// The key columns of each table (its primary key); each row's `count` is the organizations of that key.
    static let dailyKeyColumns = ["division_code", "stage", "guidance", "founded_on", "review"]
    static let mixKeyColumns = ["division_code", "stage", "guidance", "unit_category", "build_mode", "review"]

    struct DailyKey: Hashable {
        var division: String
        var stage: String
        var guidance: String
        var foundedOn: String
        var review: String
    }

    struct MixKey: Hashable {
        var division: String
        var stage: String
        var guidance: String
        var unitCategory: String
        var buildMode: String
        var review: String
    }

    /// Changes to apply to the counts, summed before they are written.
    ///
    /// Organizations are counted once, at their township's path; `daily` and `mix` add each
    /// township's counts into every division above it, so a row costs two dictionary updates
    /// however deep the tree is.
    struct Tally {
        private var dailyByPath: [DailyKey: Int] = [:]
        private var mixByPath: [MixKey: Int] = [:]

        /// Counts `count` organizations with these values (negative to take them away) in the
        /// township at `path` and every division above it.
        mutating func add(path: String, stage: Stage, guidance: GuidanceKind, foundedOn: CalendarDay?, unitCategory: String,
                          buildMode: String, review: CountedReview, count: Int = 1) {
            let day = stage == .founded ? foundedOn?.description ?? "" : ""
            dailyByPath[DailyKey(division: path, stage: stage.rawValue, guidance: guidance.rawValue, foundedOn: day,
                                 review: review.rawValue), default: 0] += count
            mixByPath[MixKey(division: path, stage: stage.rawValue, guidance: guidance.rawValue, unitCategory: unitCategory,
                             buildMode: buildMode, review: review.rawValue), default: 0] += count
        }

        mutating func add(path: String, _ fields: OrganizationFields, review: CountedReview, count: Int = 1) {
            add(path: path, stage: fields.stage, guidance: fields.guidance, foundedOn: fields.foundedOn,
                unitCategory: fields.unitCategory, buildMode: fields.buildMode, review: review, count: count)
        }

        /// An organization that was `before` at `beforePath` and is now `after` at `afterPath`.
        mutating func change(from before: OrganizationFields, at beforePath: String, review beforeReview: CountedReview,
                             to after: OrganizationFields, at afterPath: String, review afterReview: CountedReview) {
            add(path: beforePath, before, review: beforeReview, count: -1)
            add(path: afterPath, after, review: afterReview)
        }

        /// How many keys it holds (an import applies its tally when this grows large).
        var keyCount: Int { dailyByPath.count + mixByPath.count }

        mutating func merge(_ other: Tally) {
            dailyByPath.merge(other.dailyByPath, uniquingKeysWith: +)
            mixByPath.merge(other.mixByPath, uniquingKeysWith: +)
        }

        /// The changes at every division on each township's path, in the order they are written.
        var inKeyOrder: OrderedChanges {
            OrderedChanges(daily: LedgerCounts.rolledUpInOrder(dailyByPath, division: \.division) { $0.precedes($1) },
                           mix: LedgerCounts.rolledUpInOrder(mixByPath, division: \.division) { $0.precedes($1) })
        }
    }

    /// Writes a tally: each key's count goes up (or down) by its sum. A new organization's tally
    /// waits for the end of its SQLite write group, which writes the group's tallies as one.
    static func apply(_ tally: Tally, on db: any Database) async throws {
        if let deferred = DeferredWrites.current {
            deferred.add(tally)
        } else {
            try await write(tally, on: db)
        }
    }

    fileprivate static func write(_ tally: Tally, on db: any Database) async throws {
        try await write(tally.inKeyOrder, on: db)
    }

    /// Writes changes already rolled up and put in order — an import prepares them while its
    /// statements run, and queues these behind them — never left to the end of a write group.
    static func write(_ changes: OrderedChanges, queue: BulkStatementQueue? = nil, on db: any Database) async throws {
        var daily = BulkWrite(.addOnConflict(key: dailyKeyColumns, column: "count"), into: dailyTable, columns: dailyKeyColumns + ["count"],
                              queue: queue, on: db)
        for (key, count) in changes.daily {
            try await daily.append([.text(key.division), .text(key.stage), .text(key.guidance), .text(key.foundedOn), .text(key.review),
                                    .integer(count)])
        }
        try await daily.finish()
        var mix = BulkWrite(.addOnConflict(key: mixKeyColumns, column: "count"), into: mixTable, columns: mixKeyColumns + ["count"],
                            queue: queue, on: db)
        for (key, count) in changes.mix {
            try await mix.append([.text(key.division), .text(key.stage), .text(key.guidance), .text(key.unitCategory),
                                  .text(key.buildMode), .text(key.review), .integer(count)])
        }
        try await mix.finish()
    }

    /// The organizations of some townships (or of all), grouped as the counts key them.
    static func tally(townships: [String]? = nil, sign: Int = 1, path: String? = nil, on db: any Database) async throws -> Tally {
        struct Row: Decodable {
            var divisionPath: String
            var stage: String
            var guidance: String
            var foundedOn: String?
            var unitCategory: String
            var buildMode: String
            var review: String
            var n: Int
        }
        var query = db.sql.select()
            .columns("division_path", "stage", "guidance", "founded_on", "unit_category", "build_mode")
            .column(reviewKey, as: "review")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("organizations")
        if let townships { query = query.where("township_code", .in, townships) }
        let rows = try await query.groupBy("division_path").groupBy("stage").groupBy("guidance").groupBy("founded_on")
            .groupBy("unit_category").groupBy("build_mode").groupBy(reviewKey)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        var tally = Tally()
        for row in rows {
            guard let stage = Stage(rawValue: row.stage), let guidance = GuidanceKind(rawValue: row.guidance),
                  let review = CountedReview(rawValue: row.review) else { continue }
            tally.add(path: path ?? row.divisionPath, stage: stage, guidance: guidance, foundedOn: row.foundedOn.flatMap(CalendarDay.init(iso:)),
                      unitCategory: row.unitCategory, buildMode: row.buildMode, review: review, count: sign * row.n)
        }
        return tally
    }

    /// An organization's review key, computed from its row.
    static let reviewKey = SQLRaw("CASE WHEN refuted_on IS NOT NULL THEN 'refuted' ELSE review_state END")

    /// Recounts everything from the organizations table (after a migration, or to check the counts).
    public static func rebuild(on database: any Database) async throws {
        try await rebuild(raisingDataVersion: true, on: database)
    }

    /// `raisingDataVersion: false` in the migration that runs before the version's table exists.
    static func rebuild(raisingDataVersion: Bool, on database: any Database) async throws {
        try await writeTransaction(on: database, raisesDataVersion: raisingDataVersion) { db in
            try await db.sql.delete(from: dailyTable).run()
            try await db.sql.delete(from: mixTable).run()
            try await apply(try await tally(on: db), on: db)
        }
    }

    /// Moves a township's organizations from the divisions above `oldPath` to those above `newPath`.
    static func moveTownship(_ code: String, from oldPath: String, to newPath: String, on db: any Database) async throws {
        var tally = try await tally(townships: [code], sign: -1, path: oldPath, on: db)
        let added = try await self.tally(townships: [code], path: newPath, on: db)
        tally.merge(added)
        try await apply(tally, on: db)
    }

    // MARK: - Reading

    /// SUM(count) as a 64-bit integer: PostgreSQL sums BIGINT to NUMERIC, which does not decode as Int.
    static let sumOfCounts = SQLRaw("CAST(SUM(count) AS BIGINT)")

    /// Organizations that count, per division: those founded from `since` (or from the beginning
    /// when nil) up to the day before `dailyFrom`, added up in `before`; and those founded on each
    /// day from `dailyFrom` through `end`, in `daily`.
    public struct Founded: Sendable {
        public var before: [String: Int] = [:]
        public var daily: [String: [CalendarDay: Int]] = [:]
    }

    public static func founded(divisions: [String], rule: CountingRule, since: CalendarDay?, dailyFrom: CalendarDay,
                               through end: CalendarDay, on db: any Database) async throws -> Founded {
        // Column names as they are: key conversion costs more than the query on large answers.
        struct DayRow: Decodable {
            var division_code: String
            var founded_on: String
            var n: Int
        }
        var result = Founded()
        let kinds = rule.guidanceKinds.map(\.rawValue)
        for chunk in divisions.chunked(500) {
            let rows = try await db.sql.select().column("division_code").column("founded_on")
                .column(sumOfCounts, as: "n")
                .from(dailyTable)
                .where("division_code", .in, chunk).where("stage", .equal, Stage.founded.rawValue).where("guidance", .in, kinds)
                .where("review", .in, rule.countedReviews.map(\.rawValue))
                .where("founded_on", .greaterThanOrEqual, dailyFrom.description).where("founded_on", .lessThanOrEqual, end.description)
                .groupBy("division_code").groupBy("founded_on")
                .all(decoding: DayRow.self)
            for row in rows where row.n != 0 {
                guard let day = CalendarDay(iso: row.founded_on) else { continue }
                result.daily[row.division_code, default: [:]][day, default: 0] += row.n
            }
        }
        result.before = try await totals(divisions: divisions, rule: rule, since: since, before: dailyFrom, on: db)
        return result
    }

    /// Per division, what counts up to `asOf` (founded from `since`, or ever when nil) and how much
    /// of it is new on `asOf`, since that week's Monday and in the 7 days ending on it — one row per
    /// division, added up by the database, whatever the number of days.
    public static func windowCounts(divisions: [String], rule: CountingRule, since: CalendarDay?, asOf: CalendarDay,
                                    on db: any Database) async throws -> [String: AreaProgress.Counts] {
        struct Row: Decodable {
            var division_code: String
            var counted: Int
            var today: Int
            var week: Int
            var seven: Int
        }
        func sum(from day: CalendarDay, _ name: String) -> SQLAlias {
            SQLAlias(SQLQueryString("CAST(SUM(CASE WHEN founded_on >= \(bind: day.description) THEN count ELSE 0 END) AS BIGINT)"), as: name)
        }
        var result: [String: AreaProgress.Counts] = [:]
        for chunk in divisions.chunked(500) {
            let rows = try await db.sql.select().column("division_code").column(sumOfCounts, as: "counted")
                .column(sum(from: asOf, "today")).column(sum(from: asOf.adding(days: -asOf.weekdayFromMonday), "week"))
                .column(sum(from: asOf.adding(days: -6), "seven"))
                .from(dailyTable)
                .where("division_code", .in, chunk).where("stage", .equal, Stage.founded.rawValue)
                .where("guidance", .in, rule.guidanceKinds.map(\.rawValue)).where("review", .in, rule.countedReviews.map(\.rawValue))
                .where("founded_on", since.map { _ in .greaterThanOrEqual } ?? .greaterThan, since?.description ?? "")
                .where("founded_on", .lessThanOrEqual, asOf.description)
                .groupBy("division_code")
                .all(decoding: Row.self)
            for row in rows {
                result[row.division_code] = AreaProgress.Counts(counted: row.counted, today: row.today, thisWeek: row.week, lastSevenDays: row.seven)
            }
        }
        return result
    }

    /// Organizations that count founded from `since` (or ever, when nil) up to the day before `before`, per division.
    public static func totals(divisions: [String], rule: CountingRule, since: CalendarDay?, before: CalendarDay,
                              on db: any Database) async throws -> [String: Int] {
        struct TotalRow: Decodable {
            var division_code: String
            var n: Int
        }
        if let since, since >= before { return [:] }
        var result: [String: Int] = [:]
        for chunk in divisions.chunked(500) {
            let rows = try await db.sql.select().column("division_code")
                .column(sumOfCounts, as: "n")
                .from(dailyTable)
                .where("division_code", .in, chunk).where("stage", .equal, Stage.founded.rawValue)
                .where("guidance", .in, rule.guidanceKinds.map(\.rawValue)).where("review", .in, rule.countedReviews.map(\.rawValue))
                .where("founded_on", since.map { _ in .greaterThanOrEqual } ?? .greaterThan, since?.description ?? "")
                .where("founded_on", .lessThan, before.description)
                .groupBy("division_code")
                .all(decoding: TotalRow.self)
            for row in rows { result[row.division_code, default: 0] += row.n }
        }
        return result
    }

    /// Organizations by stage in some divisions (added up).
    public static func byStage(divisions: [String], on db: any Database) async throws -> [Stage: Int] {
        try await grouped(by: "stage", divisions: divisions, on: db).reduce(into: [:]) { result, pair in
            if let stage = Stage(rawValue: pair.key) { result[stage] = pair.value }
        }
    }

    /// Organizations by `column` ("stage", "unit_category" or "build_mode") in some divisions,
    /// optionally only of some stages and only those a counting rule counts (guidance and review).
    public static func grouped(by column: String, divisions: [String], stages: [Stage]? = nil, rule: CountingRule? = nil,
                               on db: any Database) async throws -> [String: Int] {
        struct Row: Decodable {
            var value: String
            var n: Int
        }
        precondition(["stage", "unit_category", "build_mode"].contains(column))
        var query = db.sql.select().column(SQLColumn(column), as: "value").column(sumOfCounts, as: "n")
            .from(mixTable).where("division_code", .in, divisions)
        if let stages { query = query.where("stage", .in, stages.map(\.rawValue)) }
        if let rule {
            query = query.where("guidance", .in, rule.guidanceKinds.map(\.rawValue)).where("review", .in, rule.countedReviews.map(\.rawValue))
        }
        let rows = try await query.groupBy(SQLColumn(column)).all(decoding: Row.self)
        return rows.reduce(into: [:]) { $0[$1.value, default: 0] += $1.n }
    }
}

extension LedgerCounts.Tally: GroupedWrite {
    func write(on db: any Database) async throws {
        try await LedgerCounts.write(self, on: db)
    }
}

extension Collection {
    /// The elements in runs of at most `size`.
    func chunked(_ size: Int) -> [[Element]] {
        let all = Array(self)
        return stride(from: 0, to: all.count, by: size).map { Array(all[$0..<Swift.min($0 + size, all.count)]) }
    }
}
