import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The assessment's writes through `/api/v1/assessments…`: starting one, saving its rubric (with the
/// version read, as the editor does), scoring a checked item, an organization's own score (对标定级), publishing and republishing, filing an
/// appeal and deciding it. Each goes through the same store call as its page, so the refusals are the
/// same words; the answer is the assessment as `GET` shows it, or the result or appeal made.
extension AssessmentAPIController {
    struct CreateInput: Content {
        var campaignID: Int
        var scopeCode: String
        var year: Int
        /// YYYY-MM-DD.
        var asOf: String
        var title: String?
    }

    static func create(_ req: Request) async throws -> Response {
        let input = try req.content.decode(CreateInput.self)
        guard let asOf = CalendarDay(iso: input.asOf.trimmingCharacters(in: .whitespaces)) else {
            throw Refusal("asOf：「\(input.asOf)」不是日期，请按 2012-12-31 的格式填写", field: "asOf")
        }
        let assessment = try await AssessmentStore.create(campaignID: input.campaignID, scopeCode: input.scopeCode, year: input.year, asOf: asOf,
                                                          title: input.title, scope: try req.scope(for: AssessmentController.assessing),
                                                          by: req.actor, on: req.db)
        let response = try await detail(req, assessment).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.assessment(.value(assessment.id)).path)
        return response
    }

    struct RubricInput: Content {
        /// The `rubricVersion` the rubric was read at: a save made since is refused (409).
        var version: Int
        var rubric: AssessmentRubric
    }

    static func saveRubric(_ req: Request) async throws -> Detail {
        let assessment = try await AssessmentController.assessing(req)
        let input = try req.content.decode(RubricInput.self)
        let saved = try await AssessmentStore.saveRubric(assessment.id, input.rubric, expectedVersion: input.version,
                                                         scope: try req.scope(for: AssessmentController.assessing), by: req.actor, on: req.db)
        return try await detail(req, saved)
    }

    struct ScoreInput: Content {
        var unit: String
        var indicator: String
        /// 0 to the item's weight, at most two decimals.
        var points: Double
        var note: String
    }

    static func score(_ req: Request) async throws -> Detail {
        let assessment = try await AssessmentController.assessing(req)
        let input = try req.content.decode(ScoreInput.self)
        try await AssessmentStore.scoreChecked(assessment.id, unit: input.unit, indicator: input.indicator, points: ScoreCurve.number(input.points),
                                               note: input.note, scope: try req.scope(for: AssessmentController.assessing), by: req.actor, on: req.db)
        return try await detail(req, assessment)
    }

    /// 对标定级: an organization's own score of a checked item, entered by whoever keeps its township's ledger.
    static func selfScore(_ req: Request) async throws -> Detail {
        let assessment = try await AssessmentController.assessment(req)
        let input = try req.content.decode(ScoreInput.self)
        try await AssessmentStore.selfAssess(assessment.id, unit: input.unit, indicator: input.indicator, points: ScoreCurve.number(input.points),
                                             note: input.note, scope: try req.scope(for: .editLedger), by: req.actor, on: req.db)
        return try await detail(req, assessment)
    }

    static func publish(_ req: Request) async throws -> Response {
        let assessment = try await AssessmentController.assessing(req)
        // The body is optional: without one the issuing body is the assessing division's league committee.
        let input = req.body.data == nil ? AssessmentController.PublishForm() : try req.content.decode(AssessmentController.PublishForm.self)
        let result = try await AssessmentStore.publish(assessment.id, issuingBody: input.issuingBody, scope: try req.scope(for: AssessmentController.assessing),
                                                       by: req.actor, on: req.db)
        return try await created(req, result)
    }

    static func republish(_ req: Request) async throws -> Response {
        let assessment = try await AssessmentController.assessing(req)
        let result = try await AssessmentStore.republish(assessment.id, scope: try req.scope(for: AssessmentController.assessing), by: req.actor, on: req.db)
        return try await created(req, result)
    }

    struct AppealInput: Content {
        var unit: String
        var indicator: String
        var reason: String
    }

    static func appeal(_ req: Request) async throws -> Response {
        let assessment = try await AssessmentController.assessment(req)
        let input = try req.content.decode(AppealInput.self)
        let appeal = try await AssessmentStore.fileAppeal(assessment.id, unit: input.unit, indicator: input.indicator, reason: input.reason,
                                                          scope: try req.scope(for: .editLedger), by: req.actor, on: req.db)
        return try await appeal.encodeResponse(status: .created, for: req)
    }

    struct DecisionInput: Content {
        var decision: AssessmentAppeal.Decision
        /// For an accepted appeal: the item's new points.
        var newPoints: Double?
        var note: String
    }

    static func decide(_ req: Request) async throws -> AssessmentAppeal {
        let assessment = try await AssessmentController.assessing(req)
        guard let appealID = req.parameters.get("appealID", as: Int.self) else { throw Refusal.notFound("申诉编号应为数字") }
        let input = try req.content.decode(DecisionInput.self)
        return try await AssessmentStore.decideAppeal(assessment.id, appeal: appealID, accept: input.decision == .accepted,
                                                      newPoints: input.newPoints.map(ScoreCurve.number), note: input.note,
                                                      scope: try req.scope(for: AssessmentController.assessing), by: req.actor, on: req.db)
    }

    private static func created(_ req: Request, _ result: AssessmentResult) async throws -> Response {
        let response = try await result.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.assessmentResult(.value(result.assessmentID), .value(result.version)).path)
        return response
    }
}

extension AssessmentAppeal: Content {}
