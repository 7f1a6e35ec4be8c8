import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 挂钩联系: who answers for each township. The page shows the signed-in cadre's own townships
/// first ("my townships"), then coverage per county with townships lacking a lead listed first
/// and in red, and — for county and city administrators — the form to assign and end.
enum LiaisonController {
    static func index(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok, notice: req.queryText("saved") == "rhythm" ? "走访频次已保存" : nil)
    }

    struct AssignForm: Content {
        var campaignID: Int?
        var township: String?
        var cadreID: String?
        var cadreName: String?
        var cadreUnit: String?
        var cadrePost: String?
        var cadrePhone: String?
        var role: String?
        var startsOn: String?
        var endsOn: String?
    }

    static func assign(_ req: Request) async throws -> Response {
        do {
            let form = try req.content.decode(AssignForm.self)
            let draft = try draft(form)
            let assignment = try await LiaisonStore.assign(draft, in: try req.scope(for: .supervise), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.liaisonTownship(.value(assignment.townshipCode)).path + "?campaign=\(assignment.campaignID)",
                                redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    /// Reads the assign form (page and API share it); the refusal names the field.
    static func draft(_ form: AssignForm) throws -> LiaisonAssignmentDraft {
        guard let campaignID = form.campaignID else { throw Refusal("建团活动：请选择挂钩所属的建团活动", field: "campaignID") }
        guard let township = form.township?.nilIfBlank else { throw Refusal("乡镇：请选择要挂钩的乡镇（街道）", field: "township") }
        guard let role = LiaisonRole(text: form.role?.nilIfBlank ?? "lead") else {
            throw Refusal("方式：「\(form.role ?? "")」应为 牵头联系（lead）或 协助联系（helper）", field: "role")
        }
        guard let startsOn = form.startsOn?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
            throw Refusal("开始日期：「\(form.startsOn ?? "")」不是日期，请按 2012-11-01 的格式填写", field: "startsOn")
        }
        var endsOn: CalendarDay?
        if let text = form.endsOn?.nilIfBlank {
            guard let day = CalendarDay(iso: text) else { throw Refusal("结束日期：「\(text)」不是日期，请按 2012-12-31 的格式填写", field: "endsOn") }
            endsOn = day
        }
        let cadre: LiaisonAssignmentDraft.CadreChoice
        if let text = form.cadreID?.nilIfBlank {
            guard let id = Int(text) else { throw Refusal("挂钩干部：「\(text)」不是干部编号", field: "cadreID") }
            cadre = .existing(id)
        } else if form.cadreName?.nilIfBlank != nil {
            cadre = .new(LiaisonCadreDraft(name: form.cadreName ?? "", unit: form.cadreUnit ?? "", post: form.cadrePost ?? "", phone: form.cadrePhone ?? ""))
        } else {
            throw Refusal("挂钩干部：请选择一名干部，或填写新干部的姓名、单位、职务和电话", field: "cadreID")
        }
        return LiaisonAssignmentDraft(campaignID: campaignID, townshipCode: township, cadre: cadre, role: role, startsOn: startsOn, endsOn: endsOn)
    }

    struct EndForm: Content {
        var lastDay: String?
        var reason: String?
    }

    static func end(_ req: Request) async throws -> Response {
        let text = try req.parameters.require("assignmentID")
        guard let id = Int(text) else { throw Abort(.notFound, reason: "找不到编号为 \(text) 的挂钩安排") }
        let form = try req.content.decode(EndForm.self)
        guard let existing = try await LiaisonStore.find(id, on: req.db), try req.scope(for: .view).contains(existing.townshipPath) else {
            throw Abort(.notFound, reason: "找不到编号为 \(text) 的挂钩安排")
        }
        do {
            guard let lastDay = form.lastDay?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
                throw Refusal("结束日期：「\(form.lastDay ?? "")」不是日期，请按 2012-12-31 的格式填写", field: "lastDay")
            }
            _ = try await LiaisonStore.end(id, lastDay: lastDay, reason: form.reason ?? "", in: try req.scope(for: .supervise), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.liaisonTownship(.value(existing.townshipCode)).path + "?campaign=\(existing.campaignID)", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await LiaisonTownshipController.render(req, code: existing.townshipCode, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus, rhythmInput: RhythmForm? = nil,
                       notice: String? = nil) async throws -> Response {
        let user = try req.requireUser()
        let today = CalendarDay.today()
        guard let campaign = try await req.pageCampaign() else {
            let model = IndexModel.empty(layout: LayoutContext(title: "挂钩联系", area: .liaisons, request: req))
            return try await req.view.render("liaisons", model).encodeResponse(status: status, for: req)
        }
        let area = try await req.pageDivision()
        let rhythm = try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: req.db)
        let coverage = try await LiaisonCoverage.compute(campaignID: campaign.id, under: area.path, asOf: today, rhythm: rhythm, on: req.db)
        let tally = try await SupervisionStore.tallyByCounty(under: area.path, at: ReportingClock.now(), on: req.db)
        var mine: [MyTownship] = []
        if let cadre = try await LiaisonStore.cadre(forUser: user.id.uuidString, on: req.db) {
            mine = try await MyTownship.rows(cadre: cadre, campaign: campaign, rhythm: rhythm, today: today, req: req)
        }
        let superviseScope = try req.scope(for: .supervise)
        let form: AssignFormModel? = superviseScope.isEmpty ? nil : try await AssignFormModel.make(
            campaign: campaign, scope: superviseScope, today: today, req: req)
        // A refused rhythm is shown beside its form; other refusals above the page.
        let canSetRhythm = user.policy.allows(.manageCampaigns, at: campaign.regionPath)
        let rhythmError = canSetRhythm && rhythmInput != nil ? error : nil
        let model = IndexModel(
            layout: LayoutContext(title: "挂钩联系", area: .liaisons, request: req), hasCampaign: true, campaignName: campaign.name,
            areaName: area.name, asOf: today.description, rhythm: coverage.rhythm.label, rhythmDays: rhythm.days, mine: mine,
            counties: coverage.counties.map { CountyRow($0, tally: tally[$0.code]) }, total: coverage.total, withLead: coverage.withLead,
            townships: coverage.townships.map { TownshipRow($0, campaignID: campaign.id) }, form: form,
            canLogVisit: !(try req.scope(for: .liaise)).isEmpty,
            rhythmForm: canSetRhythm
                ? RhythmFormModel(action: SiteURL.liaisonRhythm.path + "?campaign=\(campaign.id)", campaignID: campaign.id,
                                  visits: rhythmInput?.visits ?? String(rhythm.visits), days: rhythmInput?.days ?? String(rhythm.days),
                                  notice: notice, error: rhythmError) : nil,
            error: rhythmError == nil ? error : nil)
        return try await req.view.render("liaisons", model).encodeResponse(status: status, for: req)
    }
}

extension LiaisonController {
    struct RhythmForm: Content {
        var campaignID: Int?
        var visits: String?
        var days: String?
    }

    /// 走访频次: a city administrator sets the campaign's visit rhythm; a bad value is named and
    /// the form keeps what was typed.
    static func setRhythm(_ req: Request) async throws -> Response {
        let form = try req.content.decode(RhythmForm.self)
        do {
            guard let id = form.campaignID, let campaign = try await CampaignStore.find(id, on: req.db),
                  try req.scope(for: .view).overlaps(campaign.regionPath) else {
                throw Refusal.notFound("找不到这项建团活动")
            }
            guard try req.requireUser().policy.allows(.manageCampaigns, at: campaign.regionPath) else {
                throw Refusal("走访频次由「\(campaign.name)」的市级管理员设定", kind: .forbidden)
            }
            let rhythm = try VisitRhythm.parse(visits: form.visits ?? "", days: form.days ?? "")
            try await VisitRhythmStore.set(rhythm, campaignID: campaign.id, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.liaisons.path + "?campaign=\(campaign.id)&saved=rhythm#rhythm", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status, rhythmInput: form)
        }
    }
}
