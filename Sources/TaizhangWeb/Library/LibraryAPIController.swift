import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/library…`: the documents a user may read with their versions (files are downloaded
/// from the document's page link in `fileURL`), and the 问答 (read and add).
enum LibraryAPIController {
    struct VersionJSON: Content {
        var version: Int
        var fileName: String
        var fileKind: String
        var byteCount: Int
        var sha256: String
        var note: String
        var uploadedBy: String
        var uploadedAt: Date
        var fileURL: String
    }

    struct DocumentJSON: Content {
        var id: Int
        var campaignID: Int?
        var kind: String
        var title: String
        var issuingBody: String
        var documentNumber: String
        var issuedOn: String
        var audience: [String]
        var versions: [VersionJSON]

        init(_ d: LibraryDocument) {
            id = d.id
            campaignID = d.campaignID
            kind = d.kind.rawValue
            title = d.title
            issuingBody = d.issuingBody
            documentNumber = d.documentNumber
            issuedOn = d.issuedOn.description
            audience = d.audienceCodes
            versions = d.versions.map {
                VersionJSON(version: $0.number, fileName: $0.fileName, fileKind: $0.fileKind.rawValue, byteCount: $0.byteCount, sha256: $0.sha256,
                            note: $0.note, uploadedBy: $0.uploadedBy, uploadedAt: $0.uploadedAt,
                            fileURL: SiteURL.libraryFile(.value(d.id), .value($0.number)).path)
            }
        }
    }

    struct DocumentListJSON: Content {
        var items: [DocumentJSON]
    }

    static func documents(_ req: Request) async throws -> DocumentListJSON {
        var kind: LibraryDocumentKind?
        if let text = req.queryText("kind") {
            guard let parsed = LibraryDocumentKind(text: text) else { throw Refusal("kind：「\(text)」应为 work_plan、method、faq、notice 或 template", field: "kind") }
            kind = parsed
        }
        return DocumentListJSON(items: try await LibraryStore.list(kind: kind, text: req.queryText("q"), readableIn: try req.scope(for: .view), on: req.db)
            .map(DocumentJSON.init))
    }

    static func document(_ req: Request) async throws -> DocumentJSON {
        DocumentJSON(try await LibraryStore.require(try LibraryDocumentController.documentID(req), in: try req.scope(for: .view), on: req.db))
    }

    struct FAQJSON: Content {
        var id: Int
        var topic: String
        var question: String
        var answer: String
        var updatedBy: String
        var updatedAt: Date

        init(_ e: FAQEntry) {
            id = e.id
            topic = e.topic
            question = e.question
            answer = e.answer
            updatedBy = e.updatedBy
            updatedAt = e.updatedAt
        }
    }

    struct FAQListJSON: Content {
        var items: [FAQJSON]
    }

    static func faq(_ req: Request) async throws -> FAQListJSON {
        FAQListJSON(items: try await FAQStore.search(req.queryText("q"), readableIn: try req.scope(for: .view), on: req.db).map(FAQJSON.init))
    }

    struct NewFAQJSON: Content {
        var division: String
        var topic: String?
        var question: String
        var answer: String
    }

    static func addFAQ(_ req: Request) async throws -> Response {
        let body = try req.content.decode(NewFAQJSON.self)
        let entry = try await FAQStore.add(divisionCode: body.division, topic: body.topic ?? "", question: body.question, answer: body.answer,
                                           in: try req.scope(for: .proposeTargets), by: req.actor, on: req.db)
        return try await FAQJSON(entry).encodeResponse(status: .created, for: req)
    }
}
