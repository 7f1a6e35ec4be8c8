import FluentKit
import SQLKit

/// Spot checks (数据抽查): each draw with everything needed to redo it (the frame as drawn, its
/// SHA-256, the design and the seed as text), and each sampled organization with what its checker found.
struct CreateSpotChecks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("spot_checks")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            // The division drawn over (a city for counties, a county for townships).
            .field("scope_code", .string, .required)
            .field("scope_path", .string, .required)
            .field("as_of", .string, .required)
            // Narrowing of the frame as JSON ({"unitCategory": …, "buildMode": …}), "{}" for none.
            .field("filters", .string, .required)
            .field("stratify_by", .string, .required)
            // "percent" (size_value percent, at least size_minimum) or "fixed" (size_value per stratum).
            .field("size_rule", .string, .required)
            .field("size_value", .double, .required)
            .field("size_minimum", .int, .required)
            .field("flagged_first", .bool, .required)
            .field("seed", .string, .required)
            .field("frame_size", .int, .required)
            .field("frame_sha256", .string, .required)
            // The frame, one "code<TAB>stratum code<TAB>1 if flagged else 0" per line in code order.
            .field("frame", .string, .required)
            // Per stratum: code, name, frame size, flagged size, sample size (JSON array).
            .field("strata", .string, .required)
            .field("created_by_id", .string)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "spot_checks_scope").on("spot_checks").column("scope_path").column("id").run()

        try await database.schema("spot_check_samples")
            .field("spot_check_id", .int, .required, .references("spot_checks", "id"))
            .field("organization_code", .string, .required, .references("organizations", "code"))
            .field("stratum_code", .string, .required)
            .field("position", .int, .required)
            .field("flagged", .bool, .required)
            .field("checker", .string)
            .field("visited_on", .string)
            // real, wrong_details, not_real, unverifiable; NULL until recorded.
            .field("outcome", .string)
            // For wrong_details: the ledger columns found wrong, joined by "、".
            .field("wrong_fields", .string)
            .field("notes", .string)
            .field("recorded_by", .string)
            .field("recorded_at", .datetime)
            .compositeIdentifier(over: "spot_check_id", "organization_code")
            .create()
        try await database.sql.create(index: "spot_check_samples_org").on("spot_check_samples").column("organization_code").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("spot_check_samples").delete()
        try await database.schema("spot_checks").delete()
    }
}
