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
            try await database.schema("ledger_daily_counts")
                .field("division_code", .string, .required)
                .field("stage", .string, .required)
                .field("guidance", .string, .required)
                // "" unless the stage is 已建立.
                .field("founded_on", .string, .required)
                .field("count", .int, .required)
                .compositeIdentifier(over: "division_code", "stage", "guidance", "founded_on")
                .create()
            try await database.schema("ledger_mix_counts")
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
        try await Self.backfillCounts(on: database)

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

    /// The running counts of the organizations already in the ledger, written out here rather
    /// than through `LedgerCounts` so that this migration means the same thing forever (frozen as
    /// of version 005: each organization counted at its township's path and at every division
    /// above it; founded_on kept only for 已建立).
    static func backfillCounts(on database: any Database) async throws {
        struct Row: Decodable {
            var division_path: String
            var stage: String
            var guidance: String
            var founded_on: String?
            var unit_category: String
            var build_mode: String
            var n: Int
        }
        let rows = try await database.sql.select()
            .columns("division_path", "stage", "guidance", "founded_on", "unit_category", "build_mode")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("organizations")
            .groupBy("division_path").groupBy("stage").groupBy("guidance").groupBy("founded_on")
            .groupBy("unit_category").groupBy("build_mode")
            .all(decoding: Row.self)
        var daily: [[String]: Int] = [:]
        var mix: [[String]: Int] = [:]
        for row in rows {
            let day = row.stage == "founded" ? row.founded_on ?? "" : ""
            for code in row.division_path.split(separator: "/").map(String.init) {
                daily[[code, row.stage, row.guidance, day], default: 0] += row.n
                mix[[code, row.stage, row.guidance, row.unit_category, row.build_mode], default: 0] += row.n
            }
        }
        for (key, count) in daily.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            try await database.sql.insert(into: "ledger_daily_counts")
                .columns("division_code", "stage", "guidance", "founded_on", "count")
                .values(key.map { SQLBind($0) } + [SQLBind(count)]).run()
        }
        for (key, count) in mix.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            try await database.sql.insert(into: "ledger_mix_counts")
                .columns("division_code", "stage", "guidance", "unit_category", "build_mode", "count")
                .values(key.map { SQLBind($0) } + [SQLBind(count)]).run()
        }
    }
}
