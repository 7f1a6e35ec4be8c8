import FluentKit
import SQLKit

/// Activity kinds become a reference list an administrator may extend (the 2012 kinds are
/// built in), a model case links to the activities it describes as it does to organizations, and
/// the activities that reached an organization are found by index (directly or through the
/// conference member linked to it).
struct AddActivityKindsAndCaseActivities: AsyncMigration {
    /// The built-in kinds as they shipped; written out so this migration never changes.
    static let builtinKinds = ["青年文明号", "青年突击队", "青年志愿者服务", "联谊", "培训", "其他"]

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        for (position, value) in Self.builtinKinds.enumerated() {
            try await sql.insert(into: "reference_values").columns("kind", "value", "position", "is_builtin")
                .values(SQLBind("activity_kind"), SQLBind(value), SQLBind(position), SQLBind(true)).run()
        }
        try await database.schema("model_case_activities")
            .field("model_case_id", .int, .required, .references("model_cases", "id"))
            .field("activity_id", .int, .required, .references("activities", "id"))
            .compositeIdentifier(over: "model_case_id", "activity_id")
            .create()
        try await sql.create(index: "model_case_activities_activity").on("model_case_activities").column("activity_id").run()
        try await sql.create(index: "activity_units_member").on("activity_units").column("member_id").run()
        try await sql.create(index: "conference_members_organization").on("conference_members").column("organization_code").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "conference_members_organization").run()
        try await database.sql.drop(index: "activity_units_member").run()
        try await database.schema("model_case_activities").delete()
        try await database.sql.delete(from: "reference_values").where("kind", .equal, "activity_kind").run()
    }
}
