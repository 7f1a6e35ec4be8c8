import FluentKit
import SQLKit

/// Brand activities (青年文明号, 青年突击队, 青年志愿者服务, …) held in a township, with the
/// units they reached: a conference member, an organization of the ledger, or a unit named
/// only by its name. The conversion view follows these units to the ledger's stages.
struct CreateActivities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("activities")
            .field("id", .int, .identifier(auto: true))
            .field("township_code", .string, .required, .references("divisions", "code"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("held_on", .string, .required)
            .field("organizer", .string, .required)
            .field("youth_reached", .int, .required)
            .field("notes", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_by_id", .string)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "activities_township").on("activities").column("township_code").column("held_on").run()

        try await database.schema("activity_units")
            .field("activity_id", .int, .required, .references("activities", "id"))
            .field("position", .int, .required)
            .field("unit_name", .string, .required)
            .field("member_id", .int, .references("conference_members", "id"))
            .field("organization_code", .string, .references("organizations", "code"))
            .compositeIdentifier(over: "activity_id", "position")
            .create()
        try await database.sql.create(index: "activity_units_organization").on("activity_units").column("organization_code").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["activity_units", "activities"] {
            try await database.schema(table).delete()
        }
    }
}
