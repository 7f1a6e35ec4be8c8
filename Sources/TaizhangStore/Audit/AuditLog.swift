import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Writes the audit trail. Call it inside the same transaction as the change it records,
/// so a change and its record commit or vanish together.
public enum AuditLog {
    public static func record(
        _ action: String,
        entityType: String,
        entityID: String?,
        divisionPath: String?,
        before: (any Encodable)?,
        after: (any Encodable)?,
        by actor: Actor,
        on database: any Database
    ) async throws {
        // The same one-statement insert as a batch's: a Fluent model's create costs several times the CPU.
        var entry = Entry(action: action, entityType: entityType, entityID: entityID, divisionPath: divisionPath,
                          sortedBefore: nil, sortedAfter: nil)
        entry.beforeJSON = try before.map(encode)
        entry.afterJSON = try after.map(encode)
        try await recordBatch([entry], by: actor, on: database)
    }

    /// One change among many written together (an import).
    public struct Entry: Sendable {
        public var action: String
        public var entityType: String
        public var entityID: String?
        public var divisionPath: String?
        /// The values before and after, as JSON objects with sorted keys.
        var beforeJSON: String?
        var afterJSON: String?

        public init(action: String, entityType: String, entityID: String?, divisionPath: String?,
                    before: [String: String]?, after: [String: String]?) {
            self.init(action: action, entityType: entityType, entityID: entityID, divisionPath: divisionPath,
                      sortedBefore: before.map { $0.sorted { $0.key < $1.key } },
                      sortedAfter: after.map { $0.sorted { $0.key < $1.key } })
        }

        /// The same, with the values already in key order.
        public init(action: String, entityType: String, entityID: String?, divisionPath: String?,
                    sortedBefore: [(key: String, value: String)]?, sortedAfter: [(key: String, value: String)]?) {
            self.action = action
            self.entityType = entityType
            self.entityID = entityID
            self.divisionPath = divisionPath
            beforeJSON = sortedBefore.map(JSONText.object)
            afterJSON = sortedAfter.map(JSONText.object)
        }
    }

    /// Writes many audit rows in a few statements; same transaction rule as `record`.
    /// A new organization's rows wait for the end of its SQLite write group, which writes the
    /// group's rows together (a statement per few megabytes), in the order of its writes.
    public static func recordBatch(_ entries: [Entry], by actor: Actor, on database: any Database) async throws {
        if let deferred = DeferredWrites.current {
            deferred.add(Pending(rows: entries.map { Pending.Row(entry: $0, actor: actor) }))
            return
        }
        var batch = Batch(by: actor, on: database)
        for entry in entries { try await batch.append(entry) }
        try await batch.finish()
    }

    /// Audit rows left to the end of a write group, each with who wrote it.
    struct Pending: GroupedWrite {
        struct Row: Sendable {
            var entry: Entry
            var actor: Actor
        }

        var rows: [Row]

        mutating func merge(_ later: Pending) {
            rows += later.rows
        }

        func write(on db: any Database) async throws {
            guard let first = rows.first else { return }
            var batch = Batch(by: first.actor, on: db)
            for row in rows { try await batch.append(row.entry, by: row.actor) }
            try await batch.finish()
        }
    }

    /// Audit rows written as they come, a chunk per statement (an import writes one per organization).
    struct Batch {
        private var insert: BulkWrite
        private var ids: TimeOrderedUUIDs
        private let now: Date
        private let actor: Actor

        init(by actor: Actor, queue: BulkStatementQueue? = nil, on database: any Database) {
            now = Date()
            ids = TimeOrderedUUIDs(now: now)
            self.actor = actor
            insert = BulkWrite(into: AuditEvent.schema,
                                columns: ["id", "occurred_at", "actor_name", "actor_user_id", "client_address", "action",
                                          "entity_type", "entity_id", "division_path", "before_json", "after_json"],
                                queue: queue, on: database)
        }

        /// - Parameter other: who made this change, when not the batch's actor.
        mutating func append(_ entry: Entry, by other: Actor? = nil) async throws {
            let actor = other ?? actor
            try await insert.append([
                .uuid(ids.next()), .date(now), .text(actor.name), .text(actor.userID), .text(actor.clientAddress),
                .text(entry.action), .text(entry.entityType), .text(entry.entityID), .text(entry.divisionPath),
                .text(entry.beforeJSON), .text(entry.afterJSON),
            ])
        }

        mutating func finish() async throws {
            try await insert.finish()
        }
    }

    private static func encode(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func events(
        entityType: String? = nil, entityID: String? = nil, limit: Int = 100, on database: any Database
    ) async throws -> [AuditEvent] {
        var query = AuditEvent.query(on: database)
        if let entityType { query = query.filter(\.$entityType == entityType) }
        if let entityID { query = query.filter(\.$entityID == entityID) }
        return try await query.sort(\.$occurredAt, .descending).sort(\.$id, .descending).limit(limit).all()
    }
}

extension AuditLog {
    public struct Filter: Sendable {
        public var action: String?
        public var actor: String?
        public var entityID: String?
        public var from: Date?
        public var until: Date?

        public init(action: String? = nil, actor: String? = nil, entityID: String? = nil, from: Date? = nil, until: Date? = nil) {
            self.action = action
            self.actor = actor
            self.entityID = entityID
            self.from = from
            self.until = until
        }
    }

    /// Events matching `filter` inside `scope`, newest first. Events tied to no division
    /// (sign-ins, accounts) are only seen by a viewer whose scope is everywhere.
    public static func search(
        _ filter: Filter, scope: Scope, limit: Int, on database: any Database
    ) async throws -> [AuditEvent] {
        var query = AuditEvent.query(on: database)
        if let action = filter.action?.nilIfBlank { query = query.filter(\.$action == action) }
        if let entity = filter.entityID?.nilIfBlank { query = query.filter(\.$entityID == entity) }
        if let actor = filter.actor?.nilIfBlank { query = query.filter(\.$actorName, .custom("LIKE"), "%\(actor)%") }
        if let from = filter.from { query = query.filter(\.$occurredAt >= from) }
        if let until = filter.until { query = query.filter(\.$occurredAt < until) }
        if case .within(let roots) = scope {
            guard !roots.isEmpty else { return [] }
            query = query.group(.or) { group in
                for root in roots {
                    let (lower, upper) = root.subtreeRange
                    group.group(.and) { $0.filter(\.$divisionPath >= lower).filter(\.$divisionPath < upper) }
                }
            }
        }
        return try await query.sort(\.$occurredAt, .descending).sort(\.$id, .descending).limit(limit).all()
    }
}
