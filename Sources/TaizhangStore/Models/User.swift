import FluentKit
import Foundation

public final class User: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @OptionalField(key: "phone") public var phone: String?
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "is_active") public var isActive: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "password_changed_at") public var passwordChangedAt: Date?
    /// The password was handed out by someone else: the user must change it before anything else.
    @Field(key: "must_change_password") public var mustChangePassword: Bool

    public init() {}

    /// What the audit trail records of a user (never the password hash).
    public var snapshot: [String: String] {
        ["username": username, "displayName": displayName, "phone": phone ?? "", "isActive": isActive ? "是" : "否"]
    }
}

public final class RoleGrant: Model, @unchecked Sendable {
    public static let schema = "role_grants"

    @ID public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "role") public var roleCode: String
    @Field(key: "division_code") public var divisionCode: String
    @Field(key: "granted_by") public var grantedBy: String
    @Field(key: "granted_at") public var grantedAt: Date

    public init() {}
}

public final class UserSession: Model, @unchecked Sendable {
    public static let schema = "user_sessions"

    /// SHA-256 of the cookie value; the value itself is never stored.
    @ID(custom: "token_hash", generatedBy: .user) public var id: String?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "client_address") public var clientAddress: String?

    public init() {}
}

public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?

    public init() {}
}

public final class LoginAttempt: Model, @unchecked Sendable {
    public static let schema = "login_attempts"

    @ID public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "client_address") public var clientAddress: String
    @Field(key: "attempted_at") public var attemptedAt: Date
    @Field(key: "succeeded") public var succeeded: Bool

    public init() {}
}
