import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The talent pool (人才库): excellent young people by category, and naming them
/// 团建指导员, concurrent secretary or acting secretary of an organization.
enum TalentController {

    static func index(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let category = (try? req.query.get(String.self, at: "category")).flatMap(TalentCategory.init(text:))
        let talents = try await TalentStore.list(scope: try req.scope(for: .view), category: category, on: req.db)
        let names = try await req.divisionNames(townships: Set(talents.map(\.townshipCode)))
        let assignments = Dictionary(grouping: try await TalentStore.assignments(talentIDs: talents.map(\.id), on: req.db),
                                     by: \.talentId)
        let rows = talents.map { talent in
            TalentRow(
                assignAction: SiteURL.talentAssignments(.value(talent.id)).path, name: talent.name,
                category: TalentCategory(rawValue: talent.category)?.label ?? talent.category,
                township: names.byCode[talent.townshipCode]?.name ?? talent.townshipCode, unit: talent.unit ?? "", phone: talent.phone ?? "",
                assignments: (assignments[talent.id] ?? []).map { "\(TalentRole(rawValue: $0.role)?.label ?? $0.role)·\($0.organizationName)" }
                    .joined(separator: "；"))
        }
        let townships = try await OrganizationController.editableTownships(req)
        return try await req.view.render("talents", PageModel(
            layout: LayoutContext(title: "人才库", area: .talent, request: req), talents: rows, hasTalents: !rows.isEmpty,
            categories: TalentCategory.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == category) },
            roles: TalentRole.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: false) },
            townships: townships.map { .init(value: $0.code, label: $0.label, selected: false) },
            hasTownships: !townships.isEmpty && townships.count < 1000,
            canEdit: try req.requireUser().policy.allowsSomewhere(.editLedger), error: error)).encodeResponse(status: status, for: req)
    }

    struct TalentForm: Content {
        var townshipCode: String
        var name: String
        var category: String
        var unit: String?
        var phone: String?
        var notes: String?
    }

    static func create(_ req: Request) async throws -> Response {
        do {
            let form = try req.content.decode(TalentForm.self)
            try await req.authorize(.editLedger, divisionCode: ValueParser.normalize(form.townshipCode))
            guard let category = TalentCategory(text: form.category) else { throw InvalidInput(field: "类别", reason: "「\(form.category)」不是人才类别") }
            _ = try await TalentStore.add(townshipCode: ValueParser.normalize(form.townshipCode), name: form.name, category: category,
                                          unit: form.unit, phone: form.phone, notes: form.notes, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.talents.path, redirectType: .normal)
        } catch let error as any UserFacingError where ErrorPresentation(error).status != .notFound {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    struct AssignForm: Content {
        var organizationCode: String
        var role: String
    }

    static func assign(_ req: Request) async throws -> Response {
        guard let id = UUID(uuidString: try req.parameters.require("talentID")),
              let talent = try await TalentStore.find(id, on: req.db),
              try req.requireUser().policy.allows(.view, at: talent.divisionPath) else {
            throw Refusal("找不到这位优秀青年，或不在您的管理范围内", kind: .notFound)
        }
        do {
            let form = try req.content.decode(AssignForm.self)
            guard let role = TalentRole(rawValue: form.role) else { throw InvalidInput(field: "选派为", reason: "「\(form.role)」不是可选的职务") }
            let code = ValueParser.normalize(form.organizationCode)
            try await req.authorizeOrganization(.editLedger, code: code)
            try await TalentStore.assign(id, to: code, as: role, on: .today(), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.organization(.value(code)).path + "?saved=1", redirectType: .normal)
        } catch let error as any UserFacingError where ErrorPresentation(error).status != .notFound {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }
}
