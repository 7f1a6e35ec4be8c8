import FluentKit
import Foundation

/// One recorded change or security event. Rows are only ever inserted.
public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"

    @ID public var id: UUID?
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "actor_name") public var actorName: String
    @OptionalField(key: "actor_user_id") public var actorUserID: String?
    @OptionalField(key: "client_address") public var clientAddress: String?
    @Field(key: "action") public var action: String
    @Field(key: "entity_type") public var entityType: String
    @OptionalField(key: "entity_id") public var entityID: String?
    /// The path of the division the change belongs to, so a viewer sees only their subtree.
    @OptionalField(key: "division_path") public var divisionPath: String?
    @OptionalField(key: "before_json") public var beforeJSON: String?
    @OptionalField(key: "after_json") public var afterJSON: String?

    public init() {}
}
