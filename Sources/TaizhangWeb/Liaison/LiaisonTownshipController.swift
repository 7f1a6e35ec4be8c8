import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// A township's liaison page: who answers for it (and who did before), and its whole
/// supervision history — visits, items, interviews, meetings — on one timeline beside its
/// progress curve, so one can see whether an interview was followed by progress.
enum LiaisonTownshipController {
    static func show(_ req: Request) async throws -> Response {
        try await render(req, code: try req.parameters.require("code"), error: nil, status: .ok)
    }

    struct Entry: Encodable {
        var day: String
        var kind: String
        var title: String
        var detail: String
        var href: String?
        var alert: Bool
    }

    struct AssignmentRow: Encodable {
        var cadre: String
        var phone: String
        var role: String
        var period: String
        var assignedBy: String
        var ended: String?
        var active: Bool
        var endAction: String?
    }

    struct Model: Encodable {
        var layout: LayoutContext
        var name: String
        var countyName: String
        var campaignName: String?
        var progressText: String?
        var chart: String?
        var assignments: [AssignmentRow]
        var timeline: [Entry]
        var visitHref: String
        var itemHref: String
        var escalationHref: String
        var canLogVisit: Bool
        var canSupervise: Bool
        var today: String
        var liaisonsHref: String
        var divisionHref: String
        var error: String?
    }

    static func render(_ req: Request, code: String, error: String?, status: HTTPStatus) async throws -> Response {
        let township = try await req.authorize(.view, divisionCode: code)
        let user = try req.requireUser()
        let today = CalendarDay.today()
        let now = ReportingClock.now()
        var county: Division?
        if let parent = township.parentCode { county = try await DivisionQueries.find(parent, on: req.db) }
        let campaign = try await req.pageCampaign()
        let canSupervise = user.policy.allows(.supervise, at: township.path)
        var assignments: [AssignmentRow] = []
        var chart: String?
        var progressText: String?
        let escalations = try await EscalationStore.list(concerning: township, on: req.db)
        if let campaign {
            for a in try await LiaisonStore.assignments(township: township.code, campaignID: campaign.id, on: req.db) {
                let active = a.endedBy == nil && a.isActive(on: today)
                assignments.append(AssignmentRow(
                    cadre: [a.cadre.name, a.cadre.unit, a.cadre.post].compactMap(\.nilIfBlank).joined(separator: " · "), phone: a.cadre.phone,
                    role: a.role.label, period: "\(a.startsOn) 至 \(a.endsOn?.description ?? "今")", assignedBy: a.assignedBy,
                    ended: a.endedBy.map { "\($0) 结束：\(a.endReason ?? "")" }, active: active,
                    endAction: active && canSupervise ? SiteURL.liaisonAssignmentEnd(.value(a.id)).path : nil))
            }
            if let area = try await req.cachedArea(township.code) {
                let asOf = min(today, campaign.deadline)
                let points = try await CampaignProgress.series(campaign, area: area, asOf: asOf, on: req.db)
                let figures = try await CampaignProgress.figures(campaign, areas: [area], asOf: asOf, on: req.db).first
                let target = figures?.target ?? 0
                progressText = figures.map { "已计入 \($0.progress.counted) / 指标 \($0.target)（\(DisplayFormat.percent($0.progress.percent))）"
                    + ($0.progress.isBehindPace ? "，按近7日速度不能按期完成" : "") }
                chart = Charts.cumulative(points, target: target, start: campaign.start, deadline: campaign.deadline,
                                          title: "\(township.name)累计建立团组织",
                                          marks: escalations.map { (day: $0.heldOn, label: $0.kind.label) })
            }
        }
        var timeline: [Entry] = []
        for visit in try await VisitStore.list(under: township.path, in: .everywhere, on: req.db) {
            timeline.append(Entry(day: visit.visitedOn.description, kind: "实地走访", title: visit.visitors, detail: visit.findings,
                                  href: SiteURL.visit(.value(visit.id)).path, alert: false))
        }
        for item in try await SupervisionStore.items(of: township.code, on: req.db) {
            timeline.append(Entry(day: item.raisedOn.description, kind: "督办 · " + item.statusLabel(at: now), title: item.title,
                                  detail: "责任人 \(item.responsibleName)，期限 \(item.deadline)" + (item.result.map { "；结果：\($0)" } ?? ""),
                                  href: SiteURL.supervisionItem(.value(item.id)).path, alert: item.isOverdue(at: now)))
        }
        for escalation in escalations {
            timeline.append(Entry(day: escalation.heldOn.description, kind: escalation.kind.label,
                                  title: escalation.divisionCode == township.code ? escalation.participants : "\(county?.name ?? "")全县：\(escalation.participants)",
                                  detail: (escalation.summary.hasSuffix("。") ? String(escalation.summary.dropLast()) : escalation.summary) + (escalation.promise.map { "；承诺：\($0)" + (escalation.promisedBy.map { "（\($0) 前）" } ?? "") } ?? ""),
                                  href: user.policy.allows(.view, at: escalation.divisionPath) ? SiteURL.escalation(.value(escalation.id)).path : nil,
                                  alert: escalation.kind == .interview))
        }
        timeline.sort { $0.day > $1.day }
        let model = Model(
            layout: LayoutContext(title: "\(township.name) · 挂钩联系", area: .liaisons, request: req), name: township.name,
            countyName: county?.name ?? "", campaignName: campaign?.name, progressText: progressText, chart: chart, assignments: assignments,
            timeline: timeline, visitHref: SiteURL.visitNew.path + "?township=\(township.code)",
            itemHref: SiteURL.supervisionNew.path + "?division=\(township.code)",
            escalationHref: SiteURL.escalationNew.path + "?division=\(township.code)",
            canLogVisit: user.policy.allows(.liaise, at: township.path), canSupervise: canSupervise, today: today.description,
            liaisonsHref: SiteURL.liaisons.path, divisionHref: SiteURL.division(.value(township.code)).path, error: error)
        return try await req.view.render("liaison-township", model).encodeResponse(status: status, for: req)
    }
}
