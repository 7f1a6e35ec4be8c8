import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

/// 年度考评 through the JSON API, each answer checked against the OpenAPI document: a county starts
/// the assessment of its townships, fixes the rubric, scores, publishes, takes an appeal and
/// republishes; bad input and someone else's assessment are refused and change nothing.
@Suite struct AssessmentAPITests {
    let iso8601: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    @Test(arguments: TestDatabase.all)
    func aCountyAssessesItsTownshipsThroughTheAPI(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let nanan = try await APIClient.make(app, as: try await makeTestUser(app, "nanan-assessor", grants: [(.countyAdmin, "350583")]))
            let jinjiang = try await APIClient.make(app, as: try await makeTestUser(app, "jinjiang-assessor", grants: [(.countyAdmin, "350582")]))
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let list = "/api/v1/assessments"

            // Starting: a bad date is named; a township cannot assess; then it is made, once.
            let start = #"{"campaignID": \#(campaign.id), "scopeCode": "350583", "year": 2012, "asOf": "2012-12-15"}"#
            let (badDate, badDateBody, _) = try await nanan.call(.POST, list, template: list, json: start.replacingOccurrences(of: "2012-12-15", with: "12/15"))
            #expect(badDate == .badRequest && errorMessage(badDateBody).contains("asOf"))
            let (created, createdBody, headers) = try await nanan.call(.POST, list, template: list, json: start)
            #expect(created == .created)
            let location = try #require(headers.first(name: .location))
            let detail = try JSONSerialization.jsonObject(with: createdBody) as! [String: Any]
            #expect((detail["summary"] as? [String: Any])?["scopeName"] as? String == "南安市")
            #expect(detail["state"] as? String == "preview" && detail["rubricVersion"] as? Int == 1)
            let (again, _, _) = try await nanan.call(.POST, list, template: list, json: start)
            #expect(again == .conflict)
            let id = try #require(Int(location.split(separator: "/").last ?? ""))

            // The rubric: weights that do not add up are refused by name; a stale version is refused;
            // the progress-rank line becomes 示范乡镇验收数 (a count: one accepted township is full marks).
            let rubricPath = "\(location)/rubric", rubricTemplate = "/api/v1/assessments/{assessmentID}/rubric"
            var rubric = AssessmentRubric.standard
            rubric.indicators[4] = .measured("i5", "示范乡镇建设", weight: 5, .demonstrationAccepted, .linear(floor: 0, full: 1))
            func body(_ rubric: AssessmentRubric, version: Int) throws -> String {
                #"{"version": \#(version), "rubric": \#(String(decoding: try JSONEncoder().encode(rubric), as: UTF8.self))}"#
            }
            var short = rubric
            short.indicators[0].weight = 30
            let (notHundred, notHundredBody, _) = try await nanan.call(.PUT, rubricPath, template: rubricTemplate, json: try body(short, version: 1))
            #expect(notHundred == .badRequest && errorMessage(notHundredBody).contains("合计应为 100 分，现为 90 分"))
            let (saved, savedBody, _) = try await nanan.call(.PUT, rubricPath, template: rubricTemplate, json: try body(rubric, version: 1))
            #expect(saved == .ok)
            #expect((try JSONSerialization.jsonObject(with: savedBody) as! [String: Any])["rubricVersion"] as? Int == 2)
            let (stale, _, _) = try await nanan.call(.PUT, rubricPath, template: rubricTemplate, json: try body(rubric, version: 1))
            #expect(stale == .conflict)
            // 晋江 does not see 南安's assessment.
            let (foreign, _, _) = try await jinjiang.call(.PUT, rubricPath, template: rubricTemplate, json: try body(rubric, version: 2))
            #expect(foreign == .notFound)

            // Scores: a checked item without a note is refused; each township's two checked items are scored.
            let scores = "\(location)/scores", scoresTemplate = "/api/v1/assessments/{assessmentID}/scores"
            let townships = try await DivisionQueries.children(of: "350583", on: app.db).filter { $0.level == .township }
            let first = try #require(townships.first)
            let (noNote, noNoteBody, _) = try await nanan.call(.POST, scores, template: scoresTemplate,
                                                              json: #"{"unit": "\#(first.code)", "indicator": "i6", "points": 8, "note": " "}"#)
            #expect(noNote == .badRequest && errorMessage(noNoteBody).contains("评分说明"))
            for township in townships {
                for key in ["i6", "i7"] {
                    let (scored, _, _) = try await nanan.call(.POST, scores, template: scoresTemplate,
                                                              json: #"{"unit": "\#(township.code)", "indicator": "\#(key)", "points": 8.5, "note": "材料齐全"}"#)
                    #expect(scored == .ok)
                }
            }

            // Publishing, once; the result's line for i5 prints a count.
            let (published, publishedBody, publishedHeaders) = try await nanan.call(.POST, "\(location)/publish", template: "/api/v1/assessments/{assessmentID}/publish",
                                                                                   json: #"{"issuingBody": "共青团南安市委员会"}"#)
            #expect(published == .created)
            #expect(publishedHeaders.first(name: .location) == "\(location)/results/1")
            let result = try iso8601.decode(AssessmentResult.self, from: publishedBody)
            #expect(result.version == 1 && result.content.issuingBody == "共青团南安市委员会")
            let line = try #require(result.content.outcome.eligible.first?.line("i5"))
            #expect(line.basis.contains(" 个，按线性计分"))
            let (twice, _, _) = try await nanan.call(.POST, "\(location)/publish", template: "/api/v1/assessments/{assessmentID}/publish", json: "{}")
            #expect(twice == .conflict)

            // An appeal, accepted with new points, then republished as version 2.
            let (filed, filedBody, _) = try await nanan.call(.POST, "\(location)/appeals", template: "/api/v1/assessments/{assessmentID}/appeals",
                                                             json: #"{"unit": "\#(first.code)", "indicator": "i6", "reason": "调度会记录漏交，现补交"}"#)
            #expect(filed == .created)
            let appeal = try iso8601.decode(AssessmentAppeal.self, from: filedBody)
            let decision = "\(location)/appeals/\(appeal.id)/decision", decisionTemplate = "/api/v1/assessments/{assessmentID}/appeals/{appealID}/decision"
            let (noPoints, _, _) = try await nanan.call(.POST, decision, template: decisionTemplate, json: #"{"decision": "accepted", "note": "属实"}"#)
            #expect(noPoints == .badRequest)
            let (decided, decidedBody, _) = try await nanan.call(.POST, decision, template: decisionTemplate,
                                                                 json: #"{"decision": "accepted", "newPoints": 9.5, "note": "补交记录属实"}"#)
            #expect(decided == .ok)
            #expect(try iso8601.decode(AssessmentAppeal.self, from: decidedBody).newPoints == AssessmentPoints(rounding: 9.5))
            let (republished, republishedBody, _) = try await nanan.call(.POST, "\(location)/republish",
                                                                         template: "/api/v1/assessments/{assessmentID}/republish")
            #expect(republished == .created)
            let second = try iso8601.decode(AssessmentResult.self, from: republishedBody)
            #expect(second.version == 2 && second.content.outcome.units.first { $0.code == first.code }?.line("i6")?.points == AssessmentPoints(rounding: 9.5))
            #expect(try await AssessmentStore.results(id, on: app.db).count == 2)
        }
    }
}
