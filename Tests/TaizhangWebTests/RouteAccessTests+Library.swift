import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport

/// The probes of 工作资料 (issue 18): the document the probes open is the demo's 工作方案, issued to all of 泉州.
extension RouteAccessTests {
    static var libraryProbes: [Probe] {
        [
            Probe(method: .GET, route: "/library", requirement: .somewhere(.view), path: { _ in "/library?kind=work_plan" }),
            Probe(method: .POST, route: "/library/documents", requirement: .somewhere(.proposeTargets), path: { _ in "/library/documents" },
                  form: ["kind": "notice", "title": "探针通知", "issuingBody": "探针", "issuedOn": "2012-11-20", "audience[]": "3505"]),
            Probe(method: .GET, route: "/library/documents/:documentID", requirement: .assessment(.view), path: { f in "/library/documents/\(try await documentID(f))" }),
            Probe(method: .POST, route: "/library/documents/:documentID/versions", requirement: .assessment(.proposeTargets),
                  path: { f in "/library/documents/\(try await documentID(f))/versions" }, form: ["note": "探针"]),
            Probe(method: .GET, route: "/library/documents/:documentID/versions/:version", requirement: .assessment(.view),
                  path: { f in "/library/documents/\(try await documentID(f))/versions/1" }),
            Probe(method: .GET, route: "/library/faq", requirement: .somewhere(.view), path: { _ in "/library/faq?q=%E8%81%94%E5%90%88" }),
            Probe(method: .POST, route: "/library/faq", requirement: .somewhere(.proposeTargets), path: { _ in "/library/faq" },
                  form: ["division": "3505", "topic": "探针", "question": "探针问题？", "answer": "探针回答。"]),
            Probe(method: .GET, route: "/api/v1/library/documents", requirement: .somewhere(.view), path: { _ in "/api/v1/library/documents" }),
            Probe(method: .GET, route: "/api/v1/library/documents/:documentID", requirement: .assessment(.view),
                  path: { f in "/api/v1/library/documents/\(try await documentID(f))" }),
            Probe(method: .GET, route: "/api/v1/library/faq", requirement: .somewhere(.view), path: { _ in "/api/v1/library/faq" }),
            Probe(method: .POST, route: "/api/v1/library/faq", requirement: .somewhere(.proposeTargets), path: { _ in "/api/v1/library/faq" },
                  json: { #"{"division": "3505", "topic": "探针", "question": "探针问题？", "answer": "探针回答。"}"# }),
        ]
    }

    /// The demo's 工作方案 (issued to 泉州).
    static func documentID(_ f: Fixture) async throws -> Int {
        guard let plan = try await LibraryStore.list(kind: .workPlan, readableIn: .everywhere, on: f.app.db).first else {
            throw Refusal.notFound("the demo has no 工作方案")
        }
        return plan.id
    }
}
