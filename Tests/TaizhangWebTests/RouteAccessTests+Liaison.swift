import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport

/// The probes of 挂钩联系 and 督办 (issue 17): each record the probes open lies in the target township.
extension RouteAccessTests {
    static var liaisonProbes: [Probe] {
        let t = township
        return [
            Probe(method: .GET, route: "/liaisons", requirement: .somewhere(.view), path: { _ in "/liaisons" }),
            Probe(method: .POST, route: "/liaisons/assignments", requirement: .somewhereThenOn(.supervise, t), path: { _ in "/liaisons/assignments" },
                  form: ["campaignID": "1", "township": t, "role": "helper", "cadreName": "探针干部", "startsOn": "2012-11-01"]),
            Probe(method: .POST, route: "/liaisons/assignments/:assignmentID/end", requirement: .somewhereThenOn(.supervise, t),
                  path: { f in "/liaisons/assignments/\(try await assignmentID(f))/end" }, form: ["lastDay": "2012-12-01", "reason": "探针"]),
            Probe(method: .GET, route: "/liaisons/townships/:code", requirement: .onDivision(.view, t), path: { _ in "/liaisons/townships/\(t)" }),
            Probe(method: .GET, route: "/liaisons/visits", requirement: .somewhere(.view), path: { _ in "/liaisons/visits" }),
            Probe(method: .GET, route: "/liaisons/visits/new", requirement: .somewhere(.liaise), path: { _ in "/liaisons/visits/new" }),
            Probe(method: .POST, route: "/liaisons/visits", requirement: .somewhereThenOn(.liaise, t), path: { _ in "/liaisons/visits" },
                  form: ["township": t, "visitedOn": "2012-11-28", "visitors": "探针", "findings": "探针走访"]),
            Probe(method: .GET, route: "/liaisons/visits/:visitID", requirement: .somewhereThenOn(.view, t),
                  path: { f in "/liaisons/visits/\(try await visit(f).id)" }),
            Probe(method: .GET, route: "/liaisons/visits/:visitID/files/:attachmentID", requirement: .somewhereThenOn(.view, t),
                  path: { f in let v = try await visit(f); return "/liaisons/visits/\(v.id)/files/\(v.attachments[0].id)" }),
            Probe(method: .POST, route: "/liaisons/rhythm", requirement: .onCampaignWrite(.manageCampaigns),
                  path: { f in "/liaisons/rhythm?campaign=\(f.campaignID)" }, form: ["campaignID": "1", "visits": "3", "days": "30"]),
            Probe(method: .GET, route: "/supervision", requirement: .somewhere(.view), path: { _ in "/supervision?view=all" }),
            Probe(method: .POST, route: "/supervision", requirement: .somewhereThenOn(.liaise, t), path: { _ in "/supervision" },
                  form: ["division": t, "title": "探针事项", "responsibleName": "探针", "raisedOn": "2012-11-28", "deadline": "2012-12-05"]),
            Probe(method: .GET, route: "/supervision/new", requirement: .somewhere(.liaise), path: { _ in "/supervision/new" }),
            Probe(method: .GET, route: "/supervision/items.xlsx", requirement: .somewhere(.view), path: { _ in "/supervision/items.xlsx" }),
            Probe(method: .GET, route: "/supervision/items/:itemID", requirement: .somewhereThenOn(.view, t),
                  path: { f in "/supervision/items/\(try await itemID(f))" }),
            Probe(method: .POST, route: "/supervision/items/:itemID/move", requirement: .somewhereThenOn(.liaise, t),
                  path: { f in "/supervision/items/\(try await itemID(f))/move" }, form: ["move": "start"]),
            Probe(method: .GET, route: "/supervision/escalations", requirement: .somewhere(.view), path: { _ in "/supervision/escalations" }),
            Probe(method: .POST, route: "/supervision/escalations", requirement: .somewhereThenOn(.supervise, t), path: { _ in "/supervision/escalations" },
                  form: ["kind": "interview", "division": t, "heldOn": "2012-11-28", "participants": "探针", "heldBy": "探针", "summary": "探针约谈"]),
            Probe(method: .GET, route: "/supervision/escalations/new", requirement: .somewhere(.supervise), path: { _ in "/supervision/escalations/new" }),
            Probe(method: .GET, route: "/supervision/escalations/:escalationID", requirement: .somewhereThenOn(.view, t),
                  path: { f in "/supervision/escalations/\(try await escalationID(f))" }),
            Probe(method: .GET, route: "/api/v1/liaisons/coverage", requirement: .somewhere(.view), path: { _ in "/api/v1/liaisons/coverage" }),
            Probe(method: .POST, route: "/api/v1/liaisons/assignments", requirement: .somewhereThenOn(.supervise, t), path: { _ in "/api/v1/liaisons/assignments" },
                  json: { #"{"campaignID": 1, "township": "350582101", "role": "helper", "cadreName": "探针干部", "startsOn": "2012-11-01"}"# }),
            Probe(method: .POST, route: "/api/v1/liaisons/assignments/:assignmentID/end", requirement: .somewhereThenOn(.supervise, t),
                  path: { f in "/api/v1/liaisons/assignments/\(try await assignmentID(f))/end" }, json: { #"{"lastDay": "2012-12-01", "reason": "探针"}"# }),
            Probe(method: .GET, route: "/api/v1/liaisons/visits", requirement: .somewhere(.view), path: { _ in "/api/v1/liaisons/visits" }),
            Probe(method: .POST, route: "/api/v1/liaisons/visits", requirement: .somewhereThenOn(.liaise, t), path: { _ in "/api/v1/liaisons/visits" },
                  json: { #"{"township": "350582101", "visitedOn": "2012-11-28", "visitors": "探针", "findings": "探针走访"}"# }),
            Probe(method: .GET, route: "/api/v1/liaisons/visits/:visitID", requirement: .somewhereThenOn(.view, t),
                  path: { f in "/api/v1/liaisons/visits/\(try await visit(f).id)" }),
            Probe(method: .GET, route: "/api/v1/liaisons/visits/:visitID/files/:attachmentID", requirement: .somewhereThenOn(.view, t),
                  path: { f in let v = try await visit(f); return "/api/v1/liaisons/visits/\(v.id)/files/\(v.attachments[0].id)" }),
            Probe(method: .GET, route: "/api/v1/supervision/items", requirement: .somewhere(.view), path: { _ in "/api/v1/supervision/items" }),
            Probe(method: .POST, route: "/api/v1/supervision/items", requirement: .somewhereThenOn(.liaise, t), path: { _ in "/api/v1/supervision/items" },
                  json: { #"{"division": "350582101", "title": "探针事项", "responsibleName": "探针", "raisedOn": "2012-11-28", "deadline": "2012-12-05"}"# }),
            Probe(method: .GET, route: "/api/v1/supervision/items/:itemID", requirement: .somewhereThenOn(.view, t),
                  path: { f in "/api/v1/supervision/items/\(try await itemID(f))" }),
            Probe(method: .POST, route: "/api/v1/supervision/items/:itemID/move", requirement: .somewhereThenOn(.liaise, t),
                  path: { f in "/api/v1/supervision/items/\(try await itemID(f))/move" }, json: { #"{"move": "start"}"# }),
            Probe(method: .GET, route: "/api/v1/supervision/escalations", requirement: .somewhere(.view), path: { _ in "/api/v1/supervision/escalations" }),
            Probe(method: .POST, route: "/api/v1/supervision/escalations", requirement: .somewhereThenOn(.supervise, t),
                  path: { _ in "/api/v1/supervision/escalations" },
                  json: { #"{"kind": "interview", "division": "350582101", "heldOn": "2012-11-28", "participants": "探针", "heldBy": "探针", "summary": "探针约谈"}"# }),
        ]
    }

    static let probeActor = Actor(userID: "probe-liaison", name: "探针", clientAddress: nil)
    static let probeDay = CalendarDay(iso: "2012-11-28")!

    static func assignmentID(_ f: Fixture) async throws -> Int {
        try await LiaisonStore.assign(.init(campaignID: f.campaignID, townshipCode: township, cadre: .new(.init(name: "探针干部")), role: .helper,
                                            startsOn: probeDay, endsOn: nil), in: .everywhere, by: probeActor, on: f.app.db).id
    }

    static func visit(_ f: Fixture) async throws -> Visit {
        let path = try await DivisionQueries.require(township, on: f.app.db).path
        if let existing = try await VisitStore.list(under: path, in: .everywhere, on: f.app.db).first,
           let full = try? await VisitStore.require(existing.id, in: .everywhere, on: f.app.db), !full.attachments.isEmpty { return full }
        return try await VisitStore.log(.init(campaignID: nil, townshipCode: township, visitedOn: probeDay, visitors: "探针", met: "", findings: "探针",
                                              files: [.init(fileName: "探针.pdf", bytes: Array("%PDF-1.4\n%%EOF\n".utf8))]),
                                        in: .everywhere, by: probeActor, on: f.app.db).visit
    }

    static func itemID(_ f: Fixture) async throws -> Int {
        try await SupervisionStore.raise(.init(campaignID: nil, divisionCode: township, title: "探针事项", responsibleName: "探针", raisedOn: probeDay,
                                               deadline: probeDay.adding(days: 7), source: .other), in: .everywhere, by: probeActor, on: f.app.db).id
    }

    static func escalationID(_ f: Fixture) async throws -> Int {
        try await EscalationStore.record(.init(kind: .inspection, campaignID: nil, divisionCode: township, heldOn: probeDay, participants: "探针",
                                               heldBy: "探针", summary: "探针督导"), in: .everywhere, by: probeActor, on: f.app.db).escalation.id
    }
}
