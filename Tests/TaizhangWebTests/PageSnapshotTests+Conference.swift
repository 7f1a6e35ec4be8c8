import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

extension PageSnapshotTests {
    /// 团建联席会 and 品牌活动 as 晋江's administrator sees them: the county's conferences, 安海's
    /// conference with its members and open follow-ups, its second November meeting (a follow-up
    /// carried forward), the meeting form, the activities, the county's conversion funnel, an
    /// organization's path and the activity form. The test runs long after 2012, so today's date is a placeholder.
    @Test(arguments: TestDatabase.all)
    func theConferencePagesOfTheDemoAreAsKept(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let county = try await BrowserSession.signIn(app, try await makeTestUser(app, "snapshot", grants: [(.countyAdmin, "350582")]))
            let meeting = try #require(try await app.db.sql.select().column("id").from("conference_meetings").where("township_code", .equal, "350582101")
                .orderBy("held_on", .descending).first(decodingColumn: "id", as: Int.self))
            let organization = try #require(try await app.db.sql.select().column("organization_code").from("activity_units")
                .where("organization_code", .like, "350582101-%").orderBy("organization_code").first(decodingColumn: "organization_code", as: String.self))
            for (name, path) in [
                ("conferences-county", "/conferences"),
                ("conference-township", "/conferences/350582101"),
                ("conference-meeting", "/conferences/350582101/meetings/\(meeting)"),
                ("conference-meeting-new", "/conferences/350582101/meetings/new"),
                ("activities-township", "/activities?division=350582101"),
                ("activity-conversion-county", "/activities/conversion/350582"),
                ("organization-path", "/activities/organizations/\(organization)"),
                ("activity-new", "/activities/new?township=350582101"),
            ] {
                let page = try await county.get(path)
                #expect(page.status == .ok, "\(path)")
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile + [(#"20(1[3-9]|[2-9]\d)-\d{2}-\d{2}"#, "TODAY")])
            }
        }
    }
}
