import FluentKit
import SQLKit

/// Liaison cadres (挂钩干部), their assignments to townships with history, and the visit log
/// (走访记录) with the organizations visited and the photos and scans, kept in the database so
/// every app instance sees them.
struct CreateLiaison: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("liaison_cadres")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("unit", .string, .required)
            .field("post", .string, .required)
            .field("phone", .string, .required)
            // The account, when the cadre signs in (users.id); NULL for a named cadre without one.
            .field("user_id", .string)
            // Where the cadre was first named: a cadre is offered to those who see this division.
            .field("division_path", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "liaison_cadres_user").on("liaison_cadres").column("user_id").run()

        try await database.schema("liaison_assignments")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            .field("township_code", .string, .required)
            .field("township_path", .string, .required)
            .field("cadre_id", .int, .required, .references("liaison_cadres", "id"))
            // lead (牵头) or helper (协助).
            .field("role", .string, .required)
            .field("starts_on", .string, .required)
            // The last day, inclusive; NULL while open-ended.
            .field("ends_on", .string)
            .field("assigned_by", .string, .required)
            .field("assigned_at", .datetime, .required)
            .field("ended_by", .string)
            .field("ended_at", .datetime)
            .field("end_reason", .string)
            .create()
        try await database.sql.create(index: "liaison_assignments_township").on("liaison_assignments")
            .column("township_path").column("campaign_id").run()
        try await database.sql.create(index: "liaison_assignments_cadre").on("liaison_assignments").column("cadre_id").run()

        try await database.schema("visits")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .references("campaigns", "id"))
            .field("township_code", .string, .required)
            .field("township_path", .string, .required)
            .field("visited_on", .string, .required)
            .field("visitors", .string, .required)
            .field("met", .string, .required)
            .field("findings", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_by_id", .string)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "visits_township").on("visits").column("township_path").column("visited_on").run()

        try await database.schema("visit_organizations")
            .field("visit_id", .int, .required, .references("visits", "id"))
            .field("organization_code", .string, .required, .references("organizations", "code"))
            .compositeIdentifier(over: "visit_id", "organization_code")
            .create()

        try await database.schema("visit_attachments")
            .field("id", .int, .identifier(auto: true))
            .field("visit_id", .int, .required, .references("visits", "id"))
            .field("file_name", .string, .required)
            // jpeg, png, gif, webp or pdf, recognised from the bytes.
            .field("kind", .string, .required)
            .field("byte_count", .int, .required)
            .field("sha256", .string, .required)
            .field("bytes", .data, .required)
            .create()
        try await database.sql.create(index: "visit_attachments_visit").on("visit_attachments").column("visit_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["visit_attachments", "visit_organizations", "visits", "liaison_assignments", "liaison_cadres"] {
            try await database.schema(table).delete()
        }
    }
}
