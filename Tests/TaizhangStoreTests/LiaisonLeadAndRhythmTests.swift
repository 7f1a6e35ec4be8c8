import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

private let quanzhou = Scope.within("35/3505/")

/// The lead liaison of a set of townships in one statement (what the completeness table, the
/// bulletins, the ranking and the division page show), and the campaign's visit rhythm.
@Suite struct LiaisonLeadAndRhythmTests {
    @Test(arguments: TestDatabase.all)
    func leadsOfASetOfTownshipsEqualADirectCount(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let campaign = try await CampaignStore.create(CampaignDraft(name: "挂钩测试活动", regionCode: "3505", start: day("2012-10-15"),
                                                                        deadline: day("2012-12-15"), target: 100), by: testActor, on: app.db)
            let townships = try await DivisionQueries.townships(under: quanzhou, limit: 10_000, on: app.db)
            #expect(townships.count > 100)
            var random = SeededGenerator(seed: 17)
            // Every shape an assignment takes: none, open-ended, ended, starting later, helper only, handed over.
            for township in townships {
                func assign(_ role: LiaisonRole, _ name: String, from start: String, to end: String? = nil) async throws -> LiaisonAssignment {
                    try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: township.code,
                                                        cadre: .new(.init(name: name, phone: "139059\(township.code.suffix(5))")), role: role,
                                                        startsOn: day(start), endsOn: end.map(day)), in: quanzhou, by: testActor, on: app.db)
                }
                switch Int.random(in: 0..<6, using: &random) {
                case 0: break
                case 1: _ = try await assign(.lead, "甲\(township.code)", from: "2012-10-20")
                case 2: _ = try await assign(.lead, "乙\(township.code)", from: "2012-10-20", to: "2012-11-10")
                case 3: _ = try await assign(.lead, "丙\(township.code)", from: "2012-11-25")
                case 4: _ = try await assign(.helper, "丁\(township.code)", from: "2012-10-20")
                default:
                    let first = try await assign(.lead, "戊\(township.code)", from: "2012-10-20")
                    _ = try await LiaisonStore.end(first.id, lastDay: day("2012-11-15"), reason: "工作调整", in: quanzhou, by: testActor, on: app.db)
                    _ = try await assign(.lead, "己\(township.code)", from: "2012-11-16")
                }
            }
            for asOf in ["2012-10-19", "2012-11-10", "2012-11-11", "2012-11-15", "2012-11-16", "2012-11-30"].map(day) {
                let leads = try await LiaisonStore.leads(campaignID: campaign.id, townships: townships.map(\.code), on: asOf, on: app.db)
                let direct = try await app.db.sql.raw("""
                    SELECT COUNT(DISTINCT township_code) AS n FROM liaison_assignments WHERE campaign_id = \(bind: campaign.id) \
                    AND role = 'lead' AND starts_on <= \(bind: asOf.description) AND (ends_on IS NULL OR ends_on >= \(bind: asOf.description))
                    """).first(decodingColumn: "n", as: Int.self)
                #expect(leads.count == direct, "\(asOf)")
                for township in townships {
                    let expected = try await LiaisonStore.assignments(township: township.code, campaignID: campaign.id, on: app.db)
                        .first { $0.role == .lead && $0.isActive(on: asOf) }?.cadre
                    #expect(leads[township.code] == expected, "\(township.code) \(asOf)")
                }
            }
            // Only the codes asked for are answered; none asked, none answered.
            let some = Array(townships.prefix(20).map(\.code))
            let partial = try await LiaisonStore.leads(campaignID: campaign.id, townships: some, on: day("2012-11-30"), on: app.db)
            #expect(Set(partial.keys).isSubset(of: Set(some)))
            #expect(try await LiaisonStore.leads(campaignID: campaign.id, townships: [], on: day("2012-11-30"), on: app.db).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theVisitRhythmIsStoredPerCampaignAuditedAndBadValuesChangeNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let campaign = try await CampaignStore.create(CampaignDraft(name: "挂钩测试活动", regionCode: "3505", start: day("2012-10-15"),
                                                                        deadline: day("2012-12-15"), target: 100), by: testActor, on: app.db)
            #expect(try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: app.db) == VisitRhythm(visits: 3, days: 30))

            let weekly = try VisitRhythm.parse(visits: " 1 ", days: "7")
            try await VisitRhythmStore.set(weekly, campaignID: campaign.id, by: testActor, on: app.db)
            #expect(try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: app.db) == VisitRhythm(visits: 1, days: 7))
            try await VisitRhythmStore.set(VisitRhythm(visits: 4, days: 30), campaignID: campaign.id, by: testActor, on: app.db)
            #expect(try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: app.db) == VisitRhythm(visits: 4, days: 30))
            let audit = try await app.db.sql.select().column("after_json").from("audit_events").where("action", .equal, "liaison.rhythm")
                .all(decodingColumn: "after_json", as: String.self)
                .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
            #expect(Set(audit.compactMap { $0["走访频次"] }) == ["每 7 天至少走访 1 次", "每 30 天至少走访 4 次"], "\(audit)")

            // Each bad value is named with its field and range; nothing is written.
            let bad: [(String, String, String)] = [
                ("0", "30", "走访次数"), ("三", "30", "走访次数"), ("3", "", "统计天数"), ("3", "400", "统计天数"), ("20", "7", "超过每天一次"),
            ]
            for (visits, days, named) in bad {
                #expect(throws: Refusal.self) { _ = try VisitRhythm.parse(visits: visits, days: days) }
                do {
                    _ = try VisitRhythm.parse(visits: visits, days: days)
                } catch let refusal as Refusal {
                    #expect(refusal.message.contains(named), "\(refusal.message)")
                }
            }
            await #expect(throws: Refusal.self) {
                try await VisitRhythmStore.set(VisitRhythm(visits: 20, days: 7), campaignID: campaign.id, by: testActor, on: app.db)
            }
            #expect(try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: app.db) == VisitRhythm(visits: 4, days: 30))
            #expect(try await app.db.sql.select().column("action").from("audit_events").where("action", .equal, "liaison.rhythm")
                .all().count == 2)

            // Coverage counts visits over the rhythm's own window: 1 in 7 days.
            _ = try await LiaisonStore.assign(.init(campaignID: campaign.id, townshipCode: "350582101", cadre: .new(.init(name: "陈明")), role: .lead,
                                                    startsOn: day("2012-10-20"), endsOn: nil), in: quanzhou, by: testActor, on: app.db)
            _ = try await VisitStore.log(.init(campaignID: campaign.id, townshipCode: "350582101", visitedOn: day("2012-11-20"), visitors: "陈明",
                                               met: "", findings: "正常"), in: quanzhou, today: day("2012-11-30"), by: testActor, on: app.db)
            let inWeek = try await LiaisonCoverage.compute(campaignID: campaign.id, under: "35/3505/350582/", asOf: day("2012-11-26"),
                                                           rhythm: weekly, on: app.db).townships.first { $0.code == "350582101" }
            let pastWeek = try await LiaisonCoverage.compute(campaignID: campaign.id, under: "35/3505/350582/", asOf: day("2012-11-27"),
                                                             rhythm: weekly, on: app.db).townships.first { $0.code == "350582101" }
            #expect(inWeek?.visitsInWindow == 1 && inWeek?.belowRhythm == false)
            #expect(pastWeek?.visitsInWindow == 0 && pastWeek?.belowRhythm == true)
        }
    }
}
