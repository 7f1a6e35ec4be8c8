import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

private func seedCity(on db: any Database) async throws -> Campaign {
    _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
    return try await CampaignStore.create(CampaignDraft(name: "挂钩测试活动", regionCode: "3505", start: day("2012-10-15"),
                                                        deadline: day("2012-12-15"), target: 100), by: testActor, on: db)
}

private func count(_ table: String, on db: any Database) async throws -> Int {
    try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first(decodingColumn: "n", as: Int.self) ?? -1
}

private let jinjiang = Scope.within("35/3505/350582/")

@Suite struct LiaisonStoreTests {
    @Test(arguments: TestDatabase.all)
    func assignmentsKeepTheirHistoryAndATownshipHasOneLeadAtATime(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedCity(on: app.db)
            let first = try await LiaisonStore.assign(
                .init(campaignID: campaign.id, townshipCode: "350582101", cadre: .new(.init(name: "陈明", unit: "泉州市团委", post: "部长", phone: "13905950101")),
                      role: .lead, startsOn: day("2012-10-20"), endsOn: nil), in: jinjiang, by: testActor, on: app.db)
            // A second lead over the same days is refused, and nothing is written (no new cadre either).
            let cadresBefore = try await count("liaison_cadres", on: app.db)
            await #expect(throws: Refusal.self) {
                _ = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: "350582101", cadre: .new(.init(name: "李华")),
                                                        role: .lead, startsOn: day("2012-11-01"), endsOn: nil), in: jinjiang, by: testActor, on: app.db)
            }
            #expect(try await count("liaison_cadres", on: app.db) == cadresBefore)
            // A township outside the subtree is not found; a bad phone number is named.
            await #expect(throws: Refusal.notFound("找不到代码为「350583101」的行政区划")) {
                _ = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: "350583101", cadre: .existing(first.cadre.id),
                                                        role: .lead, startsOn: day("2012-11-01"), endsOn: nil), in: jinjiang, by: testActor, on: app.db)
            }
            do {
                _ = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: "350582102", cadre: .new(.init(name: "李华", phone: "电话")),
                                                        role: .lead, startsOn: day("2012-11-01"), endsOn: nil), in: jinjiang, by: testActor, on: app.db)
                Issue.record("a bad phone number was accepted")
            } catch let refusal as Refusal {
                #expect(refusal.message.contains("联系电话"))
            }
            // Ending needs a reason; then the lead may change hands and the history keeps both.
            await #expect(throws: Refusal.self) {
                _ = try await LiaisonStore.end(first.id, lastDay: day("2012-11-15"), reason: "  ", in: jinjiang, by: testActor, on: app.db)
            }
            let ended = try await LiaisonStore.end(first.id, lastDay: day("2012-11-15"), reason: "工作调整", in: jinjiang, by: testActor, on: app.db)
            #expect(ended.endsOn == day("2012-11-15"))
            let second = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: "350582101", cadre: .new(.init(name: "李华")),
                                                             role: .lead, startsOn: day("2012-11-16"), endsOn: nil), in: jinjiang, by: testActor, on: app.db)
            let history = try await LiaisonStore.assignments(township: "350582101", campaignID: campaign.id, on: app.db)
            #expect(history.map(\.id) == [second.id, first.id])
            #expect(history.last?.endReason == "工作调整")
            #expect(try await LiaisonStore.leads(campaignID: campaign.id, under: "35/3505/", on: day("2012-11-10"), on: app.db)["350582101"]?.name == "陈明")
            #expect(try await LiaisonStore.leads(campaignID: campaign.id, under: "35/3505/", on: day("2012-11-20"), on: app.db)["350582101"]?.name == "李华")
            let audit = try await app.db.sql.select().column("action").from("audit_events").where("action", .like, "liaison.%")
                .all(decodingColumn: "action", as: String.self)
            #expect(audit.sorted() == ["liaison.assign", "liaison.assign", "liaison.cadre.create", "liaison.cadre.create", "liaison.end"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func coverageCountsLeadsPerCountyAndListsTheGapsFirst(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedCity(on: app.db)
            let townships = try await DivisionQueries.townships(under: jinjiang, on: app.db)
            for township in townships.dropFirst(2) {
                _ = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: township.code, cadre: .new(.init(name: "干部\(township.code)")),
                                                        role: .lead, startsOn: day("2012-10-20"), endsOn: nil), in: jinjiang, by: testActor, on: app.db)
            }
            // A helper is not a lead; an assignment that starts later does not cover today.
            _ = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: townships[0].code, cadre: .new(.init(name: "协助干部")),
                                                    role: .helper, startsOn: day("2012-10-20"), endsOn: nil), in: jinjiang, by: testActor, on: app.db)
            _ = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: townships[1].code, cadre: .new(.init(name: "晚到干部")),
                                                    role: .lead, startsOn: day("2012-12-01"), endsOn: nil), in: jinjiang, by: testActor, on: app.db)
            _ = try await VisitStore.log(.init(campaignID: campaign.id, townshipCode: townships[2].code, visitedOn: day("2012-11-20"), visitors: "干部",
                                               met: "", findings: "正常"), in: jinjiang, today: day("2012-11-25"), by: testActor, on: app.db)
            let coverage = try await LiaisonCoverage.compute(campaignID: campaign.id, under: "35/3505/350582/", asOf: day("2012-11-25"), on: app.db)
            #expect(coverage.total == townships.count)
            #expect(coverage.withLead == townships.count - 2)
            #expect(coverage.counties.map(\.withLead) == [townships.count - 2])
            #expect(coverage.townships.prefix(2).map(\.code) == [townships[0].code, townships[1].code])
            #expect(coverage.townships[0].helpers.map(\.name) == ["协助干部"])
            let visited = try #require(coverage.townships.first { $0.code == townships[2].code })
            #expect(visited.lastVisit == day("2012-11-20") && visited.visitsInWindow == 1 && visited.belowRhythm)
        }
    }

    @Test(arguments: TestDatabase.all)
    func visitAttachmentsRoundTripByteForByteAndBadOnesChangeNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedCity(on: app.db)
            var random = SeededGenerator(seed: 7)
            let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) }
            let pdf = Array("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
            let draft = VisitDraft(campaignID: campaign.id, townshipCode: "350582101", visitedOn: day("2012-11-28"), visitors: "陈明",
                                   met: "安海镇团委书记", findings: "两家企业尚未建团。", files: [.init(fileName: "现场.jpg", bytes: photo),
                                                                                   .init(fileName: "批复.pdf", bytes: pdf)],
                                   problems: [.init(title: "两家企业尚未建团", responsibleName: "安海镇团委书记", deadline: day("2012-12-05"))])
            let (visit, items) = try await VisitStore.log(draft, in: jinjiang, today: day("2012-12-01"), by: testActor, on: app.db)
            #expect(visit.attachments.map(\.kind) == [.jpeg, .pdf])
            #expect(items.count == 1 && items[0].source == .visit && items[0].sourceRef == String(visit.id))
            let back = try await VisitStore.attachment(visit.attachments[0].id, ofVisit: visit.id, in: jinjiang, on: app.db)
            #expect(Array(back.bytes) == photo)
            #expect(back.attachment.sha256 == SHA256.hex(bytes: photo))
            #expect(Array(try await VisitStore.attachment(visit.attachments[1].id, ofVisit: visit.id, in: jinjiang, on: app.db).bytes) == pdf)
            // Another county's user does not find the visit or its files.
            await #expect(throws: Refusal.self) {
                _ = try await VisitStore.attachment(visit.attachments[0].id, ofVisit: visit.id, in: .within("35/3505/350583/"), on: app.db)
            }

            let before = try await [count("visits", on: app.db), count("visit_attachments", on: app.db), count("supervision_items", on: app.db)]
            let bad: [(VisitDraft, String)] = [
                (VisitDraft(campaignID: nil, townshipCode: "350582101", visitedOn: day("2012-12-02"), visitors: "陈明", met: "", findings: "x"), "走访日期"),
                (VisitDraft(campaignID: nil, townshipCode: "350582101", visitedOn: day("2012-11-28"), visitors: "陈明", met: "", findings: "x",
                            files: [.init(fileName: "名单.xlsx", bytes: Array("PK\u{3}\u{4}".utf8))]), "名单.xlsx"),
                (VisitDraft(campaignID: nil, townshipCode: "350582101", visitedOn: day("2012-11-28"), visitors: "陈明", met: "", findings: "x",
                            files: [.init(fileName: "大照片.jpg", bytes: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: AttachmentKind.maximumBytes))]), "5 MB"),
                (VisitDraft(campaignID: nil, townshipCode: "350582101", visitedOn: day("2012-11-28"), visitors: "陈明", met: "", findings: "x",
                            problems: [.init(title: "问题", responsibleName: "某某", deadline: day("2012-11-01"))]), "期限"),
            ]
            for (draft, named) in bad {
                do {
                    _ = try await VisitStore.log(draft, in: jinjiang, today: day("2012-12-01"), by: testActor, on: app.db)
                    Issue.record("accepted a visit that should be refused for \(named)")
                } catch let refusal as Refusal {
                    #expect(refusal.message.contains(named), "\(refusal.message)")
                }
            }
            #expect(try await [count("visits", on: app.db), count("visit_attachments", on: app.db), count("supervision_items", on: app.db)] == before)
        }
    }
}
