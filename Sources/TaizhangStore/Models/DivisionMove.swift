import FluentKit
import Foundation

/// A township moved from one county-level parent to another; its code stays the same.
public final class DivisionMove: Model, @unchecked Sendable {
    public static let schema = "division_moves"

    @ID public var id: UUID?
    @Field(key: "division_code") public var divisionCode: String
    @Field(key: "from_parent_code") public var fromParentCode: String
    @Field(key: "to_parent_code") public var toParentCode: String
    /// The day the move takes effect, "YYYY-MM-DD".
    @Field(key: "effective_date") public var effectiveDate: String
    @Field(key: "reason") public var reason: String
    @Field(key: "actor_name") public var actorName: String
    @OptionalField(key: "actor_user_id") public var actorUserID: String?
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}
}
