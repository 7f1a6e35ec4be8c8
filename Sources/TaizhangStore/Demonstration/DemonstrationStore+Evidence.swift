import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Evidence (佐证材料) for a checklist item: a note and files kept in the database. Marking an item
/// met where the city requires evidence needs both; a measured item is met by the data only.
extension DemonstrationStore {
    public static func addEvidence(_ id: Int, criterionID: Int, note: String, marksMet: Bool, files: [UploadedFile], maximumBytes: Int,
                                   in scope: Scope, by actor: Actor, on database: any Database) async throws -> Demonstration.Evidence {
        let demonstration = try await require(id, in: scope, on: database)
        guard let criterion = try await criteria(demonstration.campaignID, on: database).first(where: { $0.id == criterionID }) else {
            throw Refusal("示范条件：找不到编号为 \(criterionID) 的条件", field: "criterion")
        }
        let noteText = note.trimmedWhitespace
        var problems: [InvalidInput] = []
        if criterion.kind.isMeasured && marksMet {
            problems.append(.init(field: "「\(criterion.title)」", reason: "由台账数据自动测算，不能手工标记达标；可以上传说明材料，但不勾选“标记为达标”"))
        }
        if marksMet && criterion.evidenceRequired && (noteText.isEmpty || files.isEmpty) {
            problems.append(.init(field: "「\(criterion.title)」", reason: "须有佐证材料才能标记达标：请填写说明并至少上传一个附件"))
        }
        if noteText.isEmpty && files.isEmpty { problems.append(.init(field: "佐证说明", reason: "请填写说明或上传附件")) }
        if files.count > 10 { problems.append(.init(field: "附件", reason: "一次最多上传 10 个文件")) }
        var kinds: [DocumentFileKind] = []
        for file in files {
            do { kinds.append(try DocumentFileKind.check(fileName: file.fileName, bytes: file.bytes, allowed: DocumentFileKind.evidence,
                                                         maximumBytes: maximumBytes, field: "附件")) } catch let problem as InvalidInput { problems.append(problem) }
        }
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        let fileKinds = kinds
        return try await writeTransaction(on: database) { db in
            let now = Date()
            let evidenceID = try await db.sql.insert(into: "demonstration_evidence")
                .columns("demonstration_id", "criterion_id", "note", "marks_met", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(criterionID), SQLBind(noteText), SQLBind(marksMet), SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            var stored: [Demonstration.File] = []
            for (file, kind) in zip(files, fileKinds) {
                let hash = SHA256.hex(bytes: file.bytes)
                let fileID = try await db.sql.insert(into: "demonstration_evidence_files")
                    .columns("evidence_id", "file_name", "kind", "byte_count", "sha256", "bytes")
                    .values(SQLBind(evidenceID), SQLBind(file.fileName), SQLBind(kind.rawValue), SQLBind(file.bytes.count), SQLBind(hash), SQLBind(Data(file.bytes)))
                    .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
                stored.append(.init(id: fileID, fileName: file.fileName, kind: kind, byteCount: file.bytes.count, sha256: hash))
            }
            try await AuditLog.record("demonstration.evidence", entityType: "demonstration", entityID: String(id), divisionPath: demonstration.townshipPath,
                                      before: nil, after: ["条件": criterion.title, "说明": noteText, "标记达标": marksMet ? "是" : "否",
                                                           "附件": stored.map { "\($0.fileName)（SHA-256 \($0.sha256)）" }.joined(separator: "、")],
                                      by: actor, on: db)
            return .init(id: evidenceID, criterionID: criterionID, note: noteText, marksMet: marksMet, recordedBy: actor.name, recordedAt: now, files: stored)
        }
    }

    /// The bytes of one evidence file of a demonstration township inside `scope`.
    public static func evidenceFile(_ fileID: Int, of id: Int, in scope: Scope, on db: any Database) async throws -> (file: Demonstration.File, bytes: Data) {
        let demonstration = try await require(id, in: scope, on: db)
        guard let file = demonstration.evidence.flatMap(\.files).first(where: { $0.id == fileID }),
              let row = try await db.sql.select().column("bytes").from("demonstration_evidence_files").where("id", .equal, fileID).first() else {
            throw Refusal.notFound("找不到这份佐证材料")
        }
        return (file, try row.decode(column: "bytes", as: Data.self))
    }
}
