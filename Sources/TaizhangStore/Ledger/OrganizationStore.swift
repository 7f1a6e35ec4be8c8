import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Creating, editing and moving organizations through their stages. Every write checks the
/// record, bumps its version, and writes its stage event and audit row in one transaction.
public enum OrganizationStore {
    public struct Saved: Sendable {
        public var record: OrganizationRecord
        /// Checks that warn but did not stop the save.
        public var warnings: [String]
        /// The record's whole stage timeline where the save knows it without reading (a new
        /// record's one entry); nil otherwise.
        public var timeline: [TimelineEntry]? = nil
    }

    public static func find(_ code: String, on db: any Database) async throws -> OrganizationRecord? {
        try await OrganizationRow.all(
            db.sql.select().columns(OrganizationRow.columns.map { SQLColumn($0) }).from("organizations")
                .where("code", .equal, code).query,
            on: db
        ).first?.record
    }

    public static func require(_ code: String, on db: any Database) async throws -> OrganizationRecord {
        guard let record = try await find(code, on: db) else { throw Refusal.organizationNotFound(code) }
        return record
    }

    /// A township as a write needs it: where it is and what it is called.
    struct Township: Sendable {
        var code: String
        var name: String
        var path: String
    }

    /// The township an organization belongs to, checked to be a township. Read with one plain
    /// query (no model): edits and moves run it inside the write transaction.
    static func township(_ code: String, on db: any Database) async throws -> Township {
        let query = db.sql.select().columns("name", "level", "path").from(Division.schema).where("code", .equal, code).query
        let found = try await ResultRows.all(query, on: db) { row in
            (name: try row.string("name"), level: try row.string("level"), path: try row.string("path"))
        }
        guard let division = found.first else { throw Township.notFound(code) }
        return try Township(code: code, name: division.name, level: division.level, path: division.path)
    }

    /// Refusals of the record and of its reference values (`references` when the caller has
    /// them at hand, else read).
    static func validate(_ fields: OrganizationFields, checks: OrganizationChecks, references given: ReferenceLists? = nil,
                         on db: any Database) async throws {
        var problems = checks.refusals(fields, today: .today())
        let references: ReferenceLists
        if let given { references = given } else { references = try await ReferenceStore.lists(on: db) }
        for (kind, value, label) in [(ReferenceKind.orgType, fields.orgType, "组织类型"),
                                     (.unitCategory, fields.unitCategory, "单位类别"),
                                     (.buildMode, fields.buildMode, "建团方式")] {
            if !references.list(kind).contains(value) {
                problems.append(InvalidInput(field: label, reason: "「\(value)」不是可选的\(kind.label)"))
            }
        }
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
    }

    /// Refuses a name another active organization of the township already has.
    static func checkUniqueName(_ fields: OrganizationFields, except code: String?, on db: any Database) async throws {
        let names = try await LedgerImporter.activeNames(townships: [fields.townshipCode], on: db)
        if let other = names[LedgerImporter.nameKey(township: fields.townshipCode, name: fields.name)], other != code {
            throw Refusal("团组织名称：本乡镇已有「\(fields.name)」（编码 \(other)）", kind: .conflict)
        }
    }

    /// - Parameter references: the reference lists, when the caller has them at hand (else read).
    public static func create(
        _ fields: OrganizationFields, checks: OrganizationChecks = .init(), references: ReferenceLists? = nil,
        by actor: Actor, on database: any Database
    ) async throws -> Saved {
        var trimmed = fields
        trimmed.name = fields.name.trimmingCharacters(in: .whitespaces)
        let fields = trimmed
        try await validate(fields, checks: checks, references: references, on: database)
        // Only this township's writes (and writes of the whole ledger) wait for this one.
        return try await writeTransaction(on: database, township: fields.townshipCode) { db in
            let (township, code) = try await townshipAndNextCode(fields, on: db)
            let now = Date()
            let review = ReviewStatus(createdBy: actor.userID, changedBy: actor.userID)
            let row = OrganizationRow(code: code, divisionPath: township.path, fields: fields, mergedIntoCode: nil, version: 1,
                                      createdAt: now, updatedAt: now, review: review)
            try await insert([row], on: db)
            let event = StageEvent(organizationCode: code, from: nil, to: fields.stage, effectiveOn: fields.stageDate ?? .today(),
                                   reason: "新建", mergedInto: nil, actorName: actor.name)
            try await insertStageEvents([event], on: db)
            try await AuditLog.record("organization.create", entityType: "organization", entityID: code,
                                      divisionPath: township.path, before: nil, after: fields.auditSnapshot, by: actor, on: db)
            // The running counts last: every create in a city adds to the city's rows, so on
            // PostgreSQL those rows stay locked from here to the COMMIT.
            var tally = LedgerCounts.Tally()
            tally.add(path: township.path, fields, review: review.countedReview)
            try await LedgerCounts.apply(tally, on: db)
            let entry = TimelineEntry(from: nil, to: event.to, effectiveOn: event.effectiveOn.description, reason: event.reason,
                                      mergedIntoCode: nil, actorName: event.actorName, recordedAt: now)
            return Saved(record: row.record, warnings: checks.warnings(fields), timeline: [entry])
        }
    }

    /// Saves edited fields if nobody saved the record since `expectedVersion` was read.
    /// The stage is not changed here: that is `changeStage`, an event with date and reason.
    public static func update(
        _ code: String, _ fields: OrganizationFields, expectedVersion: Int, checks: OrganizationChecks = .init(),
        by actor: Actor, on database: any Database
    ) async throws -> Saved {
        var trimmed = fields
        trimmed.name = fields.name.trimmingCharacters(in: .whitespaces)
        let fields = trimmed
        return try await writeTransaction(on: database) { db in
            let current = try await require(code, on: db)
            guard current.version == expectedVersion else {
                throw Refusal("「\(current.fields.name)」已被他人修改（您打开的是第 \(expectedVersion) 版，现在是第 \(current.version) 版）："
                    + "请重新打开后再保存，以免覆盖别人的修改", kind: .conflict)
            }
            guard !current.review.isLocked else { throw Refusal.locked(current) }
            guard fields.stage == current.fields.stage else {
                throw Refusal("建设阶段：请用“变更阶段”登记阶段变化（须填日期，退回、撤销、合并须写原因）")
            }
            try await validate(fields, checks: checks, on: db)
            let township = try await Self.township(fields.townshipCode, on: db)
            guard fields != current.fields else { return Saved(record: current, warnings: checks.warnings(fields)) }
            try await checkUniqueName(fields, except: code, on: db)
            let countedChanges = ReviewStatus.changedCountedFields(from: current.fields, to: fields)
            let review = current.review.afterEdit(by: actor.userID, changedCounted: countedChanges)
            let row = OrganizationRow(code: code, divisionPath: township.path, fields: fields, mergedIntoCode: current.mergedIntoCode,
                                      version: current.version + 1, createdAt: current.createdAt, updatedAt: Date(), review: review)
            try await replace(row, on: db)
            var tally = LedgerCounts.Tally()
            tally.change(from: current.fields, at: current.divisionPath, review: current.review.countedReview,
                         to: fields, at: township.path, review: review.countedReview)
            try await LedgerCounts.apply(tally, on: db)
            if let event = ReviewEvents.afterEdit(code, from: current.review, to: review, changedCounted: countedChanges) {
                try await ReviewEvents.record([event], by: actor, on: db)
            }
            try await AuditLog.record("organization.update", entityType: "organization", entityID: code, divisionPath: township.path,
                                      before: changed(current.fields.auditSnapshot, fields.auditSnapshot).before,
                                      after: changed(current.fields.auditSnapshot, fields.auditSnapshot).after, by: actor, on: db)
            return Saved(record: row.record, warnings: checks.warnings(fields))
        }
    }

    public struct StageChange: Sendable {
        public var to: Stage
        public var effectiveOn: CalendarDay
        public var reason: String?
        public var mergedInto: String?
        /// The founding date, required when the change is to 已建立 and none is recorded.
        public var foundedOn: CalendarDay?

        public init(to: Stage, effectiveOn: CalendarDay, reason: String? = nil, mergedInto: String? = nil, foundedOn: CalendarDay? = nil) {
            self.to = to
            self.effectiveOn = effectiveOn
            self.reason = reason
            self.mergedInto = mergedInto
            self.foundedOn = foundedOn
        }
    }

    public static func changeStage(
        _ code: String, _ change: StageChange, expectedVersion: Int, checks: OrganizationChecks = .init(),
        by actor: Actor, on database: any Database
    ) async throws -> Saved {
        try await writeTransaction(on: database) { db in
            let current = try await require(code, on: db)
            guard current.version == expectedVersion else {
                throw Refusal("「\(current.fields.name)」已被他人修改，请重新打开后再变更阶段", kind: .conflict)
            }
            guard !current.review.isLocked else { throw Refusal.locked(current) }
            try StageTransition.check(from: current.fields.stage, to: change.to, reason: change.reason, mergedInto: change.mergedInto)
            if change.effectiveOn > .today() {
                throw Refusal("变更日期：\(change.effectiveOn) 晚于今天，不能登记将来的日期")
            }
            var mergedInto: String?
            if change.to == .merged, let target = change.mergedInto?.nilIfBlank {
                guard let other = try await find(target, on: db), other.code != code else {
                    throw Refusal("并入组织：找不到编码为「\(target)」的其他团组织")
                }
                guard !other.fields.stage.isEnded else { throw Refusal("并入组织：「\(other.fields.name)」已\(other.fields.stage.label)") }
                mergedInto = other.code
            }
            var fields = current.fields
            fields.stage = change.to
            if change.to == .founded { fields.foundedOn = change.foundedOn ?? fields.foundedOn ?? change.effectiveOn }
            if change.to == .preparing, fields.preparationApprovedOn == nil { fields.preparationApprovedOn = change.effectiveOn }
            let problems = checks.refusals(fields, today: .today())
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            let countedChanges = ReviewStatus.changedCountedFields(from: current.fields, to: fields)
            let review = current.review.afterEdit(by: actor.userID, changedCounted: countedChanges)
            let row = OrganizationRow(code: code, divisionPath: current.divisionPath, fields: fields, mergedIntoCode: mergedInto,
                                      version: current.version + 1, createdAt: current.createdAt, updatedAt: Date(), review: review)
            try await replace(row, on: db)
            var tally = LedgerCounts.Tally()
            tally.change(from: current.fields, at: current.divisionPath, review: current.review.countedReview,
                         to: fields, at: current.divisionPath, review: review.countedReview)
            try await LedgerCounts.apply(tally, on: db)
            if let event = ReviewEvents.afterEdit(code, from: current.review, to: review, changedCounted: countedChanges) {
                try await ReviewEvents.record([event], by: actor, on: db)
            }
            try await insertStageEvents([StageEvent(organizationCode: code, from: current.fields.stage, to: change.to,
                                                    effectiveOn: change.effectiveOn, reason: change.reason?.nilIfBlank,
                                                    mergedInto: mergedInto, actorName: actor.name)], on: db)
            var after = ["建设阶段": change.to.label, "变更日期": change.effectiveOn.description]
            if let reason = change.reason?.nilIfBlank { after["原因"] = reason }
            if let mergedInto { after["并入组织"] = mergedInto }
            try await AuditLog.record("organization.stage", entityType: "organization", entityID: code, divisionPath: current.divisionPath,
                                      before: ["建设阶段": current.fields.stage.label], after: after, by: actor, on: db)
            return Saved(record: row.record, warnings: checks.warnings(fields))
        }
    }

    /// Only the values that differ, for the audit trail.
    static func changed(_ before: [String: String], _ after: [String: String]) -> (before: [String: String], after: [String: String]) {
        let keys = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
        return (before.filter { keys.contains($0.key) }, after.filter { keys.contains($0.key) })
    }

    // MARK: - Rows

    static func insert(_ rows: [OrganizationRow], on db: any Database) async throws {
        var insert = BulkWrite(into: "organizations", columns: OrganizationRow.columns, on: db)
        for row in rows { try await insert.append(row.bulkValues) }
        try await insert.finish()
    }

    static func replace(_ row: OrganizationRow, on db: any Database) async throws {
        try await db.sql.update("organizations")
            .set(model: row, nilEncodingStrategy: .asNil)
            .where("code", .equal, row.code)
            .run()
    }

    struct StageEvent: Sendable {
        var organizationCode: String
        var from: Stage?
        var to: Stage
        var effectiveOn: CalendarDay
        var reason: String?
        var mergedInto: String?
        var actorName: String
    }

    /// A new organization's first event waits for the end of its SQLite write group, which
    /// writes the group's events in one statement.
    static func insertStageEvents(_ events: [StageEvent], on db: any Database) async throws {
        if let deferred = DeferredWrites.current {
            deferred.add(PendingStageEvents(events: events))
        } else {
            try await writeStageEvents(events, on: db)
        }
    }

    private static func writeStageEvents(_ events: [StageEvent], on db: any Database) async throws {
        var batch = StageEventBatch(on: db)
        for event in events { try await batch.append(event) }
        try await batch.finish()
    }

    /// Stage events written as they come, a chunk per statement.
    struct StageEventBatch {
        private var insert: BulkWrite
        private var ids: TimeOrderedUUIDs
        private let now = Date()

        init(queue: BulkStatementQueue? = nil, on db: any Database) {
            ids = TimeOrderedUUIDs(now: now)
            insert = BulkWrite(into: "organization_stage_events",
                                columns: ["id", "organization_code", "from_stage", "to_stage", "effective_on", "reason",
                                          "merged_into_code", "actor_name", "recorded_at"],
                                queue: queue, on: db)
        }

        mutating func append(_ event: StageEvent) async throws {
            try await insert.append([.uuid(ids.next()), .text(event.organizationCode), .text(event.from?.rawValue),
                                     .text(event.to.rawValue), .text(event.effectiveOn.description), .text(event.reason),
                                     .text(event.mergedInto), .text(event.actorName), .date(now)])
        }

        mutating func finish() async throws {
            try await insert.finish()
        }
    }

    /// Stage events left to the end of a write group.
    struct PendingStageEvents: GroupedWrite {
        var events: [StageEvent]

        mutating func merge(_ later: PendingStageEvents) {
            events += later.events
        }

        func write(on db: any Database) async throws {
            try await OrganizationStore.writeStageEvents(events, on: db)
        }
    }

    /// An organization's stage history, oldest first.
    public struct TimelineEntry: Sendable, Codable {
        public var from: Stage?
        public var to: Stage
        public var effectiveOn: String
        public var reason: String?
        public var mergedIntoCode: String?
        public var actorName: String
        public var recordedAt: Date
    }

    public static func timeline(_ code: String, on db: any Database) async throws -> [TimelineEntry] {
        struct Row: Decodable {
            var fromStage: String?
            var toStage: String
            var effectiveOn: String
            var reason: String?
            var mergedIntoCode: String?
            var actorName: String
            var recordedAt: Date
        }
        return try await db.sql.select().columns("from_stage", "to_stage", "effective_on", "reason", "merged_into_code",
                                                  "actor_name", "recorded_at")
            .from("organization_stage_events").where("organization_code", .equal, code)
            // The registration first (whatever date it carries: a record entered today may be
            // founded back in November), then each change by its own date, then by entry.
            .orderBy(SQLRaw("CASE WHEN from_stage IS NULL THEN 0 ELSE 1 END")).orderBy("effective_on").orderBy("recorded_at")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
            .map {
                TimelineEntry(from: $0.fromStage.flatMap(Stage.init(rawValue:)), to: Stage(rawValue: $0.toStage) ?? .youthGroup,
                              effectiveOn: $0.effectiveOn, reason: $0.reason, mergedIntoCode: $0.mergedIntoCode,
                              actorName: $0.actorName, recordedAt: $0.recordedAt)
            }
    }
}

extension OrganizationFields {
    /// The date a new record's current stage began, as far as the record says.
    var stageDate: CalendarDay? {
        switch stage {
        case .founded: foundedOn
        case .preparing: preparationApprovedOn
        default: nil
        }
    }
}

extension OrganizationStore {
    /// A township moved county: its organizations' paths follow (their codes stay).
    static func followTownship(_ townshipCode: String, to path: String, on db: any Database) async throws {
        try await db.sql.update("organizations").set("division_path", to: path)
            .where("township_code", .equal, townshipCode).run()
    }
}

extension OrganizationStore.Township {
    /// A division read from the table, refused unless it is a township.
    init(code: String, name: String, level: String, path: String) throws {
        guard let level = DivisionLevel(rawValue: level) else {
            throw Refusal("乡镇（街道）：「\(name)」的级别「\(level)」无法识别")
        }
        guard level == .township else {
            throw Refusal("乡镇（街道）：「\(name)」是\(level.label)，团组织须建在乡镇（街道）之下")
        }
        self.init(code: code, name: name, path: path)
    }

    static func notFound(_ code: String) -> Refusal {
        Refusal("乡镇（街道）：找不到代码为「\(code)」的乡镇")
    }
}
