import FluentKit
import SQLKit

/// The division hierarchy. Codes are the NBS short codes (2/4/6/9 digits); management
/// zones get codes of their own (city code + "Z" + sequence).
struct CreateDivisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("divisions")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("parent_code", .string, .references("divisions", "code"))
            // Where the NBS puts it; differs from parent_code once a township is moved into a zone.
            .field("statistical_parent_code", .string)
            .field("path", .string, .required)
            .field("is_management_zone", .bool, .required, .sql(.default(false)))
            .field("league_committee_name", .string)
            .field("key_area_tags", .string, .required, .sql(.default("")))
            .field("youth_population", .int)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.sql.create(index: "divisions_parent_code").on("divisions").column("parent_code").run()
        try await database.sql.create(index: "divisions_path").on("divisions").column("path").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("divisions").delete()
    }
}

/// The regions `taizhang init` has loaded (a city, a province, or CN); the home page starts there.
struct CreateDeploymentRegions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("deployment_regions")
            .field("code", .string, .identifier(auto: false))
            .field("loaded_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("deployment_regions").delete()
    }
}

/// A township moved under another county-level unit (usually a management zone).
struct CreateDivisionMoves: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("division_moves")
            .id()
            .field("division_code", .string, .required, .references("divisions", "code"))
            .field("from_parent_code", .string, .required)
            .field("to_parent_code", .string, .required)
            .field("effective_date", .string, .required)
            .field("reason", .string, .required)
            .field("actor_name", .string, .required)
            .field("actor_user_id", .string)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "division_moves_division").on("division_moves").column("division_code").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("division_moves").delete()
    }
}

/// The audit trail: append-only; the application has no path that updates or deletes it.
struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field("occurred_at", .datetime, .required)
            .field("actor_name", .string, .required)
            .field("actor_user_id", .string)
            .field("client_address", .string)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string)
            .field("division_path", .string)
            .field("before_json", .string)
            .field("after_json", .string)
            .create()
        try await database.sql.create(index: "audit_events_occurred_at").on("audit_events").column("occurred_at").run()
        try await database.sql.create(index: "audit_events_entity").on("audit_events").column("entity_type").column("entity_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}
