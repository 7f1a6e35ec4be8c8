import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// 工作资料: documents issued to divisions, each with its versions (files kept in the database,
/// checked by their bytes and the size limit). A document is read by whoever works inside or above
/// a division it is issued to; it is issued and revised by someone whose scope holds all of them.
public enum LibraryStore {
    public static func create(_ draft: LibraryDocumentDraft, maximumBytes: Int, in scope: Scope, by actor: Actor,
                              on database: any Database) async throws -> LibraryDocument {
        var problems = draft.check()
        var fileKind: DocumentFileKind?
        if let file = draft.file {
            do { fileKind = try DocumentFileKind.check(fileName: file.fileName, bytes: file.bytes, allowed: DocumentFileKind.documents, maximumBytes: maximumBytes) }
            catch let problem as InvalidInput { problems.append(problem) }
        }
        guard problems.isEmpty, let kind = draft.kind, let issuedOn = draft.issuedOn, let file = draft.file, let fileKind else {
            throw Refusal.invalid(problems)
        }
        let audience = try await audienceDivisions(draft.audienceCodes, in: scope, on: database)
        if let id = draft.campaignID { _ = try await CampaignStore.require(id, on: database) }
        return try await writeTransaction(on: database) { db in
            let now = Date()
            let id = try await db.sql.insert(into: "library_documents")
                .columns("campaign_id", "kind", "title", "issuing_body", "document_number", "issued_on", "created_by", "created_at")
                .values(SQLBind(draft.campaignID), SQLBind(kind.rawValue), SQLBind(draft.title.trimmedWhitespace), SQLBind(draft.issuingBody.trimmedWhitespace),
                        SQLBind(draft.documentNumber.trimmedWhitespace), SQLBind(issuedOn.description), SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            for division in audience {
                try await db.sql.insert(into: "library_audiences").columns("document_id", "division_code", "division_path")
                    .values(SQLBind(id), SQLBind(division.code), SQLBind(division.path)).run()
            }
            let version = try await insertVersion(id, number: 1, file: file, kind: fileKind, note: draft.note, by: actor, at: now, on: db)
            try await AuditLog.record("library.create", entityType: "library_document", entityID: String(id), divisionPath: audience.first?.path,
                                      before: nil, after: [
                                          "标题": draft.title.trimmedWhitespace, "类别": kind.label, "发文单位": draft.issuingBody.trimmedWhitespace,
                                          "文号": draft.documentNumber.trimmedWhitespace, "发文日期": issuedOn.description,
                                          "发放范围": audience.map(\.name).joined(separator: "、"),
                                          "文件": "\(file.fileName)（SHA-256 \(version.sha256)）",
                                      ], by: actor, on: db)
            return LibraryDocument(id: id, campaignID: draft.campaignID, kind: kind, title: draft.title.trimmedWhitespace,
                                   issuingBody: draft.issuingBody.trimmedWhitespace, documentNumber: draft.documentNumber.trimmedWhitespace,
                                   issuedOn: issuedOn, audienceCodes: audience.map(\.code), audiencePaths: audience.map(\.path), versions: [version])
        }
    }

    /// A new version of a document: the file replaces the current one for readers; the old ones stay listed.
    public static func addVersion(_ id: Int, file: UploadedFile?, note: String, maximumBytes: Int, in scope: Scope, by actor: Actor,
                                  on database: any Database) async throws -> LibraryDocument.Version {
        let document = try await require(id, in: scope, on: database)
        guard document.audiencePaths.allSatisfy(scope.contains) else {
            throw Refusal("您不能修订这份资料：它发给了您管辖范围以外的单位，只能由发文单位上传新版本", kind: .forbidden)
        }
        guard let file else { throw Refusal("文件：请选择新版本的 PDF、Word（.docx）或 Excel（.xlsx）文件", field: "file") }
        let kind: DocumentFileKind
        do { kind = try DocumentFileKind.check(fileName: file.fileName, bytes: file.bytes, allowed: DocumentFileKind.documents, maximumBytes: maximumBytes) }
        catch let problem as InvalidInput { throw Refusal.invalid([problem]) }
        guard note.trimmedWhitespace.nilIfBlank != nil else { throw Refusal("修订说明：请写明这一版改了什么", field: "note") }
        return try await writeTransaction(on: database) { db in
            let latest = try await db.sql.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "n").from("library_versions")
                .where("document_id", .equal, id).first(decodingColumn: "n", as: Int?.self)
            let number = ((latest ?? nil) ?? 0) + 1
            let version = try await insertVersion(id, number: number, file: file, kind: kind, note: note, by: actor, at: Date(), on: db)
            try await AuditLog.record("library.version", entityType: "library_document", entityID: String(id), divisionPath: document.audiencePaths.first,
                                      before: ["版本": number - 1], after: ["版本": String(number), "文件": "\(file.fileName)（SHA-256 \(version.sha256)）",
                                                                          "修订说明": note.trimmedWhitespace], by: actor, on: db)
            return version
        }
    }

    static func insertVersion(_ id: Int, number: Int, file: UploadedFile, kind: DocumentFileKind, note: String, by actor: Actor, at now: Date,
                              on db: any Database) async throws -> LibraryDocument.Version {
        let hash = SHA256.hex(bytes: file.bytes)
        try await db.sql.insert(into: "library_versions")
            .columns("document_id", "version", "file_name", "file_kind", "byte_count", "sha256", "bytes", "note", "uploaded_by", "uploaded_at")
            .values(SQLBind(id), SQLBind(number), SQLBind(file.fileName), SQLBind(kind.rawValue), SQLBind(file.bytes.count), SQLBind(hash),
                    SQLBind(Data(file.bytes)), SQLBind(note.trimmedWhitespace), SQLBind(actor.name), SQLBind(now)).run()
        return .init(number: number, fileName: file.fileName, fileKind: kind, byteCount: file.bytes.count, sha256: hash, note: note.trimmedWhitespace,
                     uploadedBy: actor.name, uploadedAt: now)
    }

    /// The divisions a document is issued to, each inside the issuer's scope.
    static func audienceDivisions(_ codes: [String], in scope: Scope, on db: any Database) async throws -> [Division] {
        var result: [Division] = []
        for code in Array(Set(codes.compactMap(\.nilIfBlank))).sorted() {
            guard let division = try await DivisionQueries.find(code, on: db), scope.contains(division.path) else {
                throw Refusal("发放范围：「\(code)」不在你的管辖范围内", field: "audience")
            }
            result.append(division)
        }
        return result
    }
}
