import FluentKit
import SQLKit

/// The document library (工作资料): documents with their versions (the files kept in the database
/// so every instance sees them), the divisions each is issued to, and the 问答 (FAQ) entries.
struct CreateLibrary: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("library_documents")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .references("campaigns", "id"))
            // work_plan, method, faq, notice or template.
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("issuing_body", .string, .required)
            .field("document_number", .string, .required)
            .field("issued_on", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("library_audiences")
            .field("document_id", .int, .required, .references("library_documents", "id"))
            .field("division_code", .string, .required)
            .field("division_path", .string, .required)
            .compositeIdentifier(over: "document_id", "division_code")
            .create()
        try await database.sql.create(index: "library_audiences_path").on("library_audiences").column("division_path").run()

        try await database.schema("library_versions")
            .field("id", .int, .identifier(auto: true))
            .field("document_id", .int, .required, .references("library_documents", "id"))
            .field("version", .int, .required)
            .field("file_name", .string, .required)
            // pdf, docx or xlsx, recognised from the bytes.
            .field("file_kind", .string, .required)
            .field("byte_count", .int, .required)
            .field("sha256", .string, .required)
            .field("bytes", .data, .required)
            .field("note", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "document_id", "version")
            .create()

        try await database.schema("library_faq")
            .field("id", .int, .identifier(auto: true))
            .field("division_path", .string, .required)
            .field("topic", .string, .required)
            .field("question", .string, .required)
            .field("answer", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "library_faq_division").on("library_faq").column("division_path").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["library_faq", "library_versions", "library_audiences", "library_documents"] {
            try await database.schema(table).delete()
        }
    }
}
