import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 工作资料: the documents a cadre may read by kind, the upload form, a document with its versions
/// and the form for a new one, and the files themselves.
enum LibraryController {
    /// One file at the library's limit plus the form.
    static func bodyLimit(_ settings: AppSettings) -> ByteCount {
        ByteCount(value: settings.libraryMaximumBytes + 1024 * 1024)
    }

    struct DocumentRow: Encodable {
        var title: String
        var href: String
        var kind: String
        var issuingBody: String
        var documentNumber: String
        var issuedOn: String
        var version: Int
        var fileHref: String
        var fileLabel: String
    }

    struct DocumentSection: Encodable {
        var kind: String
        var rows: [DocumentRow]
    }

    struct LibraryPageModel: Encodable {
        var layout: LayoutContext
        var sections: [DocumentSection]
        var kinds: [SelectOption]
        var kind: String
        var text: String
        var canUpload: Bool
        var action = SiteURL.libraryDocuments.path
        var faqHref = SiteURL.libraryFAQ.path
        var campaignID: Int?
        var audiences: [SelectOption]
        var values: DocumentValues
        var today: String
        var fileLimit: String
        var error: String?

        struct DocumentValues: Encodable {
            var kind = "", title = "", issuingBody = "", documentNumber = "", issuedOn = "", audience = "", note = ""
        }
    }

    static func index(_ req: Request) async throws -> Response {
        try await render(req, values: .init(), error: nil, status: .ok)
    }

    struct DocumentForm: Content {
        var campaignID: Int?
        var kind: String?
        var title: String?
        var issuingBody: String?
        var documentNumber: String?
        var issuedOn: String?
        var audience: [String]?
        var note: String?
        var file: File?
    }

    static func uploaded(_ file: File?) -> UploadedFile? {
        guard let file, file.data.readableBytes > 0 || !file.filename.isEmpty else { return nil }
        return UploadedFile(fileName: file.filename.nilIfBlank ?? "文件", bytes: Array(file.data.readableBytesView))
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(DocumentForm.self)
        let values = LibraryPageModel.DocumentValues(kind: form.kind ?? "", title: form.title ?? "", issuingBody: form.issuingBody ?? "",
                                       documentNumber: form.documentNumber ?? "", issuedOn: form.issuedOn ?? "", audience: form.audience?.first ?? "",
                                       note: form.note ?? "")
        do {
            let draft = LibraryDocumentDraft(
                campaignID: form.campaignID, kind: form.kind.flatMap(LibraryDocumentKind.init(text:)), title: form.title ?? "",
                issuingBody: form.issuingBody ?? "", documentNumber: form.documentNumber ?? "",
                issuedOn: form.issuedOn?.nilIfBlank.flatMap(CalendarDay.init(iso:)), audienceCodes: form.audience ?? [], file: uploaded(form.file),
                note: form.note ?? "")
            let document = try await LibraryStore.create(draft, maximumBytes: req.application.settings.libraryMaximumBytes,
                                                         in: try req.scope(for: .proposeTargets), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.libraryDocument(.value(document.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, values: values, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func render(_ req: Request, values: LibraryPageModel.DocumentValues, error: String?, status: HTTPStatus) async throws -> Response {
        let kind = req.queryText("kind").flatMap(LibraryDocumentKind.init(text:))
        let text = req.queryText("q")
        let documents = try await LibraryStore.list(kind: kind, text: text, readableIn: try req.scope(for: .view), on: req.db)
        let sections = LibraryDocumentKind.allCases.compactMap { kind -> DocumentSection? in
            let rows = documents.filter { $0.kind == kind }.map(row)
            return rows.isEmpty ? nil : DocumentSection(kind: kind.label, rows: rows)
        }
        let issuing = try req.scope(for: .proposeTargets)
        let roots = try await req.visibleRootDivisions()
        let audiences = issuing.isEmpty ? [] : try await audienceOptions(issuing, roots: roots, on: req.db)
        let limit = req.application.settings.libraryMaximumBytes
        let model = LibraryPageModel(
            layout: LayoutContext(title: "工作资料", area: .library, request: req), sections: sections,
            kinds: LibraryDocumentKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) }, kind: kind?.rawValue ?? "", text: text ?? "",
            canUpload: !issuing.isEmpty, campaignID: nil, audiences: audiences, values: values, today: CalendarDay.today().description,
            fileLimit: "PDF、Word（.docx）或 Excel（.xlsx），不超过 \(DocumentFileKind.sizeText(limit))；按文件内容识别类型", error: error)
        return try await req.view.render("library", model).encodeResponse(status: status, for: req)
    }

    static func row(_ document: LibraryDocument) -> DocumentRow {
        let latest = document.versions.first
        return DocumentRow(title: document.title, href: SiteURL.libraryDocument(.value(document.id)).path, kind: document.kind.label,
                   issuingBody: document.issuingBody, documentNumber: document.documentNumber, issuedOn: document.issuedOn.description,
                   version: latest?.number ?? 0,
                   fileHref: SiteURL.libraryFile(.value(document.id), .value(latest?.number ?? 1)).path,
                   fileLabel: latest.map { "\($0.fileKind.label) · \(DocumentFileKind.sizeText($0.byteCount))" } ?? "")
    }

    /// The divisions a document may be issued to: the issuer's roots and their children (a city's counties).
    static func audienceOptions(_ scope: Scope, roots: [Division], on db: any Database) async throws -> [SelectOption] {
        var options: [SelectOption] = []
        for root in roots where scope.contains(root.path) {
            options.append(SelectOption(value: root.code, label: root.name + "（全部）"))
            if root.level != .township {
                for child in try await DivisionQueries.children(of: root.code, on: db) { options.append(SelectOption(value: child.code, label: "　" + child.name)) }
            }
        }
        return options
    }
}
