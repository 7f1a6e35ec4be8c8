import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// One evidence file (佐证材料) of a checked item of one unit, without its bytes.
public struct AssessmentEvidence: Sendable, Codable, Equatable {
    public var id: Int
    public var unitCode: String
    public var indicatorKey: String
    public var fileName: String
    public var kind: DocumentFileKind
    public var byteCount: Int
    public var sha256: String
    public var uploadedBy: String
    public var uploadedAt: Date
}

/// Evidence for checked items: files uploaded with a score (the assessors') or an organization's own
/// score (对标定级), checked by their bytes before anything is written and kept byte for byte; their
/// names go into the item's line, so a published result says what the score rested on.
extension AssessmentStore {
    /// At most this many files with one score.
    public static let evidencePerUpload = 10

    /// Checks each file (kind by its bytes, size, count) and names every problem; nothing is written.
    static func checkedEvidence(_ files: [UploadedFile], maximumBytes: Int) throws -> [(file: UploadedFile, kind: DocumentFileKind)] {
        guard !files.isEmpty else { return [] }
        var problems: [InvalidInput] = []
        if files.count > evidencePerUpload { problems.append(.init(field: "佐证材料", reason: "一次最多上传 \(evidencePerUpload) 个文件（选了 \(files.count) 个）")) }
        var checked: [(file: UploadedFile, kind: DocumentFileKind)] = []
        for file in files {
            do {
                checked.append((file, try DocumentFileKind.check(fileName: file.fileName, bytes: file.bytes, allowed: DocumentFileKind.evidence,
                                                                 maximumBytes: maximumBytes, field: "佐证材料")))
            } catch let problem as InvalidInput { problems.append(problem) }
        }
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        return checked
    }

    /// Writes checked files for one unit's item; returns how the audit trail names them.
    static func storeEvidence(_ files: [(file: UploadedFile, kind: DocumentFileKind)], assessment id: Int, unit: String, indicator key: String,
                              by actor: Actor, on db: any Database) async throws -> [String] {
        var names: [String] = []
        let now = Date()
        for (file, kind) in files {
            let hash = SHA256.hex(bytes: file.bytes)
            try await db.sql.insert(into: "assessment_evidence_files")
                .columns("assessment_id", "unit_code", "indicator_key", "file_name", "kind", "byte_count", "sha256", "bytes", "uploaded_by", "uploaded_at")
                .values(SQLBind(id), SQLBind(unit), SQLBind(key), SQLBind(file.fileName), SQLBind(kind.rawValue), SQLBind(file.bytes.count), SQLBind(hash),
                        SQLBind(Data(file.bytes)), SQLBind(actor.name), SQLBind(now))
                .run()
            names.append("\(file.fileName)（SHA-256 \(hash)）")
        }
        return names
    }

    /// Every evidence file of an assessment, oldest first, without bytes.
    public static func evidence(_ id: Int, on db: any Database) async throws -> [AssessmentEvidence] {
        let select = db.sql.select().columns("id", "unit_code", "indicator_key", "file_name", "kind", "byte_count", "sha256", "uploaded_by", "uploaded_at")
            .from("assessment_evidence_files").where("assessment_id", .equal, id).orderBy("id")
        return try await ResultRows.all(select.query, on: db) { row in
            AssessmentEvidence(id: try row.int("id"), unitCode: try row.string("unit_code"), indicatorKey: try row.string("indicator_key"),
                               fileName: try row.string("file_name"), kind: DocumentFileKind(rawValue: try row.string("kind")) ?? .pdf,
                               byteCount: try row.int("byte_count"), sha256: try row.string("sha256"), uploadedBy: try row.string("uploaded_by"),
                               uploadedAt: try row.date("uploaded_at"))
        }
    }

    /// One evidence file with its bytes, for those who see the whole assessment (the assessing division
    /// inside `scope`) or the unit it is about; others are told it is not there.
    public static func evidenceFile(_ fileID: Int, of id: Int, in scope: Scope, on db: any Database) async throws -> (file: AssessmentEvidence, bytes: Data) {
        let assessment = try await find(id, in: scope, on: db)
        guard let file = try await evidence(id, on: db).first(where: { $0.id == fileID }) else { throw Refusal.notFound("找不到这份佐证材料") }
        let unitPath = try await unitPath(file.unitCode, of: assessment, on: db)
        guard scope.contains(assessment.scopePath) || unitPath.map(scope.contains) == true,
              let row = try await db.sql.select().column("bytes").from("assessment_evidence_files").where("id", .equal, fileID).first() else {
            throw Refusal.notFound("找不到这份佐证材料")
        }
        return (file, try row.decode(column: "bytes", as: Data.self))
    }
}
