import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// A published result (`/assessments/{id}/results/{version}`): the A4 page in the layout of an
/// official notice, `assessment.docx` and `assessment.xlsx`, the per-unit breakdown, and the
/// appeal form; and the appeals' filing and decisions.
enum AssessmentResultController {
    struct Page: Encodable {
        var layout: LayoutContext
        var assessmentHref: String
        var docxHref: String
        var xlsxHref: String
        var result: AssessmentResultLayout
        var table: AssessmentTable
        var isLatest: Bool
        var latestHref: String
        var appealUntil: String
        var canAppeal: Bool
        var appealUnits: [AssessmentController.Option]
        var appealIndicators: [AssessmentController.Option]
        var appealAction: String
        var error: String?
    }

    static func result(_ req: Request) async throws -> (Assessment, AssessmentResult, latest: AssessmentResult) {
        let assessment = try await AssessmentController.assessment(req)
        guard let version = req.parameters.get("version", as: Int.self) else { throw Refusal.notFound("版本应为数字") }
        let results = try await AssessmentStore.results(assessment.id, on: req.db)
        guard let result = results.first(where: { $0.version == version }), let latest = results.last else {
            throw Refusal.notFound("第 \(assessment.id) 号考评没有第 \(version) 版结果")
        }
        return (assessment, result, latest)
    }

    static func show(_ req: Request) async throws -> Response {
        let (assessment, result, latest) = try await result(req)
        return try await render(req, assessment, result, latest: latest, error: nil, status: .ok)
    }

    static func render(_ req: Request, _ assessment: Assessment, _ result: AssessmentResult, latest: AssessmentResult, error: String?,
                       status: HTTPStatus) async throws -> Response {
        let id = assessment.id
        let editScope = try req.scope(for: .editLedger)
        let units = latest.content.outcome.eligible.filter { editScope.contains(DivisionPath.path(parentPath: assessment.scopePath, code: $0.code)) }
        let file = { (name: String) in SiteURL.assessmentResultFile(.value(id), .value(result.version), .value(name)).path }
        let page = Page(
            layout: LayoutContext(title: "\(result.content.title)（第 \(result.number) 号）", area: .assessment, request: req),
            assessmentHref: SiteURL.assessment(.value(id)).path, docxHref: file("assessment.docx"), xlsxHref: file("assessment.xlsx"),
            result: AssessmentResultLayout(result.content),
            table: AssessmentTable(result.content.outcome, rubric: result.content.rubric, sources: AssessmentSources(campaignID: assessment.campaignID, asOf: assessment.asOf,
                                                                                                                   parentPath: assessment.scopePath, viewScope: try req.scope(for: .view))),
            isLatest: result.version == latest.version, latestHref: SiteURL.assessmentResult(.value(id), .value(latest.version)).path,
            appealUntil: latest.appealUntil.description,
            canAppeal: result.version == latest.version && !units.isEmpty && CalendarDay.today() <= latest.appealUntil,
            appealUnits: units.map { .init(value: $0.code, label: $0.name) },
            appealIndicators: latest.content.rubric.indicators.map { .init(value: $0.key, label: $0.name) },
            appealAction: SiteURL.assessmentAppeals(.value(id)).path, error: error)
        return try await req.view.render("assessment-result", page).encodeResponse(status: status, for: req)
    }

    /// `assessment.docx` or `assessment.xlsx`.
    static func download(_ req: Request) async throws -> Response {
        let (_, result, _) = try await result(req)
        let layout = AssessmentResultLayout(result.content)
        let file = try req.parameters.require("file")
        let name = "\(result.content.title)第\(result.number)号第\(result.version)版"
        switch file {
        case "assessment.docx":
            return try await TemporaryFileDownload.respond(req, contentType: TemporaryFileDownload.docx, asciiName: file, name: "\(name).docx") {
                try DOCXWriter.write(layout.docx(), to: $0, created: result.publishedAt)
            }
        case "assessment.xlsx":
            return try await TemporaryFileDownload.respond(req, contentType: TemporaryFileDownload.xlsx, asciiName: file, name: "\(name).xlsx") {
                try layout.writeXLSX(to: $0)
            }
        default:
            throw Refusal("没有「\(file)」：可下载 assessment.docx 或 assessment.xlsx", kind: .notFound)
        }
    }

    struct AppealForm: Content {
        var unit: String?
        var indicator: String?
        var reason: String?
    }

    /// A unit's appeal, filed by someone who acts for it (`editLedger` over it).
    static func appeal(_ req: Request) async throws -> Response {
        let assessment = try await AssessmentController.assessment(req)
        let form = try req.content.decode(AppealForm.self)
        do {
            try await AssessmentStore.fileAppeal(assessment.id, unit: form.unit ?? "", indicator: form.indicator ?? "", reason: form.reason ?? "",
                                                 scope: try req.scope(for: .editLedger), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.assessment(.value(assessment.id)).path + "#appeals", redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            // Shown again on the latest result, where the form is.
            guard let latest = try await AssessmentStore.results(assessment.id, on: req.db).last else {
                return try await AssessmentController.render(req, assessment, error: error.message, status: ErrorPresentation(error).status)
            }
            return try await render(req, assessment, latest, latest: latest, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    struct DecisionForm: Content {
        var decision: String?
        var newPoints: String?
        var note: String?
    }

    static func decide(_ req: Request) async throws -> Response {
        let assessment = try await AssessmentController.assessing(req)
        guard let appealID = req.parameters.get("appealID", as: Int.self) else { throw Refusal.notFound("申诉编号应为数字") }
        let form = try req.content.decode(DecisionForm.self)
        do {
            guard let decision = form.decision.flatMap(AssessmentAppeal.Decision.init(rawValue:)) else {
                throw Refusal("答复结论：请选择申诉成立或维持原评分", field: "decision")
            }
            try await AssessmentStore.decideAppeal(assessment.id, appeal: appealID, accept: decision == .accepted, newPoints: form.newPoints,
                                                   note: form.note ?? "", scope: try req.scope(for: AssessmentController.assessing),
                                                   by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.assessment(.value(assessment.id)).path + "#appeals", redirectType: .normal)
        } catch let error as any UserFacingError where [.invalidInput, .conflict].contains(error.kind) {
            req.refusalReason = error.message
            return try await AssessmentController.render(req, assessment, error: error.message, status: ErrorPresentation(error).status)
        }
    }
}
