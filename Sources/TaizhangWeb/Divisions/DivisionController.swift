import TaizhangCore
import TaizhangStore
import Vapor

/// The division tree's pages and the forms on them.
enum DivisionController {
    static func home(_ req: Request) async throws -> View {
        try await req.view.render("divisions", DivisionIndexPage.build(request: req, area: .home, heading: "台账 · 行政区划"))
    }

    static func index(_ req: Request) async throws -> View {
        try await req.view.render("divisions", DivisionIndexPage.build(request: req, area: .divisions, heading: "行政区划"))
    }

    static func show(_ req: Request) async throws -> View {
        try await req.view.render("division", DivisionPage.build(code: try req.parameters.require("code"), request: req))
    }

    struct AttributeForm: Content {
        var tagsPresent: String?
        var keyAreaTags: [String]?
        var youthPopulation: String?
        var leagueCommitteeName: String?
    }

    static func updateAttributes(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        return try await handleForm(req, code: code) {
            let form = try req.content.decode(AttributeForm.self)
            var change = DivisionEditor.AttributeChange()
            if form.tagsPresent != nil {
                change.keyAreaTags = try (form.keyAreaTags ?? []).map { text in
                    guard let tag = KeyAreaTag(text: text) else {
                        throw InvalidInput(field: "重点区域", reason: "未知标签「\(text)」")
                    }
                    return tag
                }
            }
            if let text = form.youthPopulation {
                if text.trimmingCharacters(in: .whitespaces).isEmpty {
                    change.clearYouthPopulation = true
                } else {
                    change.youthPopulation = try ValueParser.integer(text, field: "青年人口")
                }
            }
            change.leagueCommitteeName = form.leagueCommitteeName
            _ = try await DivisionEditor.updateAttributes(of: code, change, by: req.actor, on: req.db)
            return SiteURL.division(.value(code)).path
        }
    }

    struct ZoneForm: Content {
        var name: String
        var leagueCommitteeName: String?
    }

    static func addZone(_ req: Request) async throws -> Response {
        let cityCode = try req.parameters.require("code")
        return try await handleForm(req, code: cityCode) {
            let form = try req.content.decode(ZoneForm.self)
            let zone = try await DivisionEditor.addManagementZone(
                .init(cityCode: cityCode, name: form.name, leagueCommitteeName: form.leagueCommitteeName),
                by: req.actor, on: req.db
            )
            return SiteURL.division(.value(zone.code)).path
        }
    }

    struct MoveForm: Content {
        var toParentCode: String
        var effectiveDate: String
        var reason: String?
    }

    static func move(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        return try await handleForm(req, code: code) {
            let form = try req.content.decode(MoveForm.self)
            try await req.authorize(.manageZones, divisionCode: form.toParentCode)
            let date = try ValueParser.day(form.effectiveDate, field: "生效日期")
            _ = try await TownshipMover.move(
                .init(townshipCode: code, toParentCode: form.toParentCode, effectiveDate: date, reason: form.reason),
                by: req.actor, on: req.db
            )
            return SiteURL.division(.value(code)).path
        }
    }

    /// Runs a form's action; on success redirects (303) to the page it names, on a refusal
    /// shows the same page again with the reason above the forms and nothing changed.
    private static func handleForm(
        _ req: Request, code: String, _ action: () async throws -> String
    ) async throws -> Response {
        do {
            return req.redirect(to: try await action(), redirectType: .normal)
        } catch {
            let presentation = ErrorPresentation(error)
            guard presentation.status != .internalServerError, presentation.status != .notFound else { throw error }
            req.refusalReason = presentation.message
            let page = try await DivisionPage.build(code: code, request: req, formError: presentation.message)
            let response = try await req.view.render("division", page).encodeResponse(for: req)
            response.status = presentation.status
            return response
        }
    }
}
