import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangMail
import TaizhangStore
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import Vapor

/// Issue 17's leftovers on the demo: the lead liaison (or 未指定) wherever a township is judged —
/// the completeness table, the bulletins, the township ranking, the division page; the weekly
/// review beside the open items; the campaign's visit rhythm set on the liaison page.
@Suite struct LiaisonEverywhereTests {
    static let dehua = "350526"

    @Test(arguments: TestDatabase.all)
    func theLeadLiaisonIsNamedWhereATownshipIsJudged(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "liaison-city", grants: [(.cityAdmin, "3505")]))
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let day = CalendarDay(iso: "2012-12-10")!
            let townships = try await DivisionQueries.townships(under: .within("35/3505/\(Self.dehua)/"), on: app.db)
            let targets = try await CampaignStore.targets(campaign.id, codes: townships.map(\.code), on: app.db)
            let judged = townships.filter { (targets[$0.code] ?? 0) > 0 }
            let leads = try await LiaisonStore.leads(campaignID: campaign.id, townships: judged.map(\.code), on: day, on: app.db)
            let without = try #require(judged.first { leads[$0.code] == nil }, "the demo leaves some of 德化's townships without a lead")
            let with = try #require(judged.first { leads[$0.code] != nil })
            let lead = try #require(leads[with.code])

            // The completeness table of a county: each township's row names its lead, or 未指定.
            let reports = try await city.get("/campaigns/\(campaign.id)/reports?area=\(Self.dehua)&period=daily:2012-12-10")
            #expect(reports.status == .ok)
            #expect(reports.body.contains("<th>挂钩干部</th>"))
            #expect(row(of: without.name, in: reports.body).contains("未指定"))
            #expect(row(of: with.name, in: reports.body).contains(lead.name) && row(of: with.name, in: reports.body).contains(lead.phone))

            // The ranking of townships, and its spreadsheet, name them too.
            let ranking = try await city.get("/campaigns/\(campaign.id)/ranking?level=township&asOf=2012-12-10")
            #expect(row(of: without.name, "德化县", in: ranking.body).contains("未指定"))
            #expect(row(of: with.name, "德化县", in: ranking.body).contains(lead.name))
            let county = try await city.get("/campaigns/\(campaign.id)/areas/\(Self.dehua)?asOf=2012-12-10")
            #expect(row(of: without.name, in: county.body).contains("未指定"))

            // The division pages: the county's townships and a township's own page.
            let division = try await city.get("/divisions/\(Self.dehua)")
            #expect(row(of: without.name, in: division.body).contains("未指定"))
            #expect(row(of: with.name, in: division.body).contains(lead.name))
            let own = try await city.get("/divisions/\(without.code)")
            #expect(own.body.contains("牵头挂钩干部") && own.body.contains("未指定"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBulletinNamesTheLiaisonsOfTheTownshipsNotReportedAndBehind(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "bulletin-city", grants: [(.cityAdmin, "3505")]))
            let user = try await makeTestUser(app, "bulletin-actor", grants: [(.cityAdmin, "3505")])
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let schedule = try await ReportStore.schedule(campaign, on: app.db)
            let period = schedule.period(.daily, containing: CalendarDay(iso: "2012-12-12")!)
            let townships = try await DivisionQueries.townships(under: .within("35/3505/"), limit: 1000, on: app.db)
            let targets = try await CampaignStore.targets(campaign.id, codes: townships.map(\.code), on: app.db)
            let statuses = try await ReportStore.statuses(campaign.id, periodKey: period.key,
                                                          codes: townships.filter { (targets[$0.code] ?? 0) > 0 }.map(\.code), on: app.db)
            let missing = statuses.filter { $0.value == .missing }.map(\.key).sorted()
            #expect(missing.count >= 2, "the demo has townships that did not report on 12 December")
            // One of them loses its lead before the day, so the bulletin must say 未指定.
            let orphan = try #require(missing.first)
            let actor = Actor(userID: user.id.uuidString, name: "测试", clientAddress: nil)
            for assignment in try await LiaisonStore.assignments(township: orphan, campaignID: campaign.id, on: app.db) where assignment.role == .lead {
                _ = try await LiaisonStore.end(assignment.id, lastDay: CalendarDay(iso: "2012-11-30")!, reason: "调离", in: .everywhere, by: actor, on: app.db)
            }
            let leads = try await LiaisonStore.leads(campaignID: campaign.id, townships: missing, on: period.lastDay, on: app.db)
            #expect(leads[orphan] == nil && leads.count >= 1)

            for issued in try await BulletinStore.list(campaign.id, on: app.db) where issued.periodKey == period.key && issued.kind == .daily && issued.withdrawal == nil {
                _ = try await BulletinStore.withdraw(campaign, id: issued.id, reason: "测试重发", by: actor, on: app.db)
            }
            let bulletin = try await BulletinStore.issue(campaign, .init(kind: .daily, period: period, issuingBody: "", text: ""),
                                                         at: ReportingClock.now(), by: actor, on: app.db)
            let lines = try #require(bulletin.content.notReportedTownships)
            #expect(lines.map(\.code).sorted() == missing)
            for line in lines { #expect(line.liaison == leads[line.code]?.name && line.liaisonPhone == leads[line.code]?.phone) }
            let behind = try #require(bulletin.content.behindTownships)
            let behindLeads = try await LiaisonStore.leads(campaignID: campaign.id, townships: behind.map(\.code), on: period.lastDay, on: app.db)
            for line in behind { #expect(line.liaison == behindLeads[line.code]?.name && line.percent != nil) }

            // The A4 page highlights 未指定 beside the township; the Word and Excel files carry the names.
            let page = try await city.get("/campaigns/\(campaign.id)/bulletins/\(bulletin.id)")
            #expect(page.body.contains("未报送的乡镇（街道）及其牵头挂钩干部"))
            let orphanName = try #require(lines.first { $0.code == orphan }?.name)
            #expect(row(of: orphanName, in: page.body, after: "未报送的乡镇").contains(#"<span class="tag danger">未指定</span>"#))
            let named = try #require(lines.first { $0.liaison != nil })
            #expect(row(of: named.name, in: page.body, after: "未报送的乡镇").contains(named.liaison!))
            let layout = BulletinLayout(bulletin.content)
            let docx = layout.docx()
            let cells = docx.blocks.flatMap { block -> [String] in
                if case .table(let table) = block { return table.rows.flatMap { $0.map(\.text) } }
                return []
            }
            #expect(cells.contains(LeadLiaisonLabel.unassigned) && cells.contains(named.liaison!))
            for file in ["bulletin.docx", "bulletin.xlsx"] {
                #expect(try await city.get("/campaigns/\(campaign.id)/bulletins/\(bulletin.id)/\(file)").status == .ok)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theWeeklyReviewShowsTheOpenItemsWithLinks(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "review-city", grants: [(.cityAdmin, "3505")]))
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let now = ReportingClock.now()
            let open = try await SupervisionStore.list(.open, under: "35/3505/", in: .everywhere, at: now, on: app.db)
                .filter { $0.campaignID == nil || $0.campaignID == campaign.id }
            let overdue = open.filter { $0.isOverdue(at: now) }
            #expect(!open.isEmpty)
            let page = try await city.get("/campaigns/\(campaign.id)/reports?area=3505&period=weekly:2012-11-26")
            #expect(page.status == .ok)
            #expect(page.body.contains("督办事项：未办结 \(open.count) 项，其中逾期 \(overdue.count) 项"))
            let item = try #require(overdue.first ?? open.first)
            #expect(page.body.contains(#"href="/supervision/items/\#(item.id)""#))
            // Each county's row counts its own open items beside the score.
            let anxi = open.filter { $0.divisionPath.hasPrefix("35/3505/350524/") }.count
            #expect(row(of: "安溪县", in: page.body).contains("督办未办结 \(anxi)"))
            // A daily period shows no review, and so no items.
            let daily = try await city.get("/campaigns/\(campaign.id)/reports?area=3505&period=daily:2012-12-10")
            #expect(!daily.body.contains("supervision-items"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCityAdministratorSetsTheVisitRhythmOnTheLiaisonPage(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "rhythm-city", grants: [(.cityAdmin, "3505")]))
            let county = try await BrowserSession.signIn(app, try await makeTestUser(app, "rhythm-county", grants: [(.countyAdmin, "350582")]))
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let before = try await city.get("/liaisons")
            #expect(before.body.contains("每 30 天至少走访 3 次") && before.body.contains(#"id="rhythm""#))
            #expect(!(try await county.get("/liaisons")).body.contains(#"id="rhythm""#))

            let bad = try await city.post("/liaisons/rhythm?campaign=\(campaign.id)", ["campaignID": String(campaign.id), "visits": "20", "days": "7"])
            #expect(bad.status == .badRequest && bad.body.contains("超过每天一次"))
            #expect(bad.body.contains(#"name="visits" value="20""#), "the form keeps what was typed")
            #expect(try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: app.db) == .standard)
            let refused = try await county.post("/liaisons/rhythm?campaign=\(campaign.id)", ["campaignID": String(campaign.id), "visits": "2", "days": "14"])
            #expect(refused.status == .forbidden)

            let saved = try await city.post("/liaisons/rhythm?campaign=\(campaign.id)", ["campaignID": String(campaign.id), "visits": "2", "days": "14"])
            #expect(saved.status == .seeOther)
            #expect(try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: app.db) == VisitRhythm(visits: 2, days: 14))
            let after = try await city.get("/liaisons?campaign=\(campaign.id)&saved=rhythm")
            #expect(after.body.contains("每 14 天至少走访 2 次") && after.body.contains("近14天走访") && after.body.contains("走访频次已保存"))
        }
    }
}

/// The first table row of the page (after `marker`, if given) that holds every one of `texts`.
func row(of texts: String..., in html: String, after marker: String? = nil) -> String {
    var text = html
    if let marker, let start = html.range(of: marker) { text = String(html[start.upperBound...]) }
    return text.components(separatedBy: "<tr").dropFirst().first { part in texts.allSatisfy { part.contains($0) } }
        .map { "<tr" + ($0.components(separatedBy: "</tr>").first ?? $0) } ?? ""
}
