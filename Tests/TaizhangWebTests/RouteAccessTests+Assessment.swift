import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

/// The probes of 年度考评 (issue 19), pages and API: they point at the demo's published assessment of 泉州's counties.
extension RouteAccessTests {
    static var assessmentProbes: [Probe] {
        [
            Probe(method: .GET, route: "/assessments", requirement: .signedIn, path: { _ in "/assessments" }),
            // 晋江's 2012 assessment exists in the demo: a second one is refused (409) by whoever may make it.
            Probe(method: .POST, route: "/assessments", requirement: .somewhereThenOn(.proposeTargets, "350582"), path: { _ in "/assessments" },
                  form: ["campaignID": "1", "scopeCode": "350582", "year": "2012", "asOf": "2012-12-15"]),
            Probe(method: .GET, route: "/assessments/:assessmentID", requirement: .assessment(.view),
                  path: { f in "/assessments/\(try await assessmentID(f))" }),
            Probe(method: .GET, route: "/assessments/:assessmentID/rubric", requirement: .assessment(.view),
                  path: { f in "/assessments/\(try await assessmentID(f))/rubric" }),
            // Published: the rubric, scores and publication are refused (409) to the assessors, the result stays as it is.
            Probe(method: .POST, route: "/assessments/:assessmentID/rubric", requirement: .assessment(.proposeTargets),
                  path: { f in "/assessments/\(try await assessmentID(f))/rubric" }, form: ["rows": "0", "version": "1"]),
            Probe(method: .POST, route: "/assessments/:assessmentID/scores", requirement: .assessment(.proposeTargets),
                  path: { f in "/assessments/\(try await assessmentID(f))/scores" }, form: ["unit": "350582", "indicator": "i6", "points": "1", "note": "探针"]),
            Probe(method: .POST, route: "/assessments/:assessmentID/self-scores", requirement: .somewhereThenOn(.editLedger, township),
                  path: { f in "/assessments/\(try await organizationRatingID(f))/self-scores" }, form: ["indicator": "o1", "points": "1", "note": "探针"]),
            // The photo the demo's city assessors uploaded with 晋江's groundwork score: for those who see all of
            // 泉州 or all of 晋江; a township in 晋江 or another county is told it is not there.
            Probe(method: .GET, route: "/assessments/:assessmentID/evidence/:fileID", requirement: .somewhereThenOn(.view, "350582"),
                  path: { f in
                      let id = try await assessmentID(f)
                      return "/assessments/\(id)/evidence/\(try #require(try await AssessmentStore.evidence(id, on: f.app.db).first).id)"
                  }),
            Probe(method: .POST, route: "/assessments/:assessmentID/publish", requirement: .assessment(.proposeTargets),
                  path: { f in "/assessments/\(try await assessmentID(f))/publish" }, form: [:]),
            Probe(method: .POST, route: "/assessments/:assessmentID/republish", requirement: .assessment(.proposeTargets),
                  path: { f in "/assessments/\(try await assessmentID(f))/republish" }, form: [:]),
            Probe(method: .GET, route: "/assessments/:assessmentID/results/:version", requirement: .assessment(.view),
                  path: { f in "/assessments/\(try await assessmentID(f))/results/1" }),
            Probe(method: .GET, route: "/assessments/:assessmentID/results/:version/:file", requirement: .assessment(.view),
                  path: { f in "/assessments/\(try await assessmentID(f))/results/1/assessment.xlsx" }),
            Probe(method: .POST, route: "/assessments/:assessmentID/appeals", requirement: .somewhereThenOn(.editLedger, "350582"),
                  path: { f in "/assessments/\(try await assessmentID(f))/appeals" }, form: ["unit": "350582", "indicator": "i6", "reason": "探针"]),
            Probe(method: .POST, route: "/assessments/:assessmentID/appeals/:appealID/decision", requirement: .assessment(.proposeTargets),
                  path: { f in "/assessments/\(try await assessmentID(f))/appeals/9999/decision" }, form: ["note": "探针"]),
            Probe(method: .GET, route: "/api/v1/assessments", requirement: .signedIn, path: { _ in "/api/v1/assessments" }),
            Probe(method: .GET, route: "/api/v1/assessments/:assessmentID", requirement: .assessment(.view),
                  path: { f in "/api/v1/assessments/\(try await assessmentID(f))" }),
            Probe(method: .GET, route: "/api/v1/assessments/:assessmentID/results/:version", requirement: .assessment(.view),
                  path: { f in "/api/v1/assessments/\(try await assessmentID(f))/results/2" }),
            Probe(method: .POST, route: "/api/v1/assessments", requirement: .somewhereThenOn(.proposeTargets, "350582"), path: { _ in "/api/v1/assessments" },
                  json: { #"{"campaignID": 1, "scopeCode": "350582", "year": 2012, "asOf": "2012-12-15"}"# }),
            Probe(method: .PUT, route: "/api/v1/assessments/:assessmentID/rubric", requirement: .assessment(.proposeTargets),
                  path: { f in "/api/v1/assessments/\(try await assessmentID(f))/rubric" },
                  json: { #"{"version": 1, "rubric": \#(String(decoding: (try? JSONEncoder().encode(AssessmentRubric.standard)) ?? Data(), as: UTF8.self))}"# }),
            Probe(method: .POST, route: "/api/v1/assessments/:assessmentID/scores", requirement: .assessment(.proposeTargets),
                  path: { f in "/api/v1/assessments/\(try await assessmentID(f))/scores" },
                  json: { #"{"unit": "350582", "indicator": "i6", "points": 1, "note": "探针"}"# }),
            // 安海镇's rating of its organizations (对标定级): their own scores are entered by whoever keeps the township's ledger.
            Probe(method: .POST, route: "/api/v1/assessments/:assessmentID/self-scores", requirement: .somewhereThenOn(.editLedger, township),
                  path: { f in "/api/v1/assessments/\(try await organizationRatingID(f))/self-scores" },
                  json: { #"{"unit": "350582101-0001", "indicator": "o1", "points": 1, "note": "探针"}"# }),
            Probe(method: .POST, route: "/api/v1/assessments/:assessmentID/publish", requirement: .assessment(.proposeTargets),
                  path: { f in "/api/v1/assessments/\(try await assessmentID(f))/publish" }, json: { "{}" }),
            Probe(method: .POST, route: "/api/v1/assessments/:assessmentID/republish", requirement: .assessment(.proposeTargets),
                  path: { f in "/api/v1/assessments/\(try await assessmentID(f))/republish" }, json: { "{}" }),
            Probe(method: .POST, route: "/api/v1/assessments/:assessmentID/appeals", requirement: .somewhereThenOn(.editLedger, "350582"),
                  path: { f in "/api/v1/assessments/\(try await assessmentID(f))/appeals" },
                  json: { #"{"unit": "350582", "indicator": "i7", "reason": "探针"}"# }),
            Probe(method: .POST, route: "/api/v1/assessments/:assessmentID/appeals/:appealID/decision", requirement: .assessment(.proposeTargets),
                  // The demo's decided appeal: answering it again is refused (409) to the assessors.
                  path: { f in
                      let id = try await assessmentID(f)
                      return "/api/v1/assessments/\(id)/appeals/\(try #require(try await AssessmentStore.appeals(id, on: f.app.db).first).id)/decision"
                  },
                  json: { #"{"decision": "rejected", "note": "探针"}"# }),
        ]
    }

    /// The demo's 2012 assessment of 泉州's counties (published).
    static func assessmentID(_ f: Fixture) async throws -> Int {
        try #require(try await AssessmentStore.list(visibleIn: .everywhere, on: f.app.db).first { $0.scopeCode == city }).id
    }

    /// The demo's 2013 rating of 安海镇's organizations (对标定级, in preview).
    static func organizationRatingID(_ f: Fixture) async throws -> Int {
        try #require(try await AssessmentStore.list(visibleIn: .everywhere, on: f.app.db).first { $0.scopeCode == township }).id
    }
}
