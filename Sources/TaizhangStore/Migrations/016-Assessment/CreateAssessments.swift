import FluentKit
import SQLKit

/// The annual assessment (年度考评): each rubric with its year, level and date, the assessors'
/// checked scores, the published results (numbered, every version's content frozen as JSON) and
/// the appeals against them with their decisions.
struct CreateAssessments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("assessments")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("campaigns", "id"))
            // The assessing division (a city scores its counties, a county its townships).
            .field("scope_code", .string, .required)
            .field("scope_path", .string, .required)
            .field("year", .int, .required)
            .field("title", .string, .required)
            // The assessment date (YYYY-MM-DD): every measured figure is as of this day.
            .field("as_of", .string, .required)
            // AssessmentRubric as JSON.
            .field("rubric", .string, .required)
            .field("rubric_version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "campaign_id", "scope_code", "year")
            .create()
        try await database.sql.create(index: "assessments_scope").on("assessments").column("scope_path").run()

        try await database.schema("assessment_checked_scores")
            .field("assessment_id", .int, .required, .references("assessments", "id"))
            .field("unit_code", .string, .required)
            .field("indicator_key", .string, .required)
            // Hundredths of a point.
            .field("points", .int, .required)
            .field("note", .string, .required)
            .field("scored_by", .string, .required)
            .field("scored_at", .datetime, .required)
            .compositeIdentifier(over: "assessment_id", "unit_code", "indicator_key")
            .create()

        try await database.schema("assessment_results")
            .field("id", .int, .identifier(auto: true))
            .field("assessment_id", .int, .required, .references("assessments", "id"))
            // 第N号, counted per assessing division and year; a new version keeps its number.
            .field("number", .int, .required)
            .field("version", .int, .required)
            // AssessmentResultContent as JSON: frozen when published, never recomputed.
            .field("content", .string, .required)
            .field("published_by", .string, .required)
            .field("published_at", .datetime, .required)
            // The last day (YYYY-MM-DD) an appeal against this version may be filed.
            .field("appeal_until", .string, .required)
            .unique(on: "assessment_id", "version")
            .create()

        try await database.schema("assessment_appeals")
            .field("id", .int, .identifier(auto: true))
            .field("assessment_id", .int, .required, .references("assessments", "id"))
            .field("result_version", .int, .required)
            .field("unit_code", .string, .required)
            .field("unit_path", .string, .required)
            .field("indicator_key", .string, .required)
            .field("reason", .string, .required)
            .field("filed_by", .string, .required)
            .field("filed_at", .datetime, .required)
            // accepted or rejected; NULL while open.
            .field("decision", .string)
            // For an accepted appeal: the item's new points, in hundredths.
            .field("new_points", .int)
            .field("decision_note", .string)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            // The result version that took the change in (accepted appeals only).
            .field("applied_in_version", .int)
            .create()
        try await database.sql.create(index: "assessment_appeals_assessment").on("assessment_appeals").column("assessment_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["assessment_appeals", "assessment_results", "assessment_checked_scores", "assessments"] {
            try await database.schema(table).delete()
        }
    }
}
