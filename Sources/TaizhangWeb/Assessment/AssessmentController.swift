import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 年度考评 (`/assessments`): the assessments one can see and starting one; an assessment's scoring
/// page (the rules in plain Chinese, the live preview or the published result with each unit's
/// breakdown and where each figure comes from, the checked-item form, publishing); the checked
/// scores, organizations' own scores in a township's 对标定级, publication and republication. The administrators of the assessing level (city or
/// county: `proposeTargets` there) assess; everyone who sees part of its area sees it.
enum AssessmentController {
    /// Who may assess: the administrators of a level — those who also propose their level's target split.
    static let assessing = Permission.proposeTargets

    static func index(_ req: Request) async throws -> Response {
        try await renderList(req, error: nil, status: .ok)
    }

    struct CreateForm: Content {
        var campaignID: Int?
        var scopeCode: String?
        var year: String?
        var asOf: String?
        var title: String?
    }

    static func create(_ req: Request) async throws -> Response {
        do {
            let form = try req.content.decode(CreateForm.self)
            guard let campaignID = form.campaignID else { throw Refusal("建设活动：请选择", field: "campaignID") }
            guard let scopeCode = form.scopeCode?.nilIfBlank else { throw Refusal("考评单位：请选择由哪一级考评", field: "scopeCode") }
            guard let year = form.year.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
                throw Refusal("考评年度：「\(form.year ?? "")」不是年份", field: "year")
            }
            guard let asOf = form.asOf?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
                throw Refusal("考评日期：「\(form.asOf ?? "")」不是日期，请按 2012-12-31 的格式填写", field: "asOf")
            }
            let assessment = try await AssessmentStore.create(campaignID: campaignID, scopeCode: scopeCode, year: year, asOf: asOf, title: form.title,
                                                              scope: try req.scope(for: assessing), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.assessment(.value(assessment.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await renderList(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func renderList(_ req: Request, error: String?, status: HTTPStatus) async throws -> Response {
        let user = try req.requireUser()
        let assessments = try await AssessmentStore.list(visibleIn: try req.scope(for: .view), on: req.db)
        var rows: [ListRow] = []
        for assessment in assessments {
            let latest = try await AssessmentStore.results(assessment.id, on: req.db).last
            rows.append(ListRow(href: SiteURL.assessment(.value(assessment.id)).path, title: assessment.title, scope: assessment.scopeName,
                                year: assessment.year, asOf: assessment.asOf.description,
                                state: latest.map { "已发布第 \($0.number) 号（第 \($0.version) 版）" } ?? "预览中"))
        }
        let assessScope = user.policy.scope(for: assessing)
        var scopes: [Option] = []
        var campaigns: [Option] = []
        if !assessScope.isEmpty {
            for campaign in try await CampaignStore.list(overlapping: assessScope, on: req.db) {
                campaigns.append(Option(value: String(campaign.id), label: campaign.name))
            }
            for grant in user.policy.grants where grant.role.permissions.contains(assessing) {
                guard let division = try await DivisionQueries.find(grant.divisionCode, on: req.db) else { continue }
                if division.level == .city || division.level == .county { scopes.append(Option(value: division.code, label: division.name)) }
                if division.level == .county {
                    for child in try await DivisionQueries.children(of: division.code, on: req.db) where child.level == .township {
                        scopes.append(Option(value: child.code, label: "\(division.name) · \(child.name)（团组织对标定级）"))
                    }
                }
                if division.level == .city || division.level == .province {
                    for child in try await DivisionQueries.children(of: division.code, on: req.db) where child.level == .city || child.level == .county {
                        scopes.append(Option(value: child.code, label: "\(division.name) · \(child.name)"))
                    }
                }
            }
        }
        let today = CalendarDay.today()
        let page = ListPage(layout: LayoutContext(title: "年度考评", area: .assessment, request: req), rows: rows,
                            canCreate: !campaigns.isEmpty && !scopes.isEmpty, campaigns: campaigns, scopes: scopes,
                            year: String(today.year), asOf: CalendarDay(year: today.year, month: 12, day: 31)!.description,
                            action: SiteURL.assessments.path, error: error)
        return try await req.view.render("assessments", page).encodeResponse(status: status, for: req)
    }

    // MARK: - One assessment

    static func assessment(_ req: Request) async throws -> Assessment {
        guard let id = req.parameters.get("assessmentID", as: Int.self) else { throw Refusal.notFound("考评编号应为数字") }
        return try await AssessmentStore.find(id, in: try req.scope(for: .view), on: req.db)
    }

    /// The assessment for a write by its assessors: 404 outside one's area, 403 to a unit's own administrator.
    static func assessing(_ req: Request) async throws -> Assessment {
        guard let id = req.parameters.get("assessmentID", as: Int.self) else { throw Refusal.notFound("考评编号应为数字") }
        return try await AssessmentStore.findAssessing(id, in: try req.scope(for: assessing), on: req.db)
    }

    static func show(_ req: Request) async throws -> Response {
        try await render(req, try await assessment(req), error: nil, status: .ok)
    }

    struct ScoreForm: Content {
        var unit: String?
        var indicator: String?
        var points: String?
        var note: String?
        /// Evidence (佐证材料) uploaded with the score.
        var files: [File]?

        var uploaded: [UploadedFile] {
            (files ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
                .map { UploadedFile(fileName: $0.filename.nilIfBlank ?? "佐证材料", bytes: Array($0.data.readableBytesView)) }
        }
    }

    /// The largest score form: its note and up to ten evidence files.
    static func bodyLimit(_ settings: AppSettings) -> ByteCount {
        ByteCount(value: settings.libraryMaximumBytes * AssessmentStore.evidencePerUpload + 1024 * 1024)
    }

    /// An evidence file as it was uploaded, byte for byte.
    static func evidenceFile(_ req: Request) async throws -> Response {
        let assessment = try await assessment(req)
        guard let fileID = req.parameters.get("fileID", as: Int.self) else { throw Refusal.notFound("找不到这份佐证材料") }
        let (file, bytes) = try await AssessmentStore.evidenceFile(fileID, of: assessment.id, in: try req.scope(for: .view), on: req.db)
        return FileResponse.make(bytes: bytes, fileName: file.fileName, kind: file.kind, inline: true)
    }

    static func score(_ req: Request) async throws -> Response {
        let assessment = try await assessing(req)
        let form = try req.content.decode(ScoreForm.self)
        do {
            try await AssessmentStore.scoreChecked(assessment.id, unit: form.unit ?? "", indicator: form.indicator ?? "", points: form.points ?? "",
                                                   note: form.note ?? "", evidence: form.uploaded, maximumBytes: req.application.settings.libraryMaximumBytes,
                                                   scope: try req.scope(for: assessing), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.assessment(.value(assessment.id)).path + "#checked", redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await render(req, assessment, error: error.message, status: ErrorPresentation(error).status, scoreForm: form)
        }
    }

    /// 对标定级: an organization's own score, entered by whoever keeps its township's ledger.
    static func selfScore(_ req: Request) async throws -> Response {
        let assessment = try await assessment(req)
        let form = try req.content.decode(ScoreForm.self)
        do {
            try await AssessmentStore.selfAssess(assessment.id, unit: form.unit ?? "", indicator: form.indicator ?? "", points: form.points ?? "",
                                                 note: form.note ?? "", evidence: form.uploaded, maximumBytes: req.application.settings.libraryMaximumBytes,
                                                 scope: try req.scope(for: .editLedger), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.assessment(.value(assessment.id)).path + "#self", redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await render(req, assessment, error: error.message, status: ErrorPresentation(error).status, selfForm: form)
        }
    }

    struct PublishForm: Content {
        var issuingBody: String?
    }

    static func publish(_ req: Request) async throws -> Response {
        let assessment = try await assessing(req)
        do {
            let form = try req.content.decode(PublishForm.self)
            let result = try await AssessmentStore.publish(assessment.id, issuingBody: form.issuingBody, scope: try req.scope(for: assessing),
                                                           by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.assessmentResult(.value(assessment.id), .value(result.version)).path, redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await render(req, assessment, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func republish(_ req: Request) async throws -> Response {
        let assessment = try await assessing(req)
        do {
            let result = try await AssessmentStore.republish(assessment.id, scope: try req.scope(for: assessing), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.assessmentResult(.value(assessment.id), .value(result.version)).path, redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await render(req, assessment, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func render(_ req: Request, _ assessment: Assessment, error: String?, status: HTTPStatus, scoreForm: ScoreForm? = nil,
                       selfForm: ScoreForm? = nil) async throws -> Response {
        let user = try req.requireUser()
        let results = try await AssessmentStore.results(assessment.id, on: req.db)
        let (_, outcome) = try await AssessmentStore.current(assessment, on: req.db)
        let rubric = results.last?.content.rubric ?? assessment.rubric
        let canAssess = user.policy.scope(for: assessing).contains(assessment.scopePath)
        let appeals = try await AssessmentStore.appeals(assessment.id, on: req.db)
        let checked = try await AssessmentStore.checkedScores(assessment.id, on: req.db)
        let selfScores = assessment.isOrganizationLevel ? try await AssessmentStore.selfScores(assessment.id, on: req.db) : []
        let evidence = try await AssessmentStore.evidence(assessment.id, on: req.db)
        let page = ScoringPage(req, assessment, rubric: rubric, outcome: outcome, results: results, appeals: appeals, checked: checked,
                               selfScores: selfScores, evidence: evidence, canAssess: canAssess,
                               canSelfAssess: user.policy.scope(for: .editLedger).overlaps(assessment.scopePath),
                               scoreForm: scoreForm, selfForm: selfForm, error: error)
        return try await req.view.render("assessment", page).encodeResponse(status: status, for: req)
    }
}
