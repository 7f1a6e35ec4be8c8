import FluentKit
import SQLKit

/// The township committee's members (大团委委员) with the organizations each founded or looks
/// after, and the talent pool (优秀青年) with their assignments to organizations.
struct CreateCommitteeAndTalent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("committee_members")
            .id()
            .field("township_code", .string, .required, .references("divisions", "code"))
            .field("name", .string, .required)
            // 书记, 副书记 or 委员
            .field("position", .string, .required)
            .field("source_unit", .string)
            .field("is_full_time", .bool, .required)
            .field("phone", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "committee_members_township").on("committee_members").column("township_code").run()
        try await database.schema("committee_member_organizations")
            .field("member_id", .uuid, .required, .references("committee_members", "id"))
            .field("organization_code", .string, .required, .references("organizations", "code"))
            .compositeIdentifier(over: "member_id", "organization_code")
            .create()

        try await database.schema("talents")
            .id()
            .field("township_code", .string, .required, .references("divisions", "code"))
            .field("division_path", .string, .required)
            .field("name", .string, .required)
            .field("category", .string, .required)
            .field("unit", .string)
            .field("phone", .string)
            .field("notes", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "talents_path").on("talents").column("division_path").run()
        try await database.schema("talent_assignments")
            .id()
            .field("talent_id", .uuid, .required, .references("talents", "id"))
            .field("organization_code", .string, .required, .references("organizations", "code"))
            // instructor, secretary (兼任书记) or acting_secretary
            .field("role", .string, .required)
            .field("assigned_on", .string, .required)
            .field("actor_name", .string, .required)
            .create()
        try await database.sql.create(index: "talent_assignments_org").on("talent_assignments").column("organization_code").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["talent_assignments", "talents", "committee_member_organizations", "committee_members"] {
            try await database.schema(table).delete()
        }
    }
}
