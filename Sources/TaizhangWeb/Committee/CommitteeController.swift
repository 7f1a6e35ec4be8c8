import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The township committee page (大团委): members and the organizations each looks after.
enum CommitteeController {

    static func show(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let code = try req.parameters.require("code")
        let township = try await DivisionQueries.require(code, on: req.db)
        guard township.level == .township else { throw Refusal("「\(township.name)」不是乡镇（街道），大团委建在乡镇", kind: .notFound) }
        let members = try await CommitteeStore.members(of: code, on: req.db)
        var filter = LedgerFilter(scope: .within(township.path))
        filter.stages = [.youthGroup, .leagueLike, .preparing, .founded]
        let organizations = try await LedgerQuery.page(filter, sort: .ledger, after: nil, limit: 500, on: req.db).records
        let model = PageModel(
            layout: LayoutContext(title: "\(township.name)大团委", area: .divisions, request: req),
            code: code, townshipHref: SiteURL.division(.value(code)).path, membersAction: SiteURL.committeeMembers(.value(code)).path,
            linksAction: SiteURL.committeeLinks(.value(code)).path, townshipName: township.name,
            committeeName: township.leagueCommitteeName ?? "\(township.name)团委",
            members: members.map {
                MemberRow(id: $0.id.uuidString, name: $0.name, position: $0.position.label, sourceUnit: $0.sourceUnit ?? "",
                          workload: $0.isFullTime ? "专职" : "兼职", phone: $0.phone ?? "",
                          organizations: $0.organizations.map { OrganizationLink(code: $0.code, name: $0.name) })
            },
            hasMembers: !members.isEmpty,
            positions: CommitteePosition.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == .member) },
            organizations: organizations.map { OrganizationLink(code: $0.code, name: $0.fields.name) },
            canEdit: try req.requireUser().policy.allows(.editLedger, at: township.path), error: error)
        return try await req.view.render("committee", model).encodeResponse(status: status, for: req)
    }

    struct MemberForm: Content {
        var name: String
        var position: String
        var sourceUnit: String?
        var fullTime: String?
        var phone: String?
    }

    static func addMember(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        do {
            let form = try req.content.decode(MemberForm.self)
            guard let position = CommitteePosition(text: form.position) else { throw InvalidInput(field: "职务", reason: "「\(form.position)」不是职务") }
            _ = try await CommitteeStore.add(.init(townshipCode: code, name: form.name, position: position, sourceUnit: form.sourceUnit,
                                                   isFullTime: form.fullTime == "1", phone: form.phone), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.committee(.value(code)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    struct LinkForm: Content {
        var memberID: String
        var organizationCode: String
    }

    static func link(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        do {
            let form = try req.content.decode(LinkForm.self)
            guard let id = UUID(uuidString: form.memberID), let member = try await CommitteeStore.findMember(id, on: req.db),
                  member.townshipCode == code else { throw Refusal("委员：请从本乡镇的委员中选择") }
            try await CommitteeStore.link(member: id, organizationCode: form.organizationCode, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.committee(.value(code)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }
}
