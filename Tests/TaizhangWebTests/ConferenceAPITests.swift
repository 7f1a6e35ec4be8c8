import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

/// 团建联席会 and 品牌活动 through the JSON API on the demo, each answer checked against the OpenAPI document.
@Suite struct ConferenceAPITests {
    @Test(arguments: TestDatabase.all)
    func aCountyRecordsAMemberAMeetingAndAnActivityThroughTheAPI(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let county = try await APIClient.make(app, as: try await makeTestUser(app, "jinjiang-conference", grants: [(.countyAdmin, "350582")]))
            let (listed, listBody, _) = try await county.call(.GET, "/api/v1/conferences", template: "/api/v1/conferences")
            #expect(listed == .ok)
            let items = (try JSONSerialization.jsonObject(with: listBody) as! [String: Any])["items"] as! [[String: Any]]
            #expect(!items.isEmpty && items.allSatisfy { ($0["townshipCode"] as? String)?.hasPrefix("350582") == true })

            let (_, conferenceBody, _) = try await county.call(.GET, "/api/v1/conferences/350582101", template: "/api/v1/conferences/{code}")
            let conference = try JSONSerialization.jsonObject(with: conferenceBody) as! [String: Any]
            let open = (conference["followups"] as! [[String: Any]]).filter { $0["state"] as? String == "open" }
            #expect(!open.isEmpty)

            let (added, addedBody, _) = try await county.call(.POST, "/api/v1/conferences/350582101/members", template: "/api/v1/conferences/{code}/members",
                                                              json: #"{"name": "安海接口测试公司", "unitCategory": "非公企业", "joinedOn": "2012-11-01"}"#)
            #expect(added == .created)
            let member = try #require((try JSONSerialization.jsonObject(with: addedBody) as! [String: Any])["id"] as? Int)

            // Another county's township does not exist for 晋江; a meeting in the future is refused by name.
            let (outside, _, _) = try await county.call(.POST, "/api/v1/conferences/350583101/members", template: "/api/v1/conferences/{code}/members",
                                                        json: #"{"name": "某公司", "unitCategory": "非公企业", "joinedOn": "2012-11-01"}"#)
            #expect(outside == .notFound)
            let meeting = #"{"heldOn": "DAY", "place": "镇政府", "presentMemberIDs": [\#(member)], "items": [{"title": "接口议题", "discussion": "", "decision": "十二月建团", "followupOwnerID": \#(member), "followupDeadline": "2012-12-31"}]}"#
            let (future, futureBody, _) = try await county.call(.POST, "/api/v1/conferences/350582101/meetings", template: "/api/v1/conferences/{code}/meetings",
                                                                json: meeting.replacingOccurrences(of: "DAY", with: "2099-01-01"))
            #expect(future == .badRequest && errorMessage(futureBody).contains("会议日期"))
            let (recorded, recordedBody, _) = try await county.call(.POST, "/api/v1/conferences/350582101/meetings", template: "/api/v1/conferences/{code}/meetings",
                                                                    json: meeting.replacingOccurrences(of: "DAY", with: "2012-12-03"))
            #expect(recorded == .created)
            let agenda = (try JSONSerialization.jsonObject(with: recordedBody) as! [String: Any])["agenda"] as! [[String: Any]]
            // The open follow-ups come first, then the meeting's own item.
            #expect(agenda.count == open.count + 1)
            #expect(agenda.prefix(open.count).allSatisfy { ($0["title"] as? String)?.hasPrefix("跟进：") == true && $0["followupID"] is Int })
            let id = try #require((try JSONSerialization.jsonObject(with: recordedBody) as! [String: Any])["id"] as? Int)
            let (shown, _, _) = try await county.call(.GET, "/api/v1/conferences/350582101/meetings/\(id)", template: "/api/v1/conferences/{code}/meetings/{meetingID}")
            #expect(shown == .ok)
            let (left, _, _) = try await county.call(.POST, "/api/v1/conferences/350582101/members/\(member)/leave",
                                                     template: "/api/v1/conferences/{code}/members/{memberID}/leave", json: #"{"lastDay": "2012-12-03"}"#)
            #expect(left == .ok)

            let activity = #"{"townshipCode": "350582101", "kind": "青年志愿者服务", "title": "接口志愿服务", "heldOn": "2012-12-02", "organizer": "安海镇团委", "youthReached": 20, "units": [{"name": "某奶茶店"}]}"#
            let (recordedActivity, _, _) = try await county.call(.POST, "/api/v1/activities", template: "/api/v1/activities", json: activity)
            #expect(recordedActivity == .created)
            let (badKind, badKindBody, _) = try await county.call(.POST, "/api/v1/activities", template: "/api/v1/activities",
                                                                  json: activity.replacingOccurrences(of: "青年志愿者服务", with: "舞会"))
            #expect(badKind == .badRequest && errorMessage(badKindBody).contains("活动类型"))
            let (_, activitiesBody, _) = try await county.call(.GET, "/api/v1/activities?division=350582101", template: "/api/v1/activities")
            #expect(((try JSONSerialization.jsonObject(with: activitiesBody) as! [String: Any])["items"] as! [[String: Any]]).contains { $0["title"] as? String == "接口志愿服务" })

            // The county's conversion equals the store's units counted directly.
            let (_, conversionBody, _) = try await county.call(.GET, "/api/v1/activities/conversion/350582", template: "/api/v1/activities/conversion/{code}")
            let conversion = try JSONSerialization.jsonObject(with: conversionBody) as! [String: Any]
            let units = try await ActivityStore.conversionUnits(under: "35/3505/350582/", in: .everywhere, on: app.db)
            #expect(conversion["reached"] as? Int == units.count)
            let founded = (conversion["stages"] as! [[String: Any]]).first { $0["stage"] as? String == "founded" }?["units"] as? Int
            #expect(founded == units.filter { $0.stage == .founded }.count)
            #expect((founded ?? 0) > 0)
        }
    }
}
