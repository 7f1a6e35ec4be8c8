import FluentKit
import SQLKit

/// Users, their role grants, browser sessions, API tokens and login attempts. Sessions and
/// attempts live in the database so several app instances share them.
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("phone", .string)
            .field("password_hash", .string, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("password_changed_at", .datetime)
            .unique(on: "username")
            .create()
        try await database.schema("role_grants")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("role", .string, .required)
            // A division code, or "CN" for the whole country (no division row), so no foreign key.
            .field("division_code", .string, .required)
            .field("granted_by", .string, .required)
            .field("granted_at", .datetime, .required)
            .unique(on: "user_id", "role", "division_code")
            .create()
        try await database.schema("user_sessions")
            .field("token_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("client_address", .string)
            .create()
        try await database.sql.create(index: "user_sessions_user").on("user_sessions").column("user_id").run()
        try await database.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("login_attempts")
            .id()
            .field("username", .string, .required)
            .field("client_address", .string, .required)
            .field("attempted_at", .datetime, .required)
            .field("succeeded", .bool, .required)
            .create()
        try await database.sql.create(index: "login_attempts_username").on("login_attempts").column("username").column("attempted_at").run()
        try await database.sql.create(index: "login_attempts_address").on("login_attempts").column("client_address").column("attempted_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["login_attempts", "api_tokens", "user_sessions", "role_grants", "users"] {
            try await database.schema(table).delete()
        }
    }
}
