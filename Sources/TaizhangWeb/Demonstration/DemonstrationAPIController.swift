import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/demonstrations…` and `/api/v1/model-cases…`: demonstration townships with their
/// checklists, nominating and deciding; model cases, searched and written. Evidence files are
/// uploaded through the page's form.
enum DemonstrationAPIController {
    struct ChecklistItemJSON: Content {
        var criterionID: Int
        var title: String
        var kind: String
        var threshold: Double?
        var evidenceRequired: Bool
        /// met, not_met or not_measurable.
        var outcome: String
        var detail: String
    }

    struct DemonstrationJSON: Content {
        var id: Int
        var campaignID: Int
        var townshipCode: String
        var countyCode: String
        var status: String
        var underReview: Bool
        var reason: String
        var nominatedBy: String
        var nominatedAt: Date
        var decidedBy: String?
        var decisionNote: String?
        var acceptedOn: String?
        var acceptanceFindings: String?
        var items: [ChecklistItemJSON]

        init(_ checklist: DemonstrationChecklist) {
            let d = checklist.demonstration
            id = d.id
            campaignID = d.campaignID
            townshipCode = d.townshipCode
            countyCode = d.countyCode
            status = d.status.rawValue
            underReview = checklist.isUnderReview
            reason = d.reason
            nominatedBy = d.nominatedBy
            nominatedAt = d.nominatedAt
            decidedBy = d.decidedBy
            decisionNote = d.decisionNote
            acceptedOn = d.acceptance?.day.description
            acceptanceFindings = d.acceptance?.findings
            items = checklist.items.map { criterion, outcome in
                ChecklistItemJSON(criterionID: criterion.id, title: criterion.title, kind: criterion.kind.rawValue, threshold: criterion.threshold,
                         evidenceRequired: criterion.evidenceRequired,
                         outcome: outcome.isMet ? "met" : outcome.isNotMet ? "not_met" : "not_measurable", detail: outcome.detail)
            }
        }
    }

    struct DemonstrationListJSON: Content {
        var campaignID: Int?
        var nominationLimit: Int
        var items: [DemonstrationJSON]
    }

    static func list(_ req: Request) async throws -> DemonstrationListJSON {
        guard let campaign = try await req.pageCampaign() else { return DemonstrationListJSON(campaignID: nil, nominationLimit: NominationLimit.standard, items: []) }
        let demonstrations = try await DemonstrationStore.list(campaign.id, under: "", in: try req.scope(for: .view), on: req.db)
        let checklists = try await DemonstrationStore.checklists(demonstrations, campaign: campaign, asOf: .today(), on: req.db)
        return DemonstrationListJSON(campaignID: campaign.id, nominationLimit: try await DemonstrationStore.nominationLimit(campaign.id, on: req.db),
                        items: checklists.map(DemonstrationJSON.init))
    }

    static func show(_ req: Request) async throws -> DemonstrationJSON {
        let demonstration = try await DemonstrationStore.require(try DemonstrationTownshipController.demonstrationID(req), in: try req.scope(for: .view),
                                                                 on: req.db)
        return try await json(demonstration, on: req)
    }

    static func json(_ demonstration: Demonstration, on req: Request) async throws -> DemonstrationJSON {
        let campaign = try await CampaignStore.require(demonstration.campaignID, on: req.db)
        guard let checklist = try await DemonstrationStore.checklists([demonstration], campaign: campaign, asOf: .today(), on: req.db).first else {
            throw Abort(.notFound)
        }
        return DemonstrationJSON(checklist)
    }

    struct NominationJSON: Content {
        var campaignID: Int
        var township: String
        var reason: String
    }

    static func nominate(_ req: Request) async throws -> Response {
        let body = try req.content.decode(NominationJSON.self)
        let demonstration = try await DemonstrationStore.nominate(body.campaignID, townshipCode: body.township, reason: body.reason,
                                                                  in: try req.scope(for: .proposeTargets), by: req.actor, on: req.db)
        return try await json(demonstration, on: req).encodeResponse(status: .created, for: req)
    }

    struct DecisionJSON: Content {
        /// approve or reject.
        var decision: String
        var note: String?
    }

    static func decide(_ req: Request) async throws -> DemonstrationJSON {
        let id = try DemonstrationTownshipController.demonstrationID(req)
        let body = try req.content.decode(DecisionJSON.self)
        guard ["approve", "reject"].contains(body.decision) else { throw Refusal("decision：「\(body.decision)」应为 approve 或 reject", field: "decision") }
        let demonstration = try await DemonstrationStore.decide(id, approve: body.decision == "approve", note: body.note ?? "",
                                                                in: try req.scope(for: .manageCampaigns), by: req.actor, on: req.db)
        return try await json(demonstration, on: req)
    }

    struct ModelCaseJSON: Content {
        var id: Int
        var campaignID: Int?
        var townshipCode: String
        var unitName: String?
        var title: String
        var buildMode: String
        var unitCategory: String
        var whatWorked: String
        var organizations: [String]
        var createdBy: String
        var createdAt: Date

        init(_ c: ModelCase) {
            id = c.id
            campaignID = c.campaignID
            townshipCode = c.divisionCode
            unitName = c.unitName
            title = c.title
            buildMode = c.buildMode
            unitCategory = c.unitCategory
            whatWorked = c.whatWorked
            organizations = c.organizationCodes
            createdBy = c.createdBy
            createdAt = c.createdAt
        }
    }

    struct ModelCaseListJSON: Content {
        var items: [ModelCaseJSON]
    }

    static func modelCases(_ req: Request) async throws -> ModelCaseListJSON {
        ModelCaseListJSON(items: try await ModelCaseStore.search(buildMode: req.queryText("buildMode"), unitCategory: req.queryText("category"),
                                                                 text: req.queryText("q"), in: try req.scope(for: .view), on: req.db).map(ModelCaseJSON.init))
    }

    static func modelCase(_ req: Request) async throws -> ModelCaseJSON {
        let text = try req.parameters.require("caseID")
        guard let id = Int(text) else { throw Refusal.notFound("找不到编号为 \(text) 的典型案例") }
        return ModelCaseJSON(try await ModelCaseStore.require(id, in: try req.scope(for: .view), on: req.db))
    }

    struct NewModelCaseJSON: Content {
        var campaignID: Int?
        var township: String
        var unitName: String?
        var title: String
        var buildMode: String
        var unitCategory: String
        var whatWorked: String
        var organizations: [String]?
    }

    static func createModelCase(_ req: Request) async throws -> Response {
        let body = try req.content.decode(NewModelCaseJSON.self)
        let created = try await ModelCaseStore.create(
            ModelCaseDraft(campaignID: body.campaignID, divisionCode: body.township, unitName: body.unitName ?? "", title: body.title, buildMode: body.buildMode,
                           unitCategory: body.unitCategory, whatWorked: body.whatWorked, organizationCodes: body.organizations ?? []),
            in: try req.scope(for: .editLedger), by: req.actor, on: req.db)
        return try await ModelCaseJSON(created).encodeResponse(status: .created, for: req)
    }
}
