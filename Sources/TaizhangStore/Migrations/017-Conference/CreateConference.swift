import FluentKit
import SQLKit

/// The township's joint conference (团建联席会): its member units with joined and left dates,
/// its meetings with the units present, the agenda items with their decisions, and the
/// follow-ups decided there, which stay on every next meeting's agenda until closed.
/// Rows name the township by code; its path is read from `divisions`, so a moved township
/// takes its conference along.
struct CreateConference: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("conference_members")
            .field("id", .int, .identifier(auto: true))
            .field("township_code", .string, .required, .references("divisions", "code"))
            .field("name", .string, .required)
            .field("unit_category", .string, .required)
            .field("contact_name", .string, .required)
            .field("contact_phone", .string, .required)
            .field("delegate", .string, .required)
            // The unit's organization in the ledger, once it has one.
            .field("organization_code", .string, .references("organizations", "code"))
            .field("joined_on", .string, .required)
            // The last day as a member, inclusive; NULL while a member.
            .field("left_on", .string)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "conference_members_township").on("conference_members").column("township_code").run()

        try await database.schema("conference_meetings")
            .field("id", .int, .identifier(auto: true))
            .field("township_code", .string, .required, .references("divisions", "code"))
            .field("held_on", .string, .required)
            .field("place", .string, .required)
            .field("chair", .string, .required)
            .field("notes", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_by_id", .string)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "conference_meetings_township").on("conference_meetings")
            .column("township_code").column("held_on").run()

        try await database.schema("conference_attendance")
            .field("meeting_id", .int, .required, .references("conference_meetings", "id"))
            .field("member_id", .int, .required, .references("conference_members", "id"))
            .compositeIdentifier(over: "meeting_id", "member_id")
            .create()

        try await database.schema("conference_followups")
            .field("id", .int, .identifier(auto: true))
            .field("township_code", .string, .required, .references("divisions", "code"))
            .field("meeting_id", .int, .required, .references("conference_meetings", "id"))
            .field("title", .string, .required)
            .field("owner_member_id", .int, .required, .references("conference_members", "id"))
            .field("deadline", .string, .required)
            // open or closed.
            .field("state", .string, .required)
            .field("result", .string)
            .field("closed_on", .string)
            .field("closed_meeting_id", .int, .references("conference_meetings", "id"))
            .create()
        try await database.sql.create(index: "conference_followups_township").on("conference_followups")
            .column("township_code").column("state").run()

        try await database.schema("conference_agenda_items")
            .field("id", .int, .identifier(auto: true))
            .field("meeting_id", .int, .required, .references("conference_meetings", "id"))
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("discussion", .string, .required)
            .field("decision", .string)
            // Set on an item carried forward: the follow-up it reviews.
            .field("followup_id", .int, .references("conference_followups", "id"))
            .create()
        try await database.sql.create(index: "conference_agenda_items_meeting").on("conference_agenda_items").column("meeting_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["conference_agenda_items", "conference_followups", "conference_attendance", "conference_meetings", "conference_members"] {
            try await database.schema(table).delete()
        }
    }
}
