import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 示范乡镇: the campaign's demonstration townships by county with their status (待复核 where a
/// measured item fell below its bar), the city's checklist and limit, and the county's nomination form.
enum DemonstrationController {
    static func index(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    struct NominateForm: Content {
        var campaignID: Int?
        var township: String?
        var reason: String?
    }

    static func nominate(_ req: Request) async throws -> Response {
        do {
            let form = try req.content.decode(NominateForm.self)
            guard let campaignID = form.campaignID else { throw Refusal("建团活动：请选择", field: "campaignID") }
            let demonstration = try await DemonstrationStore.nominate(campaignID, townshipCode: form.township ?? "", reason: form.reason ?? "",
                                                                      in: try req.scope(for: .proposeTargets), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.demonstration(.value(demonstration.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    struct CriterionForm: Content {
        var campaignID: Int?
        var title: String?
        var kind: String?
        var threshold: String?
        var evidenceRequired: String?
    }

    static func addCriterion(_ req: Request) async throws -> Response {
        do {
            let form = try req.content.decode(CriterionForm.self)
            let campaign = try await managedCampaign(req, form.campaignID)
            guard let kind = DemonstrationCriterion.Kind(text: form.kind ?? "") else { throw Refusal("条件类型：请选择", field: "kind") }
            var threshold: Double?
            if let text = form.threshold?.nilIfBlank {
                guard let value = Double(text.replacingOccurrences(of: "%", with: "")) else { throw Refusal("达标线：「\(text)」不是数字", field: "threshold") }
                threshold = value
            }
            _ = try await DemonstrationStore.addCriterion(campaign.id, .init(title: form.title ?? "", kind: kind, threshold: threshold,
                                                                             evidenceRequired: form.evidenceRequired != nil),
                                                          by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.demonstrations.path + "?campaign=\(campaign.id)#criteria", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    struct LimitForm: Content {
        var campaignID: Int?
        var limit: String?
    }

    static func setLimit(_ req: Request) async throws -> Response {
        do {
            let form = try req.content.decode(LimitForm.self)
            let campaign = try await managedCampaign(req, form.campaignID)
            guard let limit = form.limit?.trimmedWhitespace.nilIfBlank.flatMap(Int.init) else {
                throw Refusal("每县推荐名额：「\(form.limit ?? "")」不是整数", field: "limit")
            }
            try await DemonstrationStore.setNominationLimit(campaign.id, to: limit, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.demonstrations.path + "?campaign=\(campaign.id)", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    /// The campaign the city manages: its region inside the user's `manageCampaigns` scope.
    static func managedCampaign(_ req: Request, _ id: Int?) async throws -> Campaign {
        guard let id else { throw Refusal("建团活动：请选择", field: "campaignID") }
        guard let campaign = try await CampaignStore.find(id, on: req.db), try req.scope(for: .view).overlaps(campaign.regionPath) else {
            throw Refusal.notFound("找不到编号为 \(id) 的建团活动")
        }
        guard try req.scope(for: .manageCampaigns).contains(campaign.regionPath) else {
            throw Refusal("您不能设定「\(campaign.name)」的示范条件和名额：需要整个活动范围的管理权限", kind: .forbidden)
        }
        return campaign
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let model = try await indexModel(req, error: error)
        return try await req.view.render("demonstrations", model).encodeResponse(status: status, for: req)
    }
}
