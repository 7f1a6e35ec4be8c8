import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

/// An instant given on the Asia/Shanghai wall clock.
private func shanghai(_ text: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = .shanghai
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return formatter.date(from: text)!
}

@Suite struct SupervisionStoreTests {
    @Test(arguments: TestDatabase.all)
    func itemsMoveThroughTheirStatesAndFallOverdueAtTheShanghaiMidnight(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let scope = Scope.within("35/3505/350582/")
            let raiser = Actor(userID: "raiser", name: "挂钩干部", clientAddress: nil)
            let item = try await SupervisionStore.raise(
                .init(campaignID: nil, divisionCode: "350582101", title: "两家企业尚未建团", responsibleName: "安海镇团委书记",
                      raisedOn: day("2012-11-28"), deadline: day("2012-12-05"), source: .visit), in: scope, today: day("2012-11-28"), by: raiser, on: app.db)
            #expect(item.state == .open && item.ownerUnit == "安海镇")
            #expect(!item.isOverdue(at: shanghai("2012-12-05 23:59:59")))
            #expect(item.isOverdue(at: shanghai("2012-12-06 00:00:00")))
            let overdueAtMidnight = try await SupervisionStore.list(.overdue, in: scope, at: shanghai("2012-12-06 00:00:00"), on: app.db)
            let notYet = try await SupervisionStore.list(.overdue, in: scope, at: shanghai("2012-12-05 23:59:59"), on: app.db)
            #expect(overdueAtMidnight.map(\.id) == [item.id] && notYet.isEmpty)
            #expect(try await SupervisionStore.tallyByCounty(under: "35/3505/", at: shanghai("2012-12-06 00:00:00"), on: app.db)["350582"]
                    == .init(open: 1, overdue: 1))

            let viewer = SupervisionStore.Authority(supervises: .within([]), works: .within([]), userID: "viewer")
            let liaison = SupervisionStore.Authority(supervises: .within([]), works: scope, userID: "liaison")
            let county = SupervisionStore.Authority(supervises: scope, works: scope, userID: "county")
            await #expect(throws: Refusal.self) { _ = try await SupervisionStore.move(item.id, .start, note: "", in: scope, authority: viewer, by: testActor, on: app.db) }
            #expect(try await SupervisionStore.move(item.id, .start, note: "", in: scope, authority: liaison, by: testActor, on: app.db).state == .inProgress)
            // Closing needs a result and a supervisor (or the responsible user); reopening needs a reason.
            await #expect(throws: Refusal.self) { _ = try await SupervisionStore.move(item.id, .close, note: "已办", in: scope, authority: liaison, by: testActor, on: app.db) }
            await #expect(throws: Refusal.self) { _ = try await SupervisionStore.move(item.id, .close, note: " ", in: scope, authority: county, by: testActor, on: app.db) }
            let closed = try await SupervisionStore.move(item.id, .close, note: "两家企业团支部已筹建", in: scope, authority: county, by: testActor, on: app.db)
            #expect(closed.state == .closed && !closed.isOverdue(at: shanghai("2012-12-20 00:00:00")))
            await #expect(throws: Refusal.self) { _ = try await SupervisionStore.move(item.id, .close, note: "再次", in: scope, authority: county, by: testActor, on: app.db) }
            let byRaiser = SupervisionStore.Authority(supervises: .within([]), works: .within([]), userID: "raiser")
            let reopened = try await SupervisionStore.move(item.id, .reopen, note: "回访发现仅一家筹建", in: scope, authority: byRaiser, by: testActor, on: app.db)
            #expect(reopened.state == .returned && reopened.returnReason == "回访发现仅一家筹建")
            let history = try await SupervisionStore.history(of: item.id, on: app.db)
            #expect(history.map(\.to) == [.open, .inProgress, .closed, .returned])
            let audit = try await app.db.sql.select().column("action").from("audit_events").where("action", .like, "supervision.%")
                .all(decodingColumn: "action", as: String.self)
            #expect(audit.sorted() == ["supervision.close", "supervision.raise", "supervision.reopen", "supervision.start"])
            // Another county does not find it.
            await #expect(throws: Refusal.self) { _ = try await SupervisionStore.require(item.id, in: .within("35/3505/350583/"), on: app.db) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func escalationsTurnPromisesAndDecisionsIntoItemsOrNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let interview = try await EscalationStore.record(
                .init(kind: .interview, campaignID: nil, divisionCode: "350524101", heldOn: day("2012-11-24"), participants: "镇党委副书记、团委书记",
                      heldBy: "市团委副书记", summary: "两周未新建团组织", promise: "12 月 10 日前新建 5 个", promisedBy: day("2012-12-10")),
                in: .everywhere, today: day("2012-11-30"), by: testActor, on: app.db)
            #expect(interview.items.map(\.title) == ["12 月 10 日前新建 5 个"])
            #expect(interview.items[0].source == .interview && interview.items[0].deadline == day("2012-12-10"))
            let meeting = try await EscalationStore.record(
                .init(kind: .dispatchMeeting, campaignID: nil, divisionCode: "350524", heldOn: day("2012-11-30"), participants: "各乡镇团委",
                      heldBy: "市团委书记", summary: "部署冲刺", decisions: [
                          .init(title: "补齐日报", ownerUnit: "安溪县团委", responsibleName: "书记", deadline: day("2012-12-01")),
                          .init(title: "分片包干", ownerUnit: "安溪县团委", responsibleName: "副书记", deadline: day("2012-12-02")),
                      ]), in: .everywhere, today: day("2012-11-30"), by: testActor, on: app.db)
            #expect(meeting.items.map(\.title) == ["补齐日报", "分片包干"] && meeting.items.allSatisfy { $0.divisionCode == "350524" })
            let township = try await DivisionQueries.require("350524101", on: app.db)
            #expect(Set(try await EscalationStore.list(concerning: township, on: app.db).map(\.id)) == [interview.escalation.id, meeting.escalation.id])

            // A future date, a decision due before the meeting: refused, nothing written.
            let before = try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("supervision_items")
                .first(decodingColumn: "n", as: Int.self)
            for draft in [
                EscalationDraft(kind: .inspection, campaignID: nil, divisionCode: "350524", heldOn: day("2012-12-31"), participants: "x", heldBy: "y", summary: "z"),
                EscalationDraft(kind: .siteMeeting, campaignID: nil, divisionCode: "350524", heldOn: day("2012-11-30"), participants: "x", heldBy: "y", summary: "z",
                                decisions: [.init(title: "t", ownerUnit: "", responsibleName: "r", deadline: day("2012-11-01"))]),
            ] {
                await #expect(throws: Refusal.self) { _ = try await EscalationStore.record(draft, in: .everywhere, today: day("2012-11-30"), by: testActor, on: app.db) }
            }
            #expect(try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("supervision_items")
                .first(decodingColumn: "n", as: Int.self) == before)
        }
    }
}
