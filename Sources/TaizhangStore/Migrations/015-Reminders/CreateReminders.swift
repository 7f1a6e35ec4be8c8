import FluentKit
import Foundation
import SQLKit

/// Reminders (催报 / 催办) as an outbox: one row per reminder to one user, never queued twice
/// (a unique dedupe key), always in the recipient's inbox and, when mail is on, with the state of
/// its e-mail copy. Beside it each user's address for reminder mail, and the leases by which one
/// app instance at a time runs a scheduled job.
struct CreateReminders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("reminders")
            .field("id", .int, .identifier(auto: true))
            // report (催报) or supervision (催办).
            .field("kind", .string, .required)
            // What makes the reminder the same one: e.g. report:<campaign>:<period key>:<township>:<user>.
            .field("dedupe_key", .string, .required)
            .field("recipient_user_id", .uuid, .required, .references("users", "id"))
            .field("subject", .string, .required)
            .field("body", .string, .required)
            // What it is about: a township (and campaign + period for 催报), or a supervision item.
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            .field("campaign_id", .int)
            .field("period_key", .string)
            .field("supervision_item_id", .int)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            // none, pending or sent; the address is the one the user had when it was queued.
            .field("mail_state", .string, .required)
            .field("mail_address", .string)
            .field("mail_attempts", .int, .required)
            .field("mail_last_error", .string)
            .field("mail_next_attempt_at", .datetime)
            .field("mail_sent_at", .datetime)
            // An instance sending the mail holds it until then, so no other instance sends it too.
            .field("mail_claimed_by", .string)
            .field("mail_claimed_until", .datetime)
            .unique(on: "dedupe_key")
            .create()
        try await database.sql.create(index: "reminders_recipient").on("reminders")
            .column("recipient_user_id").column("read_at").run()
        try await database.sql.create(index: "reminders_mail_due").on("reminders")
            .column("mail_state").column("mail_next_attempt_at").run()

        try await database.schema("reminder_mail_addresses")
            .field("user_id", .uuid, .identifier(auto: false), .references("users", "id"))
            .field("address", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()

        try await database.schema("job_leases")
            .field("name", .string, .identifier(auto: false))
            .field("holder", .string, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await database.sql.insert(into: "job_leases").columns("name", "holder", "expires_at")
            .values(SQLBind("reminders"), SQLBind(""), SQLBind(Date(timeIntervalSince1970: 0))).run()
    }

    func revert(on database: any Database) async throws {
        for table in ["job_leases", "reminder_mail_addresses", "reminders"] {
            try await database.schema(table).delete()
        }
    }
}
