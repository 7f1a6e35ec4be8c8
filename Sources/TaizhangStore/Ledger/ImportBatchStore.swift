import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Uploaded files waiting for the cadre to confirm their preview. Kept in the database so
/// the confirmation may reach any app instance.
public enum ImportBatchStore {
    public struct Batch: Sendable {
        public var id: UUID
        public var userID: UUID?
        public var fileName: String
        public var content: Data
        public var preview: LedgerImporter.Preview
        public var status: String
    }

    public static func save(
        content: Data, fileName: String, preview: LedgerImporter.Preview, userID: UUID?, actorName: String, on db: any Database
    ) async throws -> UUID {
        let id = UUID()
        let summary = String(decoding: try JSONEncoder().encode(preview), as: UTF8.self)
        try await db.sql.insert(into: "import_batches")
            .columns("id", "user_id", "actor_name", "file_name", "content", "summary", "status", "created_at")
            .values(SQLBind(id), SQLBind(userID), SQLBind(actorName), SQLBind(fileName), SQLBind(content), SQLBind(summary),
                    SQLBind("previewed"), SQLBind(Date()))
            .run()
        return id
    }

    /// The batch if it exists and belongs to `userID`.
    public static func find(_ id: UUID, userID: UUID?, on db: any Database) async throws -> Batch? {
        struct Row: Decodable {
            var id: UUID
            var userId: UUID?
            var fileName: String
            var content: Data
            var summary: String
            var status: String
        }
        guard let row = try await db.sql.select().columns("id", "user_id", "file_name", "content", "summary", "status")
            .from("import_batches").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase), row.userId == userID else { return nil }
        let preview = try JSONDecoder().decode(LedgerImporter.Preview.self, from: Data(row.summary.utf8))
        return Batch(id: row.id, userID: row.userId, fileName: row.fileName, content: row.content, preview: preview, status: row.status)
    }

    /// Marks the batch committed and drops its content; fails if it was already committed.
    public static func markCommitted(_ id: UUID, on db: any Database) async throws {
        let rows = try await db.sql.update("import_batches")
            .set("status", to: "committed").set("committed_at", to: Date()).set("content", to: Data())
            .where("id", .equal, id).where("status", .equal, "previewed")
            .returning("id").all()
        guard rows.count == 1 else { throw Refusal("这个文件已经导入过了", kind: .conflict) }
    }
}
