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
    /// organization's path and the activity form; 安海's own page with its conference, and the page
    /// of an organization the activities reached, its 品牌工作 leading to them. The test runs long
    /// after 2012, so today's date is a placeholder.
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
                ("division-township-conference", "/divisions/350582101"),
                ("organization-activities", "/organizations/\(organization)"),
            ] {
                let page = try await county.get(path)
                #expect(page.status == .ok, "\(path)")
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile + [(#"20(1[3-9]|[2-9]\d)-\d{2}-\d{2}"#, "TODAY")])
            }
            // What the snapshots keep, said outright: the township's conference and the activities behind 品牌工作.
            let township = try await county.get("/divisions/350582101").body
            let summary = try #require(try await ConferenceStore.summaries(under: try await DivisionQueries.require("350582101", on: app.db).path, in: .everywhere, today: .today(), on: app.db).first)
            #expect(township.contains("<h2>团建联席会</h2>") && township.contains("\(summary.members) 个，其中已建团组织 \(summary.withOrganization) 个"))
            #expect(township.contains("href=\"/conferences/350582101\""))
            let page = try await county.get("/organizations/\(organization)").body
            let reached = try await ActivityStore.involving(organization: organization, on: app.db)
            #expect(!reached.isEmpty && page.contains("已记录 \(reached.count) 次活动") && page.contains("href=\"#activities\""))
            for activity in reached { #expect(page.contains(activity.title)) }
            // The demo's bulk-written members, meetings and activities each have their audit row.
            func count(_ table: String, action: String? = nil) async throws -> Int {
                let select = app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
                if let action { select.where("action", .equal, action) }
                return try await select.first(decodingColumn: "n", as: Int.self) ?? -1
            }
            #expect(try await count("audit_events", action: "conference.member.add") == (try await count("conference_members")))
            #expect(try await count("audit_events", action: "conference.meeting.record") == (try await count("conference_meetings")))
            #expect(try await count("audit_events", action: "activity.record") == (try await count("activities")))
        }
    }
}
