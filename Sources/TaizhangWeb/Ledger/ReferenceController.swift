import TaizhangCore
import TaizhangStore
import Vapor

/// The reference lists a system administrator may extend (组织类型, 单位类别, 建团方式).
enum ReferenceController {

    static func index(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let lists = try await req.referenceLists()
        return try await req.view.render("reference", PageModel(
            layout: LayoutContext(title: "参考数据", area: .users, request: req),
            lists: ReferenceKind.allCases.map { ListModel(kind: $0.rawValue, label: $0.label, values: lists.list($0)) },
            error: error)).encodeResponse(status: status, for: req)
    }

    struct AddForm: Content {
        var kind: String
        var value: String
    }

    static func add(_ req: Request) async throws -> Response {
        do {
            let form = try req.content.decode(AddForm.self)
            guard let kind = ReferenceKind(rawValue: form.kind) else { throw InvalidInput(field: "类别", reason: "「\(form.kind)」不是参考数据类别") }
            try await ReferenceStore.add(kind, value: form.value, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.reference.path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }
}
