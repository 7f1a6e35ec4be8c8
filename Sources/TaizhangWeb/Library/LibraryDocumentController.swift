import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// One document of the library: what it is, who it is issued to, its versions with who uploaded
/// each and when, the file of each, and the form for a new version.
enum LibraryDocumentController {
    struct DocumentVersionRow: Encodable {
        var number: Int
        var fileName: String
        var href: String
        var kind: String
        var size: String
        var sha256: String
        var note: String
        var uploaded: String
    }

    struct DocumentPageModel: Encodable {
        var layout: LayoutContext
        var libraryHref = SiteURL.library.path
        var title: String
        var kind: String
        var issuingBody: String
        var documentNumber: String
        var issuedOn: String
        var audience: String
        var versions: [DocumentVersionRow]
        var canRevise: Bool
        var versionAction: String
        var fileLimit: String
        var error: String?
    }

    static func show(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    struct DocumentVersionForm: Content {
        var note: String?
        var file: File?
    }

    static func addVersion(_ req: Request) async throws -> Response {
        let id = try documentID(req)
        do {
            let form = try req.content.decode(DocumentVersionForm.self)
            _ = try await LibraryStore.addVersion(id, file: LibraryController.uploaded(form.file), note: form.note ?? "",
                                                  maximumBytes: req.application.settings.libraryMaximumBytes, in: try req.scope(for: .proposeTargets),
                                                  by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.libraryDocument(.value(id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where error.kind == .invalidInput || error.kind == .conflict {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    /// A version's file as it was uploaded, byte for byte, as a download.
    static func file(_ req: Request) async throws -> Response {
        let id = try documentID(req)
        guard let number = Int(try req.parameters.require("version")) else { throw Abort(.notFound, reason: "找不到这一版") }
        let (version, bytes) = try await LibraryStore.file(id, version: number, in: try req.scope(for: .view), on: req.db)
        return FileResponse.make(bytes: bytes, fileName: version.fileName, kind: version.fileKind, inline: version.fileKind == .pdf)
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let id = try documentID(req)
        let document = try await LibraryStore.require(id, in: try req.scope(for: .view), on: req.db)
        var audience: [String] = []
        for code in document.audienceCodes { audience.append(try await DivisionQueries.find(code, on: req.db)?.name ?? code) }
        let issuing = try req.scope(for: .proposeTargets)
        let model = DocumentPageModel(
            layout: LayoutContext(title: document.title, area: .library, request: req), title: document.title, kind: document.kind.label,
            issuingBody: document.issuingBody, documentNumber: document.documentNumber, issuedOn: document.issuedOn.description,
            audience: audience.joined(separator: "、"),
            versions: document.versions.map {
                DocumentVersionRow(number: $0.number, fileName: $0.fileName, href: SiteURL.libraryFile(.value(id), .value($0.number)).path, kind: $0.fileKind.label,
                           size: DocumentFileKind.sizeText($0.byteCount), sha256: $0.sha256, note: $0.note,
                           uploaded: "\($0.uploadedBy) \(DisplayFormat.dateTime($0.uploadedAt))")
            },
            canRevise: !issuing.isEmpty && document.audiencePaths.allSatisfy(issuing.contains),
            versionAction: SiteURL.libraryVersions(.value(id)).path,
            fileLimit: "PDF、Word（.docx）或 Excel（.xlsx），不超过 \(DocumentFileKind.sizeText(req.application.settings.libraryMaximumBytes))", error: error)
        return try await req.view.render("library-document", model).encodeResponse(status: status, for: req)
    }

    static func documentID(_ req: Request) throws -> Int {
        let text = try req.parameters.require("documentID")
        guard let id = Int(text) else { throw Abort(.notFound, reason: "找不到编号为 \(text) 的资料") }
        return id
    }
}
