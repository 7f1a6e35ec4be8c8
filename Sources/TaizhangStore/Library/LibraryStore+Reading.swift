import FluentKit
import Foundation
import SQLKit
import TaizhangCore

extension LibraryStore {
    struct Row: Decodable {
        var id: Int
        var campaignId: Int?
        var kind: String
        var title: String
        var issuingBody: String
        var documentNumber: String
        var issuedOn: String
    }

    struct VersionRow: Decodable {
        var documentId: Int
        var version: Int
        var fileName: String
        var fileKind: String
        var byteCount: Int
        var sha256: String
        var note: String
        var uploadedBy: String
        var uploadedAt: Date

        var value: LibraryDocument.Version {
            .init(number: version, fileName: fileName, fileKind: DocumentFileKind(rawValue: fileKind) ?? .pdf, byteCount: byteCount, sha256: sha256,
                  note: note, uploadedBy: uploadedBy, uploadedAt: uploadedAt)
        }
    }

    /// Documents `scope` may read (issued to a division inside it, or above one of its roots: a township reads the city's plan), narrowed by kind,
    /// campaign (documents for all campaigns are always included) and a word of the title, body or number.
    public static func list(kind: LibraryDocumentKind? = nil, campaignID: Int? = nil, text: String? = nil, readableIn scope: Scope,
                            on db: any Database) async throws -> [LibraryDocument] {
        let select = db.sql.select().columns("id", "campaign_id", "kind", "title", "issuing_body", "document_number", "issued_on").from("library_documents")
        if let kind { select.where("kind", .equal, kind.rawValue) }
        if let campaignID { select.where { $0.where("campaign_id", .equal, campaignID).orWhere("campaign_id", .is, SQLLiteral.null) } }
        if let text = text?.trimmedWhitespace.nilIfBlank {
            let pattern = "%" + text.replacingOccurrences(of: "%", with: "") + "%"
            select.where { $0.orWhere("title", .like, pattern).orWhere("issuing_body", .like, pattern).orWhere("document_number", .like, pattern) }
        }
        let rows = try await select.orderBy("issued_on", .descending).orderBy("id", .descending).limit(500)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return try await documents(rows, readableIn: scope, on: db)
    }

    public static func require(_ id: Int, in scope: Scope, on db: any Database) async throws -> LibraryDocument {
        let rows = try await db.sql.select().columns("id", "campaign_id", "kind", "title", "issuing_body", "document_number", "issued_on")
            .from("library_documents").where("id", .equal, id).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        guard let document = try await documents(rows, readableIn: scope, on: db).first else { throw Refusal.notFound("找不到编号为 \(id) 的资料") }
        return document
    }

    /// The bytes of one version (the newest when `number` is nil).
    public static func file(_ id: Int, version number: Int?, in scope: Scope, on db: any Database) async throws -> (version: LibraryDocument.Version, bytes: Data) {
        let document = try await require(id, in: scope, on: db)
        guard let version = number.map({ n in document.versions.first { $0.number == n } }) ?? document.versions.first,
              let row = try await db.sql.select().column("bytes").from("library_versions").where("document_id", .equal, id)
                .where("version", .equal, version.number).first() else {
            throw Refusal.notFound("找不到这份资料的第 \(number ?? 0) 版")
        }
        return (version, try row.decode(column: "bytes", as: Data.self))
    }

    static func documents(_ rows: [Row], readableIn scope: Scope, on db: any Database) async throws -> [LibraryDocument] {
        guard !rows.isEmpty else { return [] }
        struct Audience: Decodable { var documentId: Int; var divisionCode: String; var divisionPath: String }
        let ids = rows.map(\.id)
        let audiences = Dictionary(grouping: try await db.sql.select().columns("document_id", "division_code", "division_path").from("library_audiences")
            .where("document_id", .in, ids).orderBy("division_path").all(decoding: Audience.self, keyDecodingStrategy: .convertFromSnakeCase), by: \.documentId)
        let readable = rows.filter { row in (audiences[row.id] ?? []).contains { scope.overlaps($0.divisionPath) } }
        guard !readable.isEmpty else { return [] }
        let versions = Dictionary(grouping: try await db.sql.select()
            .columns("document_id", "version", "file_name", "file_kind", "byte_count", "sha256", "note", "uploaded_by", "uploaded_at")
            .from("library_versions").where("document_id", .in, readable.map(\.id)).orderBy("version", .descending)
            .all(decoding: VersionRow.self, keyDecodingStrategy: .convertFromSnakeCase), by: \.documentId)
        return readable.map { row in
            let audience = audiences[row.id] ?? []
            return LibraryDocument(id: row.id, campaignID: row.campaignId, kind: LibraryDocumentKind(rawValue: row.kind) ?? .notice, title: row.title,
                                   issuingBody: row.issuingBody, documentNumber: row.documentNumber,
                                   issuedOn: CalendarDay(iso: row.issuedOn) ?? CalendarDay(year: 2000, month: 1, day: 1)!,
                                   audienceCodes: audience.map(\.divisionCode), audiencePaths: audience.map(\.divisionPath),
                                   versions: (versions[row.id] ?? []).map(\.value))
        }
    }
}
