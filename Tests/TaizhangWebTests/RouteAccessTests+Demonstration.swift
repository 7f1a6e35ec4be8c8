import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport

/// The probes of 示范乡镇 and 典型案例 (issue 18): the demonstration and the model case the probes open lie in the target township.
extension RouteAccessTests {
    static var demonstrationProbes: [Probe] {
        let t = township
        let caseForm = ["township": t, "title": "探针案例", "buildMode": "联合建团", "unitCategory": "非公企业",
                        "whatWorked": "探针：相邻企业联合建立团支部，由团员最多的企业牵头，每月开展一次活动。"]
        return [
            Probe(method: .GET, route: "/demonstrations", requirement: .somewhere(.view), path: { _ in "/demonstrations" }),
            Probe(method: .POST, route: "/demonstrations", requirement: .somewhereThenOn(.proposeTargets, t), path: { _ in "/demonstrations" },
                  form: ["campaignID": "1", "township": t, "reason": "探针推荐"]),
            Probe(method: .POST, route: "/demonstrations/criteria", requirement: .assessment(.manageCampaigns), path: { _ in "/demonstrations/criteria" },
                  form: ["campaignID": "1", "title": "探针条件", "kind": "evidence"]),
            Probe(method: .POST, route: "/demonstrations/limit", requirement: .assessment(.manageCampaigns), path: { _ in "/demonstrations/limit" },
                  form: ["campaignID": "1", "limit": "3"]),
            Probe(method: .GET, route: "/demonstrations/:demonstrationID", requirement: .somewhereThenOn(.view, t),
                  path: { f in "/demonstrations/\(try await demonstration(f).id)" }),
            Probe(method: .POST, route: "/demonstrations/:demonstrationID/decision", requirement: .somewhereThenOn(.manageCampaigns, t),
                  path: { f in "/demonstrations/\(try await demonstration(f).id)/decision" }, form: ["decision": "approve", "note": "探针"]),
            Probe(method: .POST, route: "/demonstrations/:demonstrationID/evidence", requirement: .somewhereThenOn(.editLedger, t),
                  path: { f in "/demonstrations/\(try await demonstration(f).id)/evidence" }, form: ["note": "探针佐证"]),
            Probe(method: .POST, route: "/demonstrations/:demonstrationID/acceptance", requirement: .somewhereThenOn(.manageCampaigns, t),
                  path: { f in "/demonstrations/\(try await demonstration(f).id)/acceptance" },
                  form: ["acceptedOn": "2012-11-30", "team": "探针", "findings": "探针验收"]),
            Probe(method: .GET, route: "/demonstrations/:demonstrationID/files/:fileID", requirement: .somewhereThenOn(.view, t),
                  path: { f in let (id, file) = try await evidenceFile(f); return "/demonstrations/\(id)/files/\(file)" }),
            Probe(method: .GET, route: "/model-cases", requirement: .somewhere(.view), path: { _ in "/model-cases?buildMode=%E8%81%94%E5%90%88%E5%BB%BA%E5%9B%A2" }),
            Probe(method: .POST, route: "/model-cases", requirement: .somewhereThenOn(.editLedger, t), path: { _ in "/model-cases" }, form: caseForm),
            Probe(method: .GET, route: "/model-cases/new", requirement: .somewhere(.editLedger), path: { _ in "/model-cases/new" }),
            Probe(method: .GET, route: "/model-cases/:caseID", requirement: .somewhereThenOn(.view, t), path: { f in "/model-cases/\(try await modelCaseID(f))" }),
            Probe(method: .GET, route: "/api/v1/demonstrations", requirement: .somewhere(.view), path: { _ in "/api/v1/demonstrations" }),
            Probe(method: .POST, route: "/api/v1/demonstrations", requirement: .somewhereThenOn(.proposeTargets, t), path: { _ in "/api/v1/demonstrations" },
                  json: { #"{"campaignID": 1, "township": "350582101", "reason": "探针推荐"}"# }),
            Probe(method: .GET, route: "/api/v1/demonstrations/:demonstrationID", requirement: .somewhereThenOn(.view, t),
                  path: { f in "/api/v1/demonstrations/\(try await demonstration(f).id)" }),
            Probe(method: .POST, route: "/api/v1/demonstrations/:demonstrationID/decision", requirement: .somewhereThenOn(.manageCampaigns, t),
                  path: { f in "/api/v1/demonstrations/\(try await demonstration(f).id)/decision" }, json: { #"{"decision": "approve"}"# }),
            Probe(method: .GET, route: "/api/v1/model-cases", requirement: .somewhere(.view), path: { _ in "/api/v1/model-cases?q=%E5%9B%AD%E5%8C%BA" }),
            Probe(method: .POST, route: "/api/v1/model-cases", requirement: .somewhereThenOn(.editLedger, t), path: { _ in "/api/v1/model-cases" },
                  json: { #"{"township": "350582101", "title": "探针案例", "buildMode": "联合建团", "unitCategory": "非公企业", "whatWorked": "探针：相邻企业联合建立团支部，由团员最多的企业牵头，每月开展一次活动。"}"# }),
            Probe(method: .GET, route: "/api/v1/model-cases/:caseID", requirement: .somewhereThenOn(.view, t),
                  path: { f in "/api/v1/model-cases/\(try await modelCaseID(f))" }),
        ]
    }

    /// The target township's demonstration (nominated under a raised limit when the demo did not pick it).
    static func demonstration(_ f: Fixture) async throws -> Demonstration {
        if let existing = try await DemonstrationStore.list(f.campaignID, under: "", in: .everywhere, on: f.app.db).first(where: { $0.townshipCode == township }) {
            return existing
        }
        try await DemonstrationStore.setNominationLimit(f.campaignID, to: 10, by: probeActor, on: f.app.db)
        return try await DemonstrationStore.nominate(f.campaignID, townshipCode: township, reason: "探针", in: .everywhere, by: probeActor, on: f.app.db)
    }

    static func evidenceFile(_ f: Fixture) async throws -> (Int, Int) {
        let found = try await DemonstrationStore.require(try await demonstration(f).id, in: .everywhere, on: f.app.db)
        if let file = found.evidence.flatMap(\.files).first { return (found.id, file.id) }
        let criterion = try await DemonstrationStore.addCriterion(f.campaignID, .init(title: "探针阵地", kind: .evidence), by: probeActor, on: f.app.db)
        let evidence = try await DemonstrationStore.addEvidence(found.id, criterionID: criterion.id, note: "探针", marksMet: false,
                                                                files: [.init(fileName: "探针.pdf", bytes: Array("%PDF-1.4\n%%EOF\n".utf8))],
                                                                maximumBytes: 1 << 20, in: .everywhere, by: probeActor, on: f.app.db)
        return (found.id, evidence.files[0].id)
    }

    static func modelCaseID(_ f: Fixture) async throws -> Int {
        let path = try await DivisionQueries.require(township, on: f.app.db).path
        if let existing = try await ModelCaseStore.search(buildMode: nil, unitCategory: nil, text: nil, in: .within(path), on: f.app.db).first { return existing.id }
        return try await ModelCaseStore.create(.init(campaignID: nil, divisionCode: township, title: "探针案例", buildMode: "联合建团", unitCategory: "非公企业",
                                                     whatWorked: "探针：相邻企业联合建立团支部，由团员最多的企业牵头。"),
                                               in: .everywhere, by: probeActor, on: f.app.db).id
    }
}
