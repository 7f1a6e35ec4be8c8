import FluentKit

/// 对标定级: an organization's own score (自评) of each checked item of its township's rating, entered
/// by the township for it; the committee's review goes into `assessment_checked_scores` beside it.
struct CreateAssessmentSelfScores: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("assessment_self_scores")
            .field("assessment_id", .int, .required, .references("assessments", "id"))
            // The organization's code.
            .field("unit_code", .string, .required)
            .field("indicator_key", .string, .required)
            // Hundredths of a point.
            .field("points", .int, .required)
            .field("note", .string, .required)
            .field("entered_by", .string, .required)
            // The account that entered it: its reviewer must be another (four eyes).
            .field("entered_by_id", .string, .required)
            .field("entered_at", .datetime, .required)
            .compositeIdentifier(over: "assessment_id", "unit_code", "indicator_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assessment_self_scores").delete()
    }
}
