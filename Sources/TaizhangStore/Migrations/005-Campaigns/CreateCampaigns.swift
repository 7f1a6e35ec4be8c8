import FluentKit
import SQLKit

/// Campaigns with their targets down the hierarchy, the history of every target change, the
/// counties' proposals, and the ledger's running counts that progress is read from.
struct CreateCampaigns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        if database.isSQLite {
            // Clustered on the key (no rowid): a range of days for a division is one B-tree walk,
            // with no second lookup per row.
            try await database.sql.raw("""
                CREATE TABLE ledger_daily_counts (division_code TEXT NOT NULL, stage TEXT NOT NULL, guidance TEXT NOT NULL,
                founded_on TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (division_code, stage, guidance, founded_on)) WITHOUT ROWID
                """).run()
            try await database.sql.raw("""
                CREATE TABLE ledger_mix_counts (division_code TEXT NOT NULL, stage TEXT NOT NULL, guidance TEXT NOT NULL,
                unit_category TEXT NOT NULL, build_mode TEXT NOT NULL, count INTEGER NOT NULL,
                PRIMARY KEY (division_code, stage, guidance, unit_category, build_mode)) WITHOUT ROWID
                """).run()
        } else {
            try await database.schema(LedgerCounts.dailyTable)
                .field("division_code", .string, .required)
                .field("stage", .string, .required)
                .field("guidance", .string, .required)
                // "" unless the stage is 已建立.
                .field("founded_on", .string, .required)
                .field("count", .int, .required)
                .compositeIdentifier(over: "division_code", "stage", "guidance", "founded_on")
                .create()
            try await database.schema(LedgerCounts.mixTable)
                .field("division_code", .string, .required)
                .field("stage", .string, .required)
                .field("guidance", .string, .required)
                .field("unit_category", .string, .required)
                .field("build_mode", .string, .required)
                .field("count", .int, .required)
                .compositeIdentifier(over: "division_code", "stage", "guidance", "unit_category", "build_mode")
                .create()
        }
        // Organizations recorded before the counts existed.
        try await LedgerCounts.rebuild(raisingDataVersion: false, on: database)

        try await database.schema("campaigns")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            // A division code, or "CN" for the whole country.
            .field("region_code", .string, .required)
            .field("region_path", .string, .required)
            .field("start_on", .string, .required)
            .field("deadline_on", .string, .required)
            .field("target", .int, .required)
            .field("new_only", .bool, .required)
            .field("within_window", .bool, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("campaign_targets")
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            .field("target", .int, .required)
            // How it was set: allocation method, "manual", "proposal", "move".
            .field("method", .string, .required)
            .field("updated_at", .datetime, .required)
            .compositeIdentifier(over: "campaign_id", "division_code")
            .create()
        try await database.sql.create(index: "campaign_targets_path").on("campaign_targets").column("campaign_id").column("division_path").run()
        try await database.schema("campaign_target_changes")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            .field("old_target", .int)
            .field("new_target", .int, .required)
            .field("method", .string, .required)
            .field("reason", .string)
            .field("actor_name", .string, .required)
            .field("changed_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "campaign_target_changes_division").on("campaign_target_changes")
            .column("campaign_id").column("division_code").run()
        try await database.schema("target_proposals")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            // The division whose children's targets the proposal re-splits.
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            // JSON object: child code → proposed target.
            .field("shares", .string, .required)
            .field("reason", .string, .required)
            // pending, accepted, rejected
            .field("status", .string, .required)
            .field("proposed_by", .string, .required)
            .field("proposed_at", .datetime, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["target_proposals", "campaign_target_changes", "campaign_targets", "campaigns",
                      LedgerCounts.mixTable, LedgerCounts.dailyTable] {
            try await database.schema(table).delete()
        }
    }
}
