import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// The demo's 2012 assessment on the web: the city's published result with its breakdown, bands,
/// caps and demotions; the rubric editor's refusals by field; 晋江's townships in preview; the
/// printable result and its files; the API against its OpenAPI document.
@Suite struct AssessmentWebTests {
    static func demoAssessments(_ app: Application) async throws -> (city: Assessment, county: Assessment) {
        let all = try await AssessmentStore.list(visibleIn: .everywhere, on: app.db)
        return (try #require(all.first { $0.scopeCode == "3505" }), try #require(all.first { $0.scopeCode == "350582" }))
    }

    @Test(arguments: TestDatabase.all)
    func theDemoHoldsThePublishedCityAssessmentAndTheCountyPreview(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let (city, county) = try await Self.demoAssessments(app)
            let results = try await AssessmentStore.results(city.id, on: app.db)
            #expect(results.map(\.version) == [1, 2])
            let outcome = try #require(results.last).content.outcome
            #expect(outcome.count(.five) <= outcome.fiveStarCap)
            #expect(outcome.count(.five) + outcome.count(.four) <= outcome.fourOrBetterCap)
            #expect(!outcome.demoted.isEmpty, "at least one county is demoted by a cap")
            #expect(try await AssessmentStore.results(county.id, on: app.db).isEmpty)

            let session = try await BrowserSession.signIn(app, try await makeTestUser(app, "quanzhou", grants: [(.cityAdmin, "3505")]))
            let list = try await session.get("/assessments")
            #expect(list.status == .ok)
            #expect(list.body.contains("泉州市2012年度乡镇“大团委”建设工作考评") && list.body.contains("已发布第 1 号（第 2 版）"))
            let page = try await session.get("/assessments/\(city.id)")
            #expect(page.status == .ok)
            for words in ["五星级（90 分及以上）", "向下取整 = \(outcome.fiveStarCap) 个", "总分相同时依次比较目标完成率、按时报送率", "名额降级",
                          "设立于 2012-10-08，至考评日不满 6 个月", "/campaigns/\(city.campaignID)/areas/350582?asOf="] {
                #expect(page.body.contains(words), "\(words)")
            }
            let preview = try await session.get("/assessments/\(county.id)")
            #expect(preview.body.contains("预览：下表按当前数据实时计算") && preview.body.contains("尚未评分"))
            let result = try await session.get("/assessments/\(city.id)/results/2")
            #expect(result.status == .ok)
            #expect(result.body.contains("本版变化") && result.body.contains("经申诉由"))
            #expect(try await session.get("/assessments/\(city.id)/results/1").body.contains("本版已由新版本取代"))
            for file in ["assessment.docx", "assessment.xlsx"] {
                let download = try await session.get("/assessments/\(city.id)/results/2/\(file)")
                #expect(download.status == .ok, "\(file)")
                #expect(download.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theRubricEditorRefusesWhatDoesNotAddUpByField(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let (_, county) = try await Self.demoAssessments(app)
            let session = try await BrowserSession.signIn(app, try await makeTestUser(app, "jinjiang", grants: [(.countyAdmin, "350582")]))
            let editor = try await session.get("/assessments/\(county.id)/rubric")
            #expect(editor.status == .ok && editor.body.contains("保存考评方案"))
            var form: [String: String] = ["version": String(county.rubricVersion), "rows": "2", "requiresTarget": "1", "minimumMonths": "6",
                                          "fiveStarPercent": "20", "fourOrBetterPercent": "60", "tieBreak0": "completion", "appealDays": "7"]
            form.merge(["name0": "目标完成", "weight0": "70", "kind0": "measured", "measure0": "completion", "curve0": "linear", "floor0": "90", "full0": "80",
                        "name1": "阵地建设", "weight1": "20", "kind1": "checked", "guidance1": "现场"]) { $1 }
            let refused = try await session.post("/assessments/\(county.id)/rubric", form)
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("第 1 项指标「目标完成」计分方式：下限 90% 不低于满分线 80%"))
            #expect(refused.body.contains("指标分值合计：各项分值合计应为 100 分，现为 90 分"))
            #expect(try await AssessmentStore.find(county.id, in: .everywhere, on: app.db).rubric == county.rubric)

            form["floor0"] = "60"
            form["full0"] = "100"
            form["weight0"] = "80"
            let saved = try await session.post("/assessments/\(county.id)/rubric", form)
            #expect(saved.status == .seeOther)
            let rubric = try await AssessmentStore.find(county.id, in: .everywhere, on: app.db).rubric
            #expect(rubric.indicators.map(\.name) == ["目标完成", "阵地建设"])
            #expect(rubric.indicators[0].curve == .linear(floor: 60, full: 100))
            // The county cannot change the city's assessment of it.
            let (city, _) = try await Self.demoAssessments(app)
            #expect(try await session.post("/assessments/\(city.id)/scores", ["unit": "350582", "indicator": "i6", "points": "10", "note": "自评"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIAnswersAsDocumented(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let (city, county) = try await Self.demoAssessments(app)
            let api = try await APIClient.make(app)
            let (status, _, _) = try await api.call(.GET, "/api/v1/assessments", template: "/api/v1/assessments")
            #expect(status == .ok)
            let (detail, body, _) = try await api.call(.GET, "/api/v1/assessments/\(county.id)", template: "/api/v1/assessments/{assessmentID}")
            #expect(detail == .ok && String(decoding: body, as: UTF8.self).contains("\"state\":\"preview\""))
            let (published, _, _) = try await api.call(.GET, "/api/v1/assessments/\(city.id)", template: "/api/v1/assessments/{assessmentID}")
            #expect(published == .ok)
            let (result, _, _) = try await api.call(.GET, "/api/v1/assessments/\(city.id)/results/2",
                                                    template: "/api/v1/assessments/{assessmentID}/results/{version}")
            #expect(result == .ok)
            let (missing, _, _) = try await api.call(.GET, "/api/v1/assessments/\(city.id)/results/9",
                                                     template: "/api/v1/assessments/{assessmentID}/results/{version}")
            #expect(missing == .notFound)
        }
    }
}
