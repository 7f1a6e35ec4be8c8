import FluentKit
import SQLKit

/// Supervision items (督办事项) with their history of moves, and the escalations — interviews,
/// meetings and inspections — that a lagging township draws.
struct CreateSupervision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("supervision_items")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .references("campaigns", "id"))
            // The township, or a county for a county-wide problem, that owns the item.
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            .field("title", .string, .required)
            .field("detail", .string, .required)
            .field("owner_unit", .string, .required)
            .field("responsible_name", .string, .required)
            .field("responsible_user_id", .string)
            .field("raised_on", .string, .required)
            // The last day; overdue from 0:00 Asia/Shanghai of the next day while not closed.
            .field("deadline", .string, .required)
            // open, in_progress, closed, returned.
            .field("state", .string, .required)
            // visit, weekly_review, spot_check, red_flag, meeting, interview, inspection, other.
            .field("source", .string, .required)
            .field("source_ref", .string)
            .field("raised_by", .string, .required)
            .field("raised_by_id", .string)
            .field("result", .string)
            .field("closed_by", .string)
            .field("closed_at", .datetime)
            .field("return_reason", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "supervision_items_division").on("supervision_items")
            .column("division_path").column("state").run()
        try await database.sql.create(index: "supervision_items_deadline").on("supervision_items").column("state").column("deadline").run()

        try await database.schema("supervision_item_events")
            .field("id", .int, .identifier(auto: true))
            .field("item_id", .int, .required, .references("supervision_items", "id"))
            .field("from_state", .string)
            .field("to_state", .string, .required)
            .field("note", .string)
            .field("actor", .string, .required)
            .field("actor_id", .string)
            .field("at", .datetime, .required)
            .create()
        try await database.sql.create(index: "supervision_item_events_item").on("supervision_item_events").column("item_id").run()

        try await database.schema("escalations")
            .field("id", .int, .identifier(auto: true))
            // interview, dispatch_meeting, site_meeting, inspection.
            .field("kind", .string, .required)
            .field("campaign_id", .int, .references("campaigns", "id"))
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            .field("held_on", .string, .required)
            .field("place", .string, .required)
            .field("participants", .string, .required)
            .field("held_by", .string, .required)
            .field("summary", .string, .required)
            .field("promise", .string)
            .field("promised_by", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "escalations_division").on("escalations").column("division_path").column("held_on").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["escalations", "supervision_item_events", "supervision_items"] {
            try await database.schema(table).delete()
        }
    }
}
