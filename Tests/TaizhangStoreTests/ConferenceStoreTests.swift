import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

private func count(_ table: String, on db: any Database) async throws -> Int {
    try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first(decodingColumn: "n", as: Int.self) ?? -1
}

private let jinjiang = Scope.within("35/3505/350582/")
private let anhai = "350582101"

/// Two members of 安海's conference and a third who joins later.
private func seedConference(on db: any Database) async throws -> [ConferenceMember] {
    _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
    var members: [ConferenceMember] = []
    for name in ["安海镇农业服务中心", "恒安鞋业有限公司", "安海镇中心小学"] {
        members.append(try await ConferenceStore.addMember(
            .init(townshipCode: anhai, name: name, unitCategory: name.hasSuffix("公司") ? "非公企业" : "乡镇政府内设站所",
                  contactName: "联系人", contactPhone: "13905950101", delegate: "代表", joinedOn: day("2012-10-01")),
            in: jinjiang, today: day("2012-12-03"), by: testActor, on: db))
    }
    return members
}

@Suite struct ConferenceStoreTests {
    @Test(arguments: TestDatabase.all)
    func aFollowUpIsCarriedToEveryNextMeetingUntilItIsClosed(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let members = try await seedConference(on: app.db)
            let first = try await ConferenceStore.recordMeeting(
                .init(townshipCode: anhai, heldOn: day("2012-11-05"), place: "镇政府三楼会议室", presentMemberIDs: [members[0].id, members[1].id],
                      items: [.init(title: "恒安鞋业建团", decision: "11月底前成立团支部筹备组", followupOwnerID: members[1].id, followupDeadline: day("2012-11-30")),
                              .init(title: "学校团员关系转接", decision: "已说明")]),
                in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            #expect(first.quorum == ConferenceQuorum(present: 2, members: 3))
            #expect(first.quorum.isMet)
            #expect(first.agenda.map(\.title) == ["恒安鞋业建团", "学校团员关系转接"])
            let open = try await ConferenceStore.followups(of: anhai, openOnly: true, on: app.db)
            #expect(open.map(\.title) == ["11月底前成立团支部筹备组"])
            #expect(open.first?.ownerName == "恒安鞋业有限公司")

            // The next meeting carries it first, without closing it.
            let second = try await ConferenceStore.recordMeeting(
                .init(townshipCode: anhai, heldOn: day("2012-11-19"), place: "恒安鞋业", presentMemberIDs: [members[1].id],
                      items: [.init(title: "志愿服务", decision: "组织青年志愿者服务一次")]),
                in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            #expect(second.agenda.map(\.title) == ["跟进：11月底前成立团支部筹备组", "志愿服务"])
            #expect(second.agenda.first?.followupID == open.first?.id)
            #expect(second.agenda.first?.decision == "继续跟进")
            #expect(!second.quorum.isMet)

            // The third carries it again and closes it; the fourth no longer has it.
            let third = try await ConferenceStore.recordMeeting(
                .init(townshipCode: anhai, heldOn: day("2012-11-29"), place: "镇政府", presentMemberIDs: members.map(\.id), items: [],
                      closings: [.init(followupID: open[0].id, result: "筹备组已成立，11月28日报批")]),
                in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            #expect(third.agenda.map(\.decision) == ["已办结：筹备组已成立，11月28日报批"])
            let fourth = try await ConferenceStore.recordMeeting(
                .init(townshipCode: anhai, heldOn: day("2012-12-03"), place: "镇政府", presentMemberIDs: members.map(\.id),
                      items: [.init(title: "总结")]), in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            #expect(fourth.agenda.map(\.title) == ["总结"])
            let all = try await ConferenceStore.followups(of: anhai, on: app.db)
            #expect(all.map(\.state) == [.closed])
            #expect(all.first?.closedOn == day("2012-11-29"))
            #expect(try await ConferenceStore.meetingMonths(townshipCode: anhai, from: day("2012-10-15"), to: day("2012-12-31"), on: app.db)
                == ["2012-11", "2012-12"])
            let summary = try #require(try await ConferenceStore.summaries(in: jinjiang, today: day("2012-12-03"), on: app.db).first { $0.townshipCode == anhai })
            #expect((summary.members, summary.meetings, summary.openFollowups, summary.lastMeeting) == (3, 4, 0, day("2012-12-03")))
            #expect(try await count("audit_events", on: app.db) >= 7)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badMeetingsAndMembersAreRefusedAndWriteNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let members = try await seedConference(on: app.db)
            let before = try await ["conference_meetings", "conference_agenda_items", "conference_followups", "conference_attendance",
                                    "conference_members", "audit_events"].asyncMap { try await count($0, on: app.db) }
            func refusal(_ body: () async throws -> Void) async -> String {
                do { try await body(); return "" } catch let refusal as Refusal { return refusal.message } catch { return "\(error)" }
            }
            // Another county's township (石狮) for a 晋江 user.
            let elsewhere = await refusal {
                _ = try await ConferenceStore.addMember(.init(townshipCode: "350581101", name: "某公司", unitCategory: "非公企业", joinedOn: day("2012-11-01")),
                                                        in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            }
            #expect(elsewhere.contains("不在您的管理范围内"))
            let elsewhereMeeting = await refusal {
                _ = try await ConferenceStore.recordMeeting(.init(townshipCode: "350581101", heldOn: day("2012-11-05"), place: "某地", presentMemberIDs: [1], items: []),
                                                            in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            }
            #expect(elsewhereMeeting.contains("不在您的管理范围内"))
            let future = await refusal {
                _ = try await ConferenceStore.recordMeeting(.init(townshipCode: anhai, heldOn: day("2012-12-04"), place: "镇政府", presentMemberIDs: [members[0].id],
                                                                  items: []), in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            }
            #expect(future.contains("会议日期：2012-12-04 晚于今天"))
            let outsider = await refusal {
                _ = try await ConferenceStore.recordMeeting(
                    .init(townshipCode: anhai, heldOn: day("2012-11-05"), place: "镇政府", presentMemberIDs: [members[0].id],
                          items: [.init(title: "建团", decision: "成立筹备组", followupOwnerID: 9999, followupDeadline: day("2012-11-30"))]),
                    in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            }
            #expect(outsider.contains("第 1 项议题的责任单位：编号 9999 不是本联席会"))
            let badCategory = await refusal {
                _ = try await ConferenceStore.addMember(.init(townshipCode: anhai, name: "某公司", unitCategory: "外星企业", joinedOn: day("2012-11-01")),
                                                        in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            }
            #expect(badCategory.contains("单位类别：「外星企业」不在单位类别里"))
            let after = try await ["conference_meetings", "conference_agenda_items", "conference_followups", "conference_attendance",
                                   "conference_members", "audit_events"].asyncMap { try await count($0, on: app.db) }
            #expect(after == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func conversionFiguresEqualADirectCount(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let members = try await seedConference(on: app.db)
            // Four organizations at different stages, three of them reached by activities (one through its membership).
            var codes: [String] = []
            for (index, stage) in [Stage.youthGroup, .preparing, .founded, .founded].enumerated() {
                var fields = OrganizationFields(name: "转化测试第\(index)号团支部", townshipCode: anhai, orgType: "团支部", unitCategory: "非公企业",
                                                buildMode: "单独建团", stage: stage)
                if stage == .founded {
                    fields.foundedOn = day("2012-11-20")
                    fields.secretaryName = "书记"
                    fields.memberCount = 5
                }
                codes.append(try await OrganizationStore.create(fields, by: testActor, on: app.db).record.code)
            }
            _ = try await app.db.sql.update("conference_members").set("organization_code", to: SQLBind(codes[2])).where("id", .equal, members[1].id).run()
            for (held, units) in [("2012-11-01", [Activity.Unit(name: "", organizationCode: codes[0]), .init(name: "", memberID: members[1].id)]),
                                  ("2012-11-10", [Activity.Unit(name: "", organizationCode: codes[1]), .init(name: "", organizationCode: codes[2]),
                                                  .init(name: "某奶茶店")])] {
                _ = try await ActivityStore.record(.init(townshipCode: anhai, kind: "青年志愿者", title: "志愿服务", heldOn: day(held), organizer: "镇团委",
                                                         youthReached: 30, units: units), in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            }
            let units = try await ActivityStore.conversionUnits(under: "35/3505/350582/", in: jinjiang, on: app.db)
            let conversion = Conversion(units: units)
            // Directly: distinct units are the three organizations and the tea shop.
            #expect(conversion.reached == 4)
            let stages: [String: Stage] = Dictionary(uniqueKeysWithValues: try await app.db.sql.select().columns("code", "stage").from("organizations")
                .where("code", .in, Array(codes[0...2])).all().map { (try $0.decode(column: "code", as: String.self), Stage(rawValue: try $0.decode(column: "stage", as: String.self))!) })
            for stage in [Stage.youthGroup, .leagueLike, .preparing, .founded] {
                #expect(conversion.atLeast[stage] == stages.values.filter { $0.rank! >= stage.rank! }.count, "\(stage)")
            }
            // Reached first on 11-01 through the membership, founded 11-20: 19 days.
            #expect(conversion.foundedAfterActivity == 1)
            #expect(conversion.medianDaysToFounding == 19)
            #expect(units.first { $0.organizationCode == codes[2] }?.firstActivity == day("2012-11-01"))
            let path = try await ActivityStore.path(ofOrganization: codes[2], on: app.db)
            #expect(path.first?.label == "青年志愿者服务：志愿服务")
            #expect(path.last?.label == "已建立")
            // The organization's page lists both activities: the one through its membership and the one naming its code.
            #expect(try await ActivityStore.involving(organization: codes[2], on: app.db).map(\.heldOn) == [day("2012-11-01"), day("2012-11-10")])
            #expect(try await ActivityStore.involving(organization: codes[0], on: app.db).map(\.heldOn) == [day("2012-11-01")])
            #expect(try await ActivityStore.involving(organization: codes[3], on: app.db).isEmpty)
            // An activity in the future or of an unknown kind is refused.
            await #expect(throws: Refusal.self) {
                _ = try await ActivityStore.record(.init(townshipCode: anhai, kind: "舞会", title: "x", heldOn: day("2012-12-09"), organizer: "镇团委",
                                                         youthReached: 1, units: [.init(name: "x")]), in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            }
            #expect(try await count("activities", on: app.db) == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func activityKindsAreTheReferenceListAnAdministratorExtends(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await seedConference(on: app.db)
            #expect(try await ReferenceStore.lists(on: app.db).list(.activityKind) == ActivityKind.builtinValues)
            let draft = ActivityDraft(townshipCode: anhai, kind: "读书会", title: "青年读书会", heldOn: day("2012-11-18"), organizer: "镇团委",
                                      youthReached: 25, units: [.init(name: "安海镇图书馆")])
            do {
                _ = try await ActivityStore.record(draft, in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
                Issue.record("a kind that is not on the list was accepted")
            } catch let refusal as Refusal {
                #expect(refusal.message.contains("「读书会」不是活动类型") && refusal.message.contains("青年突击队"), "\(refusal.message)")
            }
            #expect(try await count("activities", on: app.db) == 0)
            try await ReferenceStore.add(.activityKind, value: "读书会", by: testActor, on: app.db)
            let recorded = try await ActivityStore.record(draft, in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db)
            #expect(recorded.kind == "读书会")
            // The ledger's short 青年志愿者 still names 青年志愿者服务.
            var volunteers = draft
            volunteers.kind = "青年志愿者"
            #expect(try await ActivityStore.record(volunteers, in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db).kind == "青年志愿者服务")
        }
    }
}

private extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
