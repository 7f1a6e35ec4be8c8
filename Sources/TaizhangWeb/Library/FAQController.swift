import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The library's 问答 (FAQ): the questions a cadre may read, searched by words, grouped by topic,
/// and the form to add one.
enum FAQController {
    struct FAQRow: Encodable {
        var id: Int
        var number: Int
        var question: String
        var answer: [String]
    }

    struct FAQTopic: Encodable {
        var name: String
        var entries: [FAQRow]
    }

    struct FAQPageModel: Encodable {
        var layout: LayoutContext
        var libraryHref = SiteURL.library.path
        var action = SiteURL.libraryFAQ.path
        var text: String
        var total: Int
        var topics: [FAQTopic]
        var canEdit: Bool
        var divisions: [SelectOption]
        var values: FAQValues
        var error: String?

        struct FAQValues: Encodable {
            var division = "", topic = "", question = "", answer = ""
        }
    }

    static func list(_ req: Request) async throws -> Response {
        try await render(req, values: .init(), error: nil, status: .ok)
    }

    struct FAQForm: Content {
        var division: String?
        var topic: String?
        var question: String?
        var answer: String?
    }

    static func add(_ req: Request) async throws -> Response {
        let form = try req.content.decode(FAQForm.self)
        do {
            let entry = try await FAQStore.add(divisionCode: form.division ?? "", topic: form.topic ?? "", question: form.question ?? "",
                                               answer: form.answer ?? "", in: try req.scope(for: .proposeTargets), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.libraryFAQ.path + "#faq-\(entry.id)", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, values: .init(division: form.division ?? "", topic: form.topic ?? "", question: form.question ?? "",
                                                       answer: form.answer ?? ""), error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func render(_ req: Request, values: FAQPageModel.FAQValues, error: String?, status: HTTPStatus) async throws -> Response {
        let text = req.queryText("q") ?? ""
        let entries = try await FAQStore.search(text, readableIn: try req.scope(for: .view), on: req.db)
        var topics: [FAQTopic] = []
        for (index, entry) in entries.enumerated() {
            let item = FAQRow(id: entry.id, number: index + 1, question: entry.question,
                             answer: entry.answer.split(whereSeparator: \.isNewline).map(String.init))
            let name = entry.topic.nilIfBlank ?? "其他"
            if let at = topics.firstIndex(where: { $0.name == name }) { topics[at].entries.append(item) } else { topics.append(FAQTopic(name: name, entries: [item])) }
        }
        let issuing = try req.scope(for: .proposeTargets)
        let divisions = issuing.isEmpty ? [] : try await LibraryController.audienceOptions(issuing, roots: try await req.visibleRootDivisions(), on: req.db)
        let model = FAQPageModel(layout: LayoutContext(title: "工作资料 · 问答", area: .library, request: req), text: text, total: entries.count, topics: topics,
                          canEdit: !issuing.isEmpty, divisions: divisions, values: values, error: error)
        return try await req.view.render("library-faq", model).encodeResponse(status: status, for: req)
    }
}
