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
        let event = AuditEvent()
        event.occurredAt = Date()
        event.actorName = actor.name
        event.actorUserID = actor.userID
        event.clientAddress = actor.clientAddress
        event.action = action
        event.entityType = entityType
        event.entityID = entityID
        event.divisionPath = divisionPath
        event.beforeJSON = try before.map(encode)
        event.afterJSON = try after.map(encode)
        try await event.create(on: database)
    }

    /// One change among many written together (an import).
    public struct Entry: Sendable {
        public var action: String
        public var entityType: String
        public var entityID: String?
        public var divisionPath: String?
        public var before: [String: String]?
        public var after: [String: String]?

        public init(action: String, entityType: String, entityID: String?, divisionPath: String?,
                    before: [String: String]?, after: [String: String]?) {
            self.action = action
            self.entityType = entityType
            self.entityID = entityID
            self.divisionPath = divisionPath
            self.before = before
            self.after = after
        }
    }

    /// Writes many audit rows in a few statements; same transaction rule as `record`.
    public static func recordBatch(_ entries: [Entry], by actor: Actor, on database: any Database) async throws {
        let now = Date()
        for start in stride(from: 0, to: entries.count, by: 500) {
            var insert = database.sql.insert(into: AuditEvent.schema)
                .columns("id", "occurred_at", "actor_name", "actor_user_id", "client_address", "action", "entity_type",
                         "entity_id", "division_path", "before_json", "after_json")
            for entry in entries[start..<min(start + 500, entries.count)] {
                insert = insert.values(
                    SQLBind(UUID()), SQLBind(now), SQLBind(actor.name), SQLBind(actor.userID), SQLBind(actor.clientAddress),
                    SQLBind(entry.action), SQLBind(entry.entityType), SQLBind(entry.entityID), SQLBind(entry.divisionPath),
                    SQLBind(entry.before.map(jsonObject)), SQLBind(entry.after.map(jsonObject)))
            }
            try await insert.run()
        }
    }

    /// The same text JSONEncoder with sorted keys writes for a [String: String], without its
    /// per-call cost (an import writes one audit row per organization).
    static func jsonObject(_ values: [String: String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(256)
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendJSONString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendJSONString(values[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
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
        return try await query.sort(\.$occurredAt, .descending).limit(limit).all()
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

    /// Events matching `filter`, newest first. `scope` lists the subtree paths the viewer may
    /// read; nil means everything (a system administrator). Events tied to no division
    /// (sign-ins, accounts) are only in the unscoped view.
    public static func search(
        _ filter: Filter, scope: [String]?, limit: Int, on database: any Database
    ) async throws -> [AuditEvent] {
        var query = AuditEvent.query(on: database)
        if let action = filter.action?.nilIfBlank { query = query.filter(\.$action == action) }
        if let entity = filter.entityID?.nilIfBlank { query = query.filter(\.$entityID == entity) }
        if let actor = filter.actor?.nilIfBlank { query = query.filter(\.$actorName, .custom("LIKE"), "%\(actor)%") }
        if let from = filter.from { query = query.filter(\.$occurredAt >= from) }
        if let until = filter.until { query = query.filter(\.$occurredAt < until) }
        if let scope {
            guard !scope.isEmpty else { return [] }
            query = query.group(.or) { group in
                for path in scope {
                    let (lower, upper) = DivisionPath.subtreeRange(of: path)
                    group.group(.and) { $0.filter(\.$divisionPath >= lower).filter(\.$divisionPath < upper) }
                }
            }
        }
        return try await query.sort(\.$occurredAt, .descending).limit(limit).all()
    }
}
