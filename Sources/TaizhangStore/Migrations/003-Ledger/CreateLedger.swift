import FluentKit
import SQLKit
import TaizhangCore

/// The organization ledger: organizations, their stage events, the reference lists, and
/// uploaded import files awaiting confirmation.
struct CreateLedger: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organizations")
            // Township code + "-" + 4-digit sequence, e.g. 350582101-0001; never reused.
            .field("code", .string, .identifier(auto: false))
            .field("township_code", .string, .required, .references("divisions", "code"))
            // The township's path; follows the township when it is moved.
            .field("division_path", .string, .required)
            .field("name", .string, .required)
            .field("org_type", .string, .required)
            .field("unit_category", .string, .required)
            .field("build_mode", .string, .required)
            .field("covered_units", .string, .required)
            .field("stage", .string, .required)
            .field("preparation_approved_on", .string)
            .field("founded_on", .string)
            .field("approval_document", .string)
            .field("secretary_name", .string)
            .field("secretary_phone", .string)
            .field("acting_secretary_name", .string)
            .field("acting_secretary_phone", .string)
            .field("instructor_name", .string)
            .field("member_count", .int)
            .field("youth_count", .int)
            .field("dual_management", .bool, .required)
            .field("county_department", .string)
            .field("guidance", .string, .required)
            .field("brand_activities", .string, .required)
            .field("notes", .string)
            .field("merged_into_code", .string)
            // Optimistic concurrency: a save names the version it read.
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = database.sql
        // The ledger's natural order (by township, then code) is also its subtree filter.
        try await sql.create(index: "organizations_path_code").on("organizations").column("division_path").column("code").run()
        try await sql.create(index: "organizations_township").on("organizations").column("township_code").column("code").run()
        try await sql.create(index: "organizations_name").on("organizations").column("name").run()
        try await sql.create(index: "organizations_stage_path").on("organizations").column("stage").column("division_path").column("code").run()
        try await sql.create(index: "organizations_updated").on("organizations").column("updated_at").column("code").run()
        // A stage filter sorted by name (e.g. every 筹建 organization A–Z) walks this instead of sorting.
        try await sql.create(index: "organizations_stage_name").on("organizations").column("stage").column("name").column("code").run()
        try await sql.create(index: "organizations_founded").on("organizations").column("founded_on").column("code").run()

        try await database.schema("organization_stage_events")
            .id()
            .field("organization_code", .string, .required, .references("organizations", "code"))
            .field("from_stage", .string)
            .field("to_stage", .string, .required)
            .field("effective_on", .string, .required)
            .field("reason", .string)
            .field("merged_into_code", .string)
            .field("actor_name", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await sql.create(index: "organization_stage_events_org").on("organization_stage_events")
            .column("organization_code").run()

        try await database.schema("reference_values")
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("position", .int, .required)
            .field("is_builtin", .bool, .required)
            .compositeIdentifier(over: "kind", "value")
            .create()
        // The three lists that shipped with this migration; later lists come with their own migration.
        for kind in [ReferenceKind.orgType, .unitCategory, .buildMode] {
            for (position, value) in kind.builtinValues.enumerated() {
                try await sql.insert(into: "reference_values")
                    .columns("kind", "value", "position", "is_builtin")
                    .values(SQLBind(kind.rawValue), SQLBind(value), SQLBind(position), SQLBind(true))
                    .run()
            }
        }

        try await database.schema("import_batches")
            .id()
            .field("user_id", .uuid)
            .field("actor_name", .string, .required)
            .field("file_name", .string, .required)
            .field("content", .data, .required)
            .field("summary", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("committed_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["import_batches", "reference_values", "organization_stage_events", "organizations"] {
            try await database.schema(table).delete()
        }
    }
}
