import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport

/// The probes of 团建联席会 and 品牌活动 (issue 18): everything they open lies in the target township.
extension RouteAccessTests {
    static var conferenceProbes: [Probe] {
        let t = township
        let meeting = #"{"heldOn": "2012-12-01", "place": "探针会议室", "presentMemberIDs": [MEMBER], "items": [{"title": "探针议题", "discussion": "", "decision": ""}]}"#
        return [
            Probe(method: .GET, route: "/conferences", requirement: .somewhere(.view), path: { _ in "/conferences" }),
            Probe(method: .GET, route: "/conferences/:code", requirement: .onDivision(.view, t), path: { _ in "/conferences/\(t)" }),
            Probe(method: .POST, route: "/conferences/:code/members", requirement: .onDivision(.editLedger, t), path: { _ in "/conferences/\(t)/members" },
                  form: ["name": "探针单位\(counter.next())", "unitCategory": "非公企业", "joinedOn": "2012-11-01"]),
            Probe(method: .GET, route: "/conferences/:code/meetings/new", requirement: .onDivision(.editLedger, t), path: { _ in "/conferences/\(t)/meetings/new" }),
            Probe(method: .POST, route: "/conferences/:code/meetings", requirement: .onDivision(.editLedger, t),
                  path: { _ in "/conferences/\(t)/meetings" },
                  form: ["heldOn": "2012-12-01", "place": "探针会议室", "present[]": "0"]),
            Probe(method: .GET, route: "/conferences/:code/meetings/:meetingID", requirement: .onDivision(.view, t),
                  path: { f in "/conferences/\(t)/meetings/\(try await conferenceMeetingID(f))" }),
            Probe(method: .GET, route: "/conferences/:code/meetings/:meetingID/minutes.docx", requirement: .onDivision(.view, t),
                  path: { f in "/conferences/\(t)/meetings/\(try await conferenceMeetingID(f))/minutes.docx" }),
            Probe(method: .GET, route: "/activities", requirement: .somewhere(.view), path: { _ in "/activities" }),
            Probe(method: .POST, route: "/activities", requirement: .somewhereThenOn(.editLedger, t), path: { _ in "/activities" },
                  form: ["township": t, "kind": "培训", "title": "探针培训", "heldOn": "2012-11-28", "organizer": "探针", "otherUnits": "探针单位"]),
            Probe(method: .GET, route: "/activities/new", requirement: .somewhere(.editLedger), path: { _ in "/activities/new" }),
            Probe(method: .GET, route: "/activities/conversion/:code", requirement: .onDivision(.view, t), path: { _ in "/activities/conversion/\(t)" }),
            Probe(method: .GET, route: "/activities/organizations/:code", requirement: .onDivision(.view, t),
                  path: { f in "/activities/organizations/\(f.organizationCode)" }),
            Probe(method: .GET, route: "/api/v1/conferences", requirement: .somewhere(.view), path: { _ in "/api/v1/conferences" }),
            Probe(method: .GET, route: "/api/v1/conferences/:code", requirement: .onDivision(.view, t), path: { _ in "/api/v1/conferences/\(t)" }),
            Probe(method: .POST, route: "/api/v1/conferences/:code/members", requirement: .onDivision(.editLedger, t),
                  path: { _ in "/api/v1/conferences/\(t)/members" },
                  json: { #"{"name": "探针单位\#(counter.next())", "unitCategory": "非公企业", "joinedOn": "2012-11-01"}"# }),
            Probe(method: .POST, route: "/api/v1/conferences/:code/members/:memberID/leave", requirement: .onDivision(.editLedger, t),
                  path: { f in "/api/v1/conferences/\(t)/members/\(try await conferenceMemberID(f))/leave" }, json: { #"{"lastDay": "2012-12-01"}"# }),
            Probe(method: .POST, route: "/api/v1/conferences/:code/meetings", requirement: .onDivision(.editLedger, t),
                  path: { _ in "/api/v1/conferences/\(t)/meetings" }, json: { meeting.replacingOccurrences(of: "MEMBER", with: "1") }),
            Probe(method: .GET, route: "/api/v1/conferences/:code/meetings/:meetingID", requirement: .onDivision(.view, t),
                  path: { f in "/api/v1/conferences/\(t)/meetings/\(try await conferenceMeetingID(f))" }),
            Probe(method: .GET, route: "/api/v1/activities", requirement: .somewhere(.view), path: { _ in "/api/v1/activities" }),
            Probe(method: .POST, route: "/api/v1/activities", requirement: .somewhereThenOn(.editLedger, t), path: { _ in "/api/v1/activities" },
                  json: { #"{"townshipCode": "350582101", "kind": "培训", "title": "探针培训", "heldOn": "2012-11-28", "organizer": "探针", "units": [{"name": "探针单位"}]}"# }),
            Probe(method: .GET, route: "/api/v1/activities/conversion/:code", requirement: .onDivision(.view, t),
                  path: { _ in "/api/v1/activities/conversion/\(t)" }),
        ]
    }

    /// A fresh member of the target township's conference (a probe may retire it).
    static func conferenceMemberID(_ f: Fixture) async throws -> Int {
        try await ConferenceStore.addMember(.init(townshipCode: township, name: "探针成员\(counter.next())", unitCategory: "非公企业",
                                                  joinedOn: probeDay), in: .everywhere, today: probeDay, by: probeActor, on: f.app.db).id
    }

    static func conferenceMeetingID(_ f: Fixture) async throws -> Int {
        try await f.app.db.sql.select().column("id").from("conference_meetings").where("township_code", .equal, township).orderBy("id")
            .first(decodingColumn: "id", as: Int.self) ?? 0
    }
}
