import FluentKit
import Foundation
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
