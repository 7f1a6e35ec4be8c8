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
    return try await CampaignStore.create(CampaignDraft(name: "示范测试活动", regionCode: "3505", start: day("2012-10-15"),
                                                        deadline: day("2012-12-15"), target: 100), by: testActor, on: db)
}

private func count(_ table: String, on db: any Database) async throws -> Int {
    try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first(decodingColumn: "n", as: Int.self) ?? -1
}

private let jinjiang = Scope.within("35/3505/350582/")
/// A tiny but real PDF and PNG (their first bytes are what the check reads).
let samplePDF = Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
let samplePNG: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(0..<200).map { UInt8($0) }

@Suite struct DemonstrationStoreTests {
    @Test(arguments: TestDatabase.all)
    func aCountyNominatesAtMostItsLimitAndARefusalWritesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedCity(on: app.db)
            #expect(try await DemonstrationStore.nominationLimit(campaign.id, on: app.db) == 2)
            let anhai = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582101", reason: "企业建团经验成熟", in: jinjiang, by: testActor, on: app.db)
            _ = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582102", reason: "陶瓷园区建团", in: jinjiang, by: testActor, on: app.db)
            let audits = try await count("audit_events", on: app.db)
            do {
                _ = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582103", reason: "第三个", in: jinjiang, by: testActor, on: app.db)
                Issue.record("a third nomination in one county was accepted")
            } catch let refusal as Refusal {
                #expect(refusal.kind == .conflict)
                #expect(refusal.message.contains("每县最多 2 个") && refusal.message.contains("安海镇") && refusal.message.contains("磁灶镇"), "\(refusal.message)")
            }
            #expect(try await count("demonstration_townships", on: app.db) == 2)
            #expect(try await count("audit_events", on: app.db) == audits)
            // The same township twice, a county instead of a township, a township outside the nominator's county: refused.
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582101", reason: "重复", in: jinjiang, by: testActor, on: app.db)
            }
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582", reason: "县", in: .everywhere, by: testActor, on: app.db)
            }
            await #expect(throws: Refusal.notFound("找不到代码为「350583101」的行政区划")) {
                _ = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350583101", reason: "别县", in: jinjiang, by: testActor, on: app.db)
            }
            // Another county has its own places; the city raises the limit, or declines one, and a third fits.
            _ = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350583101", reason: "南安", in: .everywhere, by: testActor, on: app.db)
            await #expect(throws: Refusal.self) { try await DemonstrationStore.setNominationLimit(campaign.id, to: 0, by: testActor, on: app.db) }
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.decide(anhai.id, approve: false, note: " ", in: .everywhere, by: testActor, on: app.db)
            }
            let declined = try await DemonstrationStore.decide(anhai.id, approve: false, note: "材料不足", in: .everywhere, by: testActor, on: app.db)
            #expect(declined.status == .rejected)
            let third = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582103", reason: "陈埭镇", in: jinjiang, by: testActor, on: app.db)
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582104", reason: "第四个", in: jinjiang, by: testActor, on: app.db)
            }
            try await DemonstrationStore.setNominationLimit(campaign.id, to: 3, by: testActor, on: app.db)
            _ = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582104", reason: "放宽后", in: jinjiang, by: testActor, on: app.db)
            // Approval once; the acceptance visit not in the future and only when approved.
            let approved = try await DemonstrationStore.decide(third.id, approve: true, note: "", in: .everywhere, by: testActor, on: app.db)
            #expect(approved.status == .approved)
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.decide(third.id, approve: true, note: "", in: .everywhere, by: testActor, on: app.db)
            }
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.recordAcceptance(third.id, day: day("2012-12-10"), team: "市团委", findings: "好", today: day("2012-12-03"),
                                                                  in: .everywhere, by: testActor, on: app.db)
            }
            let accepted = try await DemonstrationStore.recordAcceptance(third.id, day: day("2012-12-01"), team: "市团委 陈明", findings: "台账齐全，阵地到位",
                                                                         today: day("2012-12-03"), in: .everywhere, by: testActor, on: app.db)
            #expect(accepted.acceptance?.day == day("2012-12-01"))
            #expect(try await DemonstrationStore.list(campaign.id, under: "35/3505/350582/", in: .everywhere, on: app.db).count == 4)
        }
    }

    @Test(arguments: TestDatabase.all)
    func markingAnItemMetNeedsEvidenceWhereRequiredAndFilesComeBackByteForByte(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedCity(on: app.db)
            let site = try await DemonstrationStore.addCriterion(campaign.id, .init(title: "有固定活动阵地", kind: .evidence, evidenceRequired: true),
                                                                 by: testActor, on: app.db)
            let staffed = try await DemonstrationStore.addCriterion(campaign.id, .init(title: "班子配齐", kind: .committeeStaffed), by: testActor, on: app.db)
            #expect(staffed.threshold == 7)
            let anhai = try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582101", reason: "推荐", in: jinjiang, by: testActor, on: app.db)
            let before = (try await count("demonstration_evidence", on: app.db), try await count("audit_events", on: app.db))
            for (note, files) in [("", [UploadedFile(fileName: "阵地.pdf", bytes: samplePDF)]), ("阵地照片", [])] {
                do {
                    _ = try await DemonstrationStore.addEvidence(anhai.id, criterionID: site.id, note: note, marksMet: true, files: files,
                                                                 maximumBytes: 1 << 20, in: jinjiang, by: testActor, on: app.db)
                    Issue.record("an item was marked met without evidence")
                } catch let refusal as Refusal {
                    #expect(refusal.message.contains("须有佐证材料"), "\(refusal.message)")
                }
            }
            // A measured item is not marked by hand; a renamed file of another kind and a file over the limit are refused.
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.addEvidence(anhai.id, criterionID: staffed.id, note: "已配齐", marksMet: true, files: [], maximumBytes: 1 << 20,
                                                             in: jinjiang, by: testActor, on: app.db)
            }
            do {
                _ = try await DemonstrationStore.addEvidence(anhai.id, criterionID: site.id, note: "阵地", marksMet: true,
                                                             files: [UploadedFile(fileName: "阵地.pdf", bytes: Array("MZ not a pdf".utf8))],
                                                             maximumBytes: 1 << 20, in: jinjiang, by: testActor, on: app.db)
                Issue.record("a renamed file was accepted")
            } catch let refusal as Refusal {
                #expect(refusal.message.contains("「阵地.pdf」不是允许的文件类型"), "\(refusal.message)")
            }
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.addEvidence(anhai.id, criterionID: site.id, note: "阵地", marksMet: true,
                                                             files: [UploadedFile(fileName: "大.pdf", bytes: samplePDF + Array(repeating: 0, count: 2000))],
                                                             maximumBytes: 1000, in: jinjiang, by: testActor, on: app.db)
            }
            #expect(try await count("demonstration_evidence", on: app.db) == before.0)
            #expect(try await count("audit_events", on: app.db) == before.1)
            let evidence = try await DemonstrationStore.addEvidence(anhai.id, criterionID: site.id, note: "镇青年之家 120 平方米，挂牌", marksMet: true,
                                                                    files: [UploadedFile(fileName: "阵地.pdf", bytes: samplePDF),
                                                                            UploadedFile(fileName: "照片.png", bytes: samplePNG)],
                                                                    maximumBytes: 1 << 20, in: jinjiang, by: testActor, on: app.db)
            #expect(evidence.files.map(\.kind) == [.pdf, .png])
            for (file, bytes) in zip(evidence.files, [samplePDF, samplePNG]) {
                let stored = try await DemonstrationStore.evidenceFile(file.id, of: anhai.id, in: jinjiang, on: app.db)
                #expect(Array(stored.bytes) == bytes)
                #expect(stored.file.sha256 == SHA256.hex(bytes: bytes))
            }
            await #expect(throws: Refusal.self) {
                _ = try await DemonstrationStore.evidenceFile(evidence.files[0].id, of: anhai.id, in: .within("35/3505/350583/"), on: app.db)
            }
            let checklist = try #require(try await DemonstrationStore.checklists([anhai], campaign: campaign, asOf: day("2012-12-03"), on: app.db).first)
            #expect(checklist.items.map(\.outcome.isMet) == [true, false], "evidence met; no committee members recorded")
            #expect(!checklist.isUnderReview, "only an approved township is flagged")
        }
    }

    /// The measured items against counts made directly from the demo's committee members, ledger and reports.
    @Test(arguments: TestDatabase.all)
    func measuredItemsEqualDirectCountsAndAnApprovedTownshipBelowTheBarIsUnderReview(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let db = app.db
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: db).first)
            var criteria = try await DemonstrationStore.criteria(campaign.id, on: db)
            for kind in [DemonstrationCriterion.Kind.committeeStaffed, .completion, .reportsOnTime, .conferenceMonthly] where !criteria.contains(where: { $0.kind == kind }) {
                criteria.append(try await DemonstrationStore.addCriterion(campaign.id, .init(title: kind.label, kind: kind), by: testActor, on: db))
            }
            criteria = try await DemonstrationStore.criteria(campaign.id, on: db)
            var demonstrations = try await DemonstrationStore.list(campaign.id, under: "", in: .everywhere, on: db)
            if demonstrations.isEmpty {
                demonstrations.append(try await DemonstrationStore.nominate(campaign.id, townshipCode: "350582101", reason: "测试", in: .everywhere, by: testActor, on: db))
            }
            let asOf = day("2012-12-03")
            let checklists = try await DemonstrationStore.checklists(demonstrations, campaign: campaign, asOf: asOf, on: db)
            var records: [OrganizationRecord] = []
            try await LedgerQuery.forEach(LedgerFilter(), on: db) { records += $0 }
            let targets = try await CampaignStore.targets(campaign.id, codes: demonstrations.map(\.townshipCode), on: db)
            let schedule = try await ReportStore.schedule(campaign, on: db)
            let endOfDay = schedule.period(.daily, containing: asOf).closesAt
            let due = ReportingFrequency.allCases.flatMap { schedule.periods($0, from: campaign.start, through: asOf) }.filter { $0.dueAt <= endOfDay }.map(\.key)
            struct Report: Decodable { var divisionCode: String; var periodKey: String; var timeliness: String }
            let firstReports = try await db.sql.select().columns("division_code", "period_key", "timeliness").from("reports")
                .where("campaign_id", .equal, campaign.id).where("revision", .equal, 1).all(decoding: Report.self, keyDecodingStrategy: .convertFromSnakeCase)
            struct Member: Decodable { var townshipCode: String; var position: String }
            let members = try await db.sql.select().columns("township_code", "position").from("committee_members")
                .all(decoding: Member.self, keyDecodingStrategy: .convertFromSnakeCase)
            for checklist in checklists {
                let code = checklist.demonstration.townshipCode
                for (criterion, outcome) in checklist.items {
                    switch criterion.kind {
                    case .committeeStaffed:
                        let mine = members.filter { $0.townshipCode == code }
                        let staffed = mine.contains { $0.position == "secretary" } && Double(mine.count) >= criterion.threshold!
                        #expect(outcome.isMet == staffed, "\(code) \(outcome)")
                    case .completion:
                        let counted = records.filter {
                            DivisionPath(checklist.demonstration.townshipPath).contains($0.divisionPath)
                                && campaign.rule.counts($0.fields, review: $0.review.countedReview, on: asOf, start: campaign.start)
                        }.count
                        let target = targets[code] ?? 0
                        let percent = Percent.tenthsRoundedDown(Double(counted) * 100 / Double(max(target, 1)))
                        #expect(outcome.isMet == (target > 0 && percent >= criterion.threshold!), "\(code) \(outcome) \(counted)/\(target)")
                    case .reportsOnTime:
                        let onTime = firstReports.filter { $0.divisionCode == code && due.contains($0.periodKey) && $0.timeliness == Timeliness.onTime.rawValue }.count
                        #expect(outcome.isMet == (Double(onTime * 1000 / due.count) / 10 >= criterion.threshold!), "\(code) \(outcome)")
                    case .conferenceMonthly:
                        // Each of the whole months before December 2012 (the bar's count of them) holds a meeting of the township's conference.
                        let months = Int(criterion.threshold!)
                        let window = (0..<months).map { String(format: "2012-%02d", 11 - $0) }
                        let held = Set(try await db.sql.select().column("held_on").from("conference_meetings").where("township_code", .equal, code)
                            .all(decodingColumn: "held_on", as: String.self).map { String($0.prefix(7)) })
                        #expect(outcome.isMet == window.allSatisfy(held.contains), "\(code) \(outcome)")
                    case .evidence:
                        break
                    }
                }
                let measuredBelow = checklist.items.contains { $0.criterion.kind.isMeasured && $0.outcome.isNotMet }
                #expect(checklist.isUnderReview == (checklist.demonstration.status == .approved && measuredBelow))
                #expect(checklist.statusLabel == (checklist.isUnderReview ? "待复核" : checklist.demonstration.status.label))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aModelCaseNamesOnlyItsOwnTownshipsActivitiesAndARefusalWritesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let campaign = try await seedCity(on: app.db)
            func activity(_ township: String) async throws -> Int {
                try await ActivityStore.record(.init(townshipCode: township, kind: "青年志愿者服务", title: "志愿服务\(township)", heldOn: day("2012-11-10"),
                                                     organizer: "镇团委", youthReached: 20, units: [.init(name: "某企业")]),
                                               in: jinjiang, today: day("2012-12-03"), by: testActor, on: app.db).id
            }
            let own = try await activity("350582101"), other = try await activity("350582102")
            var draft = ModelCaseDraft(campaignID: campaign.id, divisionCode: "350582101", title: "安海镇：志愿服务带出团支部", buildMode: "联合",
                                       unitCategory: "非公企业", whatWorked: "镇团委先组织企业青年参加志愿服务，骨干稳定后联合建立团支部。",
                                       activityIDs: [own, other])
            do {
                _ = try await ModelCaseStore.create(draft, in: jinjiang, by: testActor, on: app.db)
                Issue.record("another township's activity was accepted")
            } catch let refusal as Refusal {
                #expect(refusal.message == "涉及的品牌活动：编号 \(other) 不是安海镇记录的活动", "\(refusal.message)")
            }
            #expect(try await count("model_cases", on: app.db) == 0)
            #expect(try await count("model_case_activities", on: app.db) == 0)
            draft.activityIDs = [own, own]
            let created = try await ModelCaseStore.create(draft, in: jinjiang, by: testActor, on: app.db)
            #expect(created.buildMode == "联合建团" && created.activityIDs == [own])
            let read = try await ModelCaseStore.require(created.id, in: .everywhere, on: app.db)
            #expect(read.activityIDs == [own])
            #expect(try await ActivityStore.list(ids: read.activityIDs, on: app.db).map(\.title) == ["志愿服务350582101"])
            let audit = try await AuditLog.events(entityType: "model_case", entityID: String(created.id), limit: 5, on: app.db)
            #expect(audit.map(\.action) == ["model_case.create"])
            #expect(audit.first?.afterJSON?.contains("编号 \(own)") == true)
        }
    }
}
