import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/assessments…`: the assessments one can see, one with its rubric and its result (the
/// latest published version, else the live preview), and a published version's frozen content.
/// The writes are in `AssessmentAPIController+Writes`.
enum AssessmentAPIController {
    struct Summary: Content {
        var id: Int
        var campaignID: Int
        var scopeCode: String
        var scopeName: String
        var year: Int
        var title: String
        var asOf: String
        var published: Bool
        var latestVersion: Int?
        var number: Int?
    }

    struct Detail: Content {
        var summary: Summary
        var rubric: AssessmentRubric
        /// Sent back with a rubric save (`PUT …/rubric`): a save made since it was read is refused.
        var rubricVersion: Int
        /// "published" (the frozen latest version) or "preview" (computed now from the data).
        var state: String
        var outcome: AssessmentOutcome
        var appeals: [AssessmentAppeal]
    }

    static func summary(_ assessment: Assessment, latest: AssessmentResult?) -> Summary {
        Summary(id: assessment.id, campaignID: assessment.campaignID, scopeCode: assessment.scopeCode, scopeName: assessment.scopeName,
                year: assessment.year, title: assessment.title, asOf: assessment.asOf.description, published: latest != nil,
                latestVersion: latest?.version, number: latest?.number)
    }

    static func list(_ req: Request) async throws -> [Summary] {
        var result: [Summary] = []
        for assessment in try await AssessmentStore.list(visibleIn: try req.scope(for: .view), on: req.db) {
            result.append(summary(assessment, latest: try await AssessmentStore.results(assessment.id, on: req.db).last))
        }
        return result
    }

    static func show(_ req: Request) async throws -> Detail {
        try await detail(req, try await AssessmentController.assessment(req))
    }

    static func detail(_ req: Request, _ assessment: Assessment) async throws -> Detail {
        let (latest, outcome) = try await AssessmentStore.current(assessment, on: req.db)
        return Detail(summary: summary(assessment, latest: latest), rubric: latest?.content.rubric ?? assessment.rubric,
                      rubricVersion: assessment.rubricVersion,
                      state: latest == nil ? "preview" : "published", outcome: outcome,
                      appeals: try await AssessmentStore.appeals(assessment.id, on: req.db))
    }

    static func result(_ req: Request) async throws -> AssessmentResult {
        try await AssessmentResultController.result(req).1
    }
}

extension AssessmentResult: Content {}
