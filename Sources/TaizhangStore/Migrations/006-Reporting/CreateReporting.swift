import FluentKit
import SQLKit

/// The reporting rhythm: each campaign's calendar, the reports (amendments keep the first),
/// the city's weekly reviews of counties, and the numbered bulletins with their frozen figures.
struct CreateReporting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("reporting_schedules")
            .field("campaign_id", .int, .identifier(auto: false), .references("campaigns", "id"))
            // ReportingSchedule as JSON.
            .field("schedule", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("reports")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            // "daily:2012-11-28", "weekly:2012-11-26", "half_monthly:2012-11-16"
            .field("period_key", .string, .required)
            // 1 for the first submission; an amendment adds the next and keeps the earlier ones.
            .field("revision", .int, .required)
            // ReportFigures as JSON, taken from the ledger at the period's close.
            .field("figures", .string, .required)
            .field("work_progress", .string, .required)
            .field("problems", .string, .required)
            .field("next_steps", .string, .required)
            .field("submitted_by", .string, .required)
            .field("submitted_at", .datetime, .required)
            .field("timeliness", .string, .required)
            .unique(on: "campaign_id", "division_code", "period_key", "revision")
            .create()
        try await database.sql.create(index: "reports_period_path").on("reports").column("campaign_id").column("period_key")
            .column("division_path").run()
        try await database.schema("weekly_reviews")
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            .field("period_key", .string, .required)
            .field("score", .int, .required)
            .field("comment", .string, .required)
            .field("reviewer", .string, .required)
            .field("reviewed_at", .datetime, .required)
            .compositeIdentifier(over: "campaign_id", "division_code", "period_key")
            .create()
        try await database.schema("bulletins")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            .field("kind", .string, .required)
            // 第N期, counted per campaign and kind.
            .field("number", .int, .required)
            .field("period_key", .string, .required)
            .field("title", .string, .required)
            .field("issued_by", .string, .required)
            .field("issued_at", .datetime, .required)
            // BulletinContent as JSON: frozen when issued, never recomputed.
            .field("content", .string, .required)
            .unique(on: "campaign_id", "kind", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["bulletins", "weekly_reviews", "reports", "reporting_schedules"] {
            try await database.schema(table).delete()
        }
    }
}
