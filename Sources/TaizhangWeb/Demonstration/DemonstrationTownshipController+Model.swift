import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

extension DemonstrationTownshipController {
    struct EvidenceFileRow: Encodable {
        var name: String
        var href: String
        var size: String
    }

    struct EvidenceRow: Encodable {
        var note: String
        var marksMet: Bool
        var recorded: String
        var files: [EvidenceFileRow]
    }

    struct ChecklistRow: Encodable {
        var title: String
        var kind: String
        var outcome: String
        var met: Bool
        var notMet: Bool
        var detail: String
        var evidence: [EvidenceRow]
    }

    struct AcceptanceView: Encodable {
        var day: String
        var team: String
        var findings: String
        var recordedBy: String
    }

    struct TownshipPageModel: Encodable {
        var layout: LayoutContext
        var id: Int
        var townshipName: String
        var countyName: String
        var campaignName: String
        var indexHref: String
        var status: String
        var underReview: Bool
        var reason: String
        var nominated: String
        var decision: String?
        var acceptance: AcceptanceView?
        var items: [ChecklistRow]
        var criteria: [SelectOption]
        var canDecide: Bool
        var canAccept: Bool
        var canAddEvidence: Bool
        var decideAction: String
        var evidenceAction: String
        var acceptanceAction: String
        var today: String
        var fileLimit: String
        var error: String?
    }

    static func render(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let id = try demonstrationID(req)
        let demonstration = try await DemonstrationStore.require(id, in: try req.scope(for: .view), on: req.db)
        let campaign = try await CampaignStore.require(demonstration.campaignID, on: req.db)
        guard let checklist = try await DemonstrationStore.checklists([demonstration], campaign: campaign, asOf: .today(), on: req.db).first else {
            throw Abort(.notFound)
        }
        let names = try await DemonstrationNames.of([demonstration.townshipCode, demonstration.countyCode], on: req.db)
        let items = checklist.items.map { criterion, outcome in
            ChecklistRow(title: criterion.title, kind: criterion.kind.label + (criterion.evidenceRequired ? "（须佐证）" : ""), outcome: outcome.label,
                    met: outcome.isMet, notMet: outcome.isNotMet, detail: outcome.detail,
                    evidence: demonstration.evidence.filter { $0.criterionID == criterion.id }.reversed().map { evidence in
                        EvidenceRow(note: evidence.note, marksMet: evidence.marksMet,
                                    recorded: "\(evidence.recordedBy) \(DisplayFormat.dateTime(evidence.recordedAt))",
                                    files: evidence.files.map { EvidenceFileRow(name: $0.fileName, href: SiteURL.demonstrationFile(.value(id), .value($0.id)).path,
                                                                        size: DocumentFileKind.sizeText($0.byteCount)) })
                    })
        }
        let manages = try req.scope(for: .manageCampaigns).contains(demonstration.townshipPath)
        let model = TownshipPageModel(
            layout: LayoutContext(title: "示范乡镇 · \(names[demonstration.townshipCode] ?? "")", area: .demonstration, request: req), id: id,
            townshipName: names[demonstration.townshipCode] ?? demonstration.townshipCode, countyName: names[demonstration.countyCode] ?? "",
            campaignName: campaign.name, indexHref: SiteURL.demonstrations.path + "?campaign=\(campaign.id)", status: checklist.statusLabel,
            underReview: checklist.isUnderReview, reason: demonstration.reason,
            nominated: "\(demonstration.nominatedBy) 推荐于 \(DisplayFormat.dateTime(demonstration.nominatedAt))",
            decision: demonstration.decidedAt.map { "\(demonstration.decidedBy ?? "") \(DisplayFormat.dateTime($0))：\(demonstration.status.label)"
                + ((demonstration.decisionNote?.nilIfBlank).map { "，\($0)" } ?? "") },
            acceptance: demonstration.acceptance.map { AcceptanceView(day: $0.day.description, team: $0.team, findings: $0.findings, recordedBy: $0.recordedBy) },
            items: items,
            criteria: checklist.items.map { SelectOption(value: String($0.criterion.id), label: $0.criterion.title) },
            canDecide: manages && demonstration.status == .nominated, canAccept: manages && demonstration.status == .approved,
            canAddEvidence: try req.scope(for: .editLedger).contains(demonstration.townshipPath),
            decideAction: SiteURL.demonstrationDecision(.value(id)).path, evidenceAction: SiteURL.demonstrationEvidence(.value(id)).path,
            acceptanceAction: SiteURL.demonstrationAcceptance(.value(id)).path, today: CalendarDay.today().description,
            fileLimit: "PDF、Word、Excel 或照片（JPEG、PNG），每个不超过 \(DocumentFileKind.sizeText(req.application.settings.libraryMaximumBytes))，最多 10 个",
            error: error)
        return try await req.view.render("demonstration", model).encodeResponse(status: status, for: req)
    }
}
