import FluentKit
import SQLKit

/// Demonstration townships (示范乡镇): the city's checklist per campaign, each county's limit,
/// nominations and approvals, evidence with its files (kept in the database), and model cases
/// (典型案例) with the organizations they describe.
struct CreateDemonstration: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("demonstration_limits")
            .field("campaign_id", .int, .identifier(auto: false), .references("campaigns", "id"))
            .field("nomination_limit", .int, .required)
            .field("set_by", .string, .required)
            .field("set_at", .datetime, .required)
            .create()

        try await database.schema("demonstration_criteria")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            .field("position", .int, .required)
            .field("title", .string, .required)
            // committee_staffed, completion, reports_on_time, conference_monthly or evidence.
            .field("kind", .string, .required)
            .field("threshold", .double)
            .field("evidence_required", .bool, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "demonstration_criteria_campaign").on("demonstration_criteria").column("campaign_id").run()

        try await database.schema("demonstration_townships")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            .field("township_code", .string, .required)
            .field("township_path", .string, .required)
            // The county-level unit that nominated it (its limit counts per campaign).
            .field("county_code", .string, .required)
            // nominated, approved or rejected.
            .field("status", .string, .required)
            .field("reason", .string, .required)
            .field("nominated_by", .string, .required)
            .field("nominated_at", .datetime, .required)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .field("accepted_on", .string)
            .field("acceptance_team", .string)
            .field("acceptance_findings", .string)
            .field("acceptance_recorded_by", .string)
            .unique(on: "campaign_id", "township_code")
            .create()
        try await database.sql.create(index: "demonstration_townships_county").on("demonstration_townships")
            .column("campaign_id").column("county_code").run()

        try await database.schema("demonstration_evidence")
            .field("id", .int, .identifier(auto: true))
            .field("demonstration_id", .int, .required, .references("demonstration_townships", "id"))
            .field("criterion_id", .int, .required, .references("demonstration_criteria", "id"))
            .field("note", .string, .required)
            // Whether this entry marks the item met (the latest entry per item decides).
            .field("marks_met", .bool, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "demonstration_evidence_township").on("demonstration_evidence").column("demonstration_id").run()

        try await database.schema("demonstration_evidence_files")
            .field("id", .int, .identifier(auto: true))
            .field("evidence_id", .int, .required, .references("demonstration_evidence", "id"))
            .field("file_name", .string, .required)
            .field("kind", .string, .required)
            .field("byte_count", .int, .required)
            .field("sha256", .string, .required)
            .field("bytes", .data, .required)
            .create()
        try await database.sql.create(index: "demonstration_evidence_files_evidence").on("demonstration_evidence_files").column("evidence_id").run()

        try await database.schema("model_cases")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .references("campaigns", "id"))
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            .field("unit_name", .string)
            .field("title", .string, .required)
            .field("build_mode", .string, .required)
            .field("unit_category", .string, .required)
            .field("what_worked", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "model_cases_division").on("model_cases").column("division_path").run()

        try await database.schema("model_case_organizations")
            .field("model_case_id", .int, .required, .references("model_cases", "id"))
            .field("organization_code", .string, .required, .references("organizations", "code"))
            .compositeIdentifier(over: "model_case_id", "organization_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["model_case_organizations", "model_cases", "demonstration_evidence_files", "demonstration_evidence",
                      "demonstration_townships", "demonstration_criteria", "demonstration_limits"] {
            try await database.schema(table).delete()
        }
    }
}
