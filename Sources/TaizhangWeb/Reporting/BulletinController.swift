import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// 通报 (`/campaigns/{id}/bulletins`): the numbered bulletins with each county's trajectory across
/// them, issuing the next one (after a preview), and each bulletin as an A4 page, .docx and .xlsx.
enum BulletinController {

    struct Trajectory: Encodable {
        var name: String
        var values: [String]
    }

    static func index(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus, preview: BulletinContent? = nil, form: IssueForm? = nil) async throws -> Response {
        let campaign = try req.requireCampaign()
        let user = try req.requireUser()
        let bulletins = try await BulletinStore.list(campaign.id, on: req.db)
        let schedule = try await ReportStore.schedule(campaign, on: req.db)
        // The kind chosen in the form, or in `?kind=` when the kind list reloads the page.
        let kind = (form?.kind ?? req.queryText("kind")).flatMap(ReportingFrequency.init(rawValue:)) ?? .daily
        let today = min(CalendarDay.today(now: ReportingClock.now()), campaign.deadline)
        let periods = schedule.periods(kind, from: campaign.start, through: today).filter { $0.lastDay <= today }.reversed()
        // Each county's % complete across the bulletins, oldest first (at most the last 12).
        func lastDay(_ bulletin: Bulletin) -> CalendarDay { (try? schedule.period(key: bulletin.periodKey).lastDay) ?? bulletin.content.issuedOn }
        let shown = Array(bulletins.filter { $0.withdrawal == nil }.sorted { (lastDay($0), $0.id) < (lastDay($1), $1.id) }.suffix(12))
        var names: [String] = []
        var values: [String: [String: String]] = [:]
        for bulletin in shown {
            for row in bulletin.content.rows {
                if !names.contains(row.name) { names.append(row.name) }
                values[row.name, default: [:]][String(bulletin.id)] = DisplayFormat.percent(row.percent)
            }
        }
        let page = Page(
            layout: LayoutContext(title: "\(campaign.name) · 通报", area: .bulletins, request: req),
            campaignLinks: CampaignLinks(campaign.id), campaignName: campaign.name,
            bulletins: bulletins.reversed().map {
                ListRow(href: SiteURL.campaignBulletin(.value(campaign.id), .value($0.id)).path,
                        docxHref: SiteURL.campaignBulletinFile(.value(campaign.id), .value($0.id), .value("bulletin.docx")).path,
                        xlsxHref: SiteURL.campaignBulletinFile(.value(campaign.id), .value($0.id), .value("bulletin.xlsx")).path,
                        title: $0.title, number: "第\($0.number)期", kind: $0.kind.bulletinLabel, period: $0.content.periodLabel,
                        issuedAt: DisplayFormat.dateTime($0.issuedAt), issuedBy: $0.issuedBy, percent: DisplayFormat.percent($0.content.total.percent),
                        withdrawn: $0.withdrawal.map { "已作废：\($0.reason)" } ?? "")
            },
            hasBulletins: !bulletins.isEmpty,
            trajectoryHeaders: shown.map { "\(lastDay($0).month)/\(lastDay($0).day)\($0.kind.bulletinLabel)" },
            trajectories: names.map { name in Trajectory(name: name, values: shown.map { values[name]?[String($0.id)] ?? "" }) },
            canIssue: user.policy.allows(.manageCampaigns, at: campaign.regionPath),
            kinds: ReportingFrequency.allCases.map { .init(value: $0.rawValue, label: $0.bulletinLabel, selected: $0 == kind) },
            periods: periods.map { .init(value: $0.key, label: $0.label, selected: $0.key == form?.period) },
            issuingBody: form?.issuingBody ?? "", text: form?.text ?? "", bulletin: preview.map(BulletinLayout.init),
            previewKey: preview?.periodKey ?? "", error: error)
        return try await req.view.render("bulletins", page).encodeResponse(status: status, for: req)
    }

    struct IssueForm: Content {
        var kind: String
        var period: String?
        var issuingBody: String?
        var text: String?
        var action: String?
    }

    static func issue(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let form = try req.content.decode(IssueForm.self)
        do {
            guard let kind = ReportingFrequency(rawValue: form.kind) else { throw Refusal("通报类型：「\(form.kind)」不是日通报、周通报或半月汇报") }
            guard let key = form.period?.nilIfBlank else { throw Refusal("通报周期：请选择") }
            let period = try await ReportStore.schedule(campaign, on: req.db).period(key: key)
            let draft = BulletinStore.Draft(kind: kind, period: period, issuingBody: form.issuingBody ?? "", text: form.text ?? "")
            if form.action != "issue" {
                let number = try await BulletinStore.nextNumber(campaign.id, kind: kind, on: req.db)
                let content = try await BulletinStore.compose(campaign, draft, number: number, on: req.db)
                return try await render(req, error: nil, status: .ok, preview: content, form: form)
            }
            let bulletin = try await BulletinStore.issue(campaign, draft, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.campaignBulletin(.value(campaign.id), .value(bulletin.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: error.kind == .conflict ? .conflict : .badRequest, form: form)
        }
    }

    struct WithdrawForm: Content {
        var reason: String?
    }

    /// 作废: the bulletin stays on record, marked withdrawn with the reason.
    static func withdraw(_ req: Request) async throws -> Response {
        let campaign = try req.requireCampaign()
        let bulletin = try await bulletin(req)
        do {
            try await BulletinStore.withdraw(campaign, id: bulletin.id, reason: try req.content.decode(WithdrawForm.self).reason ?? "",
                                             by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.campaignBulletin(.value(campaign.id), .value(bulletin.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await showPage(req, bulletin, error: error.message).encodeResponse(status: error.kind == .conflict ? .conflict : .badRequest, for: req)
        }
    }

    static func bulletin(_ req: Request) async throws -> Bulletin {
        let campaign = try req.requireCampaign()
        guard let id = req.parameters.get("bulletinID", as: Int.self) else { throw Refusal("通报编号应为数字", kind: .notFound) }
        return try await BulletinStore.find(campaign.id, id: id, on: req.db)
    }

    static func show(_ req: Request) async throws -> View {
        try await showPage(req, try await bulletin(req), error: nil)
    }

    static func showPage(_ req: Request, _ bulletin: Bulletin, error: String?) async throws -> View {
        let layout = BulletinLayout(bulletin.content)
        let campaign = try req.requireCampaign()
        return try await req.view.render("bulletin", BulletinPage(
            layout: LayoutContext(title: "\(bulletin.title)（第\(bulletin.number)期）", area: .bulletins, request: req),
            campaignLinks: CampaignLinks(bulletin.campaignID),
            docxHref: SiteURL.campaignBulletinFile(.value(bulletin.campaignID), .value(bulletin.id), .value("bulletin.docx")).path,
            xlsxHref: SiteURL.campaignBulletinFile(.value(bulletin.campaignID), .value(bulletin.id), .value("bulletin.xlsx")).path,
            withdrawAction: SiteURL.campaignBulletinWithdraw(.value(bulletin.campaignID), .value(bulletin.id)).path, bulletin: layout,
            rows: zip(layout.rows, layout.behindRows).map { Row(cells: $0, behind: $1) },
            withdrawal: bulletin.withdrawal, withdrawnAt: bulletin.withdrawal.map { DisplayFormat.dateTime($0.at) } ?? "",
            canWithdraw: bulletin.withdrawal == nil && (try req.requireUser()).policy.allows(.manageCampaigns, at: campaign.regionPath),
            error: error))
    }

    /// `/campaigns/{id}/bulletins/{bulletinID}/{file}`: 通报.docx or 通报.xlsx.
    static func download(_ req: Request) async throws -> Response {
        let bulletin = try await bulletin(req)
        let layout = BulletinLayout(bulletin.content)
        let file = try req.parameters.require("file")
        let name = "\(bulletin.title)第\(bulletin.number)期"
        switch file {
        case "bulletin.docx":
            return try await TemporaryFileDownload.respond(req, contentType: TemporaryFileDownload.docx, asciiName: file, name: "\(name).docx") {
                try DOCXWriter.write(layout.docx(), to: $0, created: bulletin.issuedAt)
            }
        case "bulletin.xlsx":
            return try await TemporaryFileDownload.respond(req, contentType: TemporaryFileDownload.xlsx, asciiName: file, name: "\(name).xlsx") {
                try layout.writeXLSX(to: $0)
            }
        default:
            throw Refusal("没有「\(file)」：可下载 bulletin.docx 或 bulletin.xlsx", kind: .notFound)
        }
    }

    // MARK: - API

    static func apiList(_ req: Request) async throws -> [Bulletin] {
        try await BulletinStore.list(try req.requireCampaign().id, on: req.db)
    }

    static func apiShow(_ req: Request) async throws -> Bulletin {
        try await bulletin(req)
    }
}

extension Bulletin: Content {}
