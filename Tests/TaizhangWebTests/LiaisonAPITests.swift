import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

/// 挂钩联系 and 督办 through the JSON API, each answer checked against the OpenAPI document.
@Suite struct LiaisonAPITests {
    @Test(arguments: TestDatabase.all)
    func aCountyAssignsALiaisonRaisesAndClosesAnItemThroughTheAPI(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let county = try await APIClient.make(app, as: try await makeTestUser(app, "jinjiang-api", grants: [(.countyAdmin, "350582")]))
            let cadre = try await APIClient.make(app, as: try await makeTestUser(app, "cadre-api", grants: [(.liaisonCadre, "350582102")]))
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)

            // The demo covers every 晋江 township; a second lead is refused, a helper is added.
            let (coverageStatus, coverageBody, _) = try await county.call(.GET, "/api/v1/liaisons/coverage", template: "/api/v1/liaisons/coverage")
            #expect(coverageStatus == .ok)
            let coverage = try JSONSerialization.jsonObject(with: coverageBody) as! [String: Any]
            #expect(coverage["total"] as? Int == coverage["withLead"] as? Int)
            let lead = #"{"campaignID": \#(campaign.id), "township": "350582102", "cadreName": "李华", "startsOn": "2012-11-20"}"#
            let (clash, clashBody, _) = try await county.call(.POST, "/api/v1/liaisons/assignments", template: "/api/v1/liaisons/assignments", json: lead)
            #expect(clash == .conflict && errorMessage(clashBody).contains("牵头联系"))
            let helper = #"{"campaignID": \#(campaign.id), "township": "350582102", "role": "helper", "cadreName": "李华", "cadrePhone": "办公室", "startsOn": "2012-11-20"}"#
            let (badPhone, badPhoneBody, _) = try await county.call(.POST, "/api/v1/liaisons/assignments", template: "/api/v1/liaisons/assignments", json: helper)
            #expect(badPhone == .badRequest && errorMessage(badPhoneBody).contains("联系电话"))
            let (assigned, _, _) = try await county.call(.POST, "/api/v1/liaisons/assignments", template: "/api/v1/liaisons/assignments",
                                                         json: helper.replacingOccurrences(of: "办公室", with: "0595-85123456"))
            #expect(assigned == .created)
            // Another county's township does not exist for 晋江.
            let (outside, _, _) = try await county.call(.POST, "/api/v1/liaisons/assignments", template: "/api/v1/liaisons/assignments",
                                                        json: lead.replacingOccurrences(of: "350582102", with: "350583101"))
            #expect(outside == .notFound)

            // The liaison cadre raises an item; closing it is the county's.
            let raise = #"{"division": "350582102", "title": "园区两家企业未建团", "responsibleName": "磁灶镇团委书记", "raisedOn": "2012-11-28", "deadline": "2012-12-05", "source": "visit"}"#
            let (raised, raisedBody, headers) = try await cadre.call(.POST, "/api/v1/supervision/items", template: "/api/v1/supervision/items", json: raise)
            #expect(raised == .created)
            let location = try #require(headers.first(name: .location))
            let id = try #require(Int(location.split(separator: "/").last ?? ""))
            let item = try JSONSerialization.jsonObject(with: raisedBody) as! [String: Any]
            // Overdue already (the test runs long after 2012), and still 待办.
            #expect(item["status"] as? String == "逾期（待办）" && item["overdue"] as? Bool == true)
            let template = "/api/v1/supervision/items/{itemID}/move"
            let (refused, _, _) = try await cadre.call(.POST, "\(location)/move", template: template, json: #"{"move": "close", "note": "已办"}"#)
            #expect(refused == .forbidden)
            let (noResult, noResultBody, _) = try await county.call(.POST, "\(location)/move", template: template, json: #"{"move": "close"}"#)
            #expect(noResult == .badRequest && errorMessage(noResultBody).contains("办理结果"))
            let (closed, closedBody, _) = try await county.call(.POST, "\(location)/move", template: template, json: #"{"move": "close", "note": "两家企业已筹建"}"#)
            #expect(closed == .ok)
            #expect(((try JSONSerialization.jsonObject(with: closedBody) as! [String: Any])["item"] as? [String: Any])?["state"] as? String == "closed")
            let (_, detailBody, _) = try await county.call(.GET, "/api/v1/supervision/items/\(id)", template: "/api/v1/supervision/items/{itemID}")
            let history = (try JSONSerialization.jsonObject(with: detailBody) as! [String: Any])["history"] as? [[String: Any]]
            #expect(history?.compactMap { $0["to"] as? String } == ["open", "closed"])

            // A visit dated in the future is refused by name; an interview's promise becomes an item.
            let (future, futureBody, _) = try await cadre.call(.POST, "/api/v1/liaisons/visits", template: "/api/v1/liaisons/visits",
                                                               json: #"{"township": "350582102", "visitedOn": "2099-01-01", "visitors": "李华", "findings": "x"}"#)
            #expect(future == .badRequest && errorMessage(futureBody).contains("走访日期"))
            let interview = #"{"kind": "interview", "division": "350582102", "heldOn": "2012-11-28", "participants": "磁灶镇团委书记", "heldBy": "晋江团市委书记", "summary": "进度滞后", "promise": "12 月 10 日前新建 3 个", "promisedBy": "2012-12-10"}"#
            let (recorded, recordedBody, _) = try await county.call(.POST, "/api/v1/supervision/escalations", template: "/api/v1/supervision/escalations", json: interview)
            #expect(recorded == .created)
            let items = (try JSONSerialization.jsonObject(with: recordedBody) as! [String: Any])["items"] as? [[String: Any]]
            #expect(items?.first?["title"] as? String == "12 月 10 日前新建 3 个" && items?.first?["source"] as? String == "interview")
        }
    }
}
