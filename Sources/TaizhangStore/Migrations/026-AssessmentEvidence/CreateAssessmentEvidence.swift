import FluentKit
import SQLKit

/// Evidence (佐证材料) for a checked item of one assessed unit: the files an assessor or, in 对标定级, the
/// township uploads with a score, kept in the database byte for byte with their SHA-256.
struct CreateAssessmentEvidence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("assessment_evidence_files")
            .field("id", .int, .identifier(auto: true))
            .field("assessment_id", .int, .required, .references("assessments", "id"))
            .field("unit_code", .string, .required)
            .field("indicator_key", .string, .required)
            .field("file_name", .string, .required)
            // DocumentFileKind: what the bytes were checked to be.
            .field("kind", .string, .required)
            .field("byte_count", .int, .required)
            .field("sha256", .string, .required)
            .field("bytes", .data, .required)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "assessment_evidence_files_assessment").on("assessment_evidence_files")
            .column("assessment_id").column("unit_code").column("indicator_key").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("assessment_evidence_files").delete()
    }
}
