import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

private let township = Actor(userID: "township-reporter", name: "乡镇填报员", clientAddress: nil)
private let countyReviewer = Actor(userID: "county-verifier", name: "县核查员", clientAddress: nil)
private let cityReviewer = Actor(userID: "city-verifier", name: "市核查员", clientAddress: nil)

/// The two-level review: who may confirm what, what an edit does to a confirmed record, and
/// what a sign-off locks.
@Suite struct ReviewStoreTests {
    @Test(arguments: TestDatabase.all)
    func confirmationNeedsFourEyesTheRightLevelAndTheSubtree(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let saved = try await OrganizationStore.create(sampleFields(stage: .founded), by: township, on: app.db)
            let code = saved.record.code
            #expect(saved.record.review.state == .pending && saved.record.review.createdBy == township.userID)

            // The township's own reporter cannot confirm its own record.
            let own = await #expect(throws: Refusal.self) {
                try await ReviewStore.confirm([code], at: .county, scope: .everywhere, by: township, on: app.db)
            }
            #expect(own?.message.contains("双人把关") == true)
            // The city confirms only what the county verified.
            let early = await #expect(throws: Refusal.self) {
                try await ReviewStore.confirm([code], at: .city, scope: .everywhere, by: cityReviewer, on: app.db)
            }
            #expect(early?.message.contains("待县核实") == true)
            // Another county's verifier does not see it.
            let elsewhere = try await DivisionQueries.require("350583", on: app.db)
            let hidden = await #expect(throws: Refusal.self) {
                try await ReviewStore.confirm([code], at: .county, scope: .within(elsewhere.path), by: countyReviewer, on: app.db)
            }
            #expect(hidden?.kind == .notFound)
            #expect(try await OrganizationStore.require(code, on: app.db).review.state == .pending)

            _ = try await ReviewStore.confirm([code], at: .county, scope: .everywhere, by: countyReviewer, on: app.db)
            #expect(try await OrganizationStore.require(code, on: app.db).review.state == .county)
            // Whoever verified at county level cannot also confirm at city level.
            await #expect(throws: Refusal.self) {
                try await ReviewStore.confirm([code], at: .city, scope: .everywhere, by: countyReviewer, on: app.db)
            }
            _ = try await ReviewStore.confirm([code], at: .city, scope: .everywhere, by: cityReviewer, on: app.db)
            #expect(try await OrganizationStore.require(code, on: app.db).review.state == .city)

            // A return needs a reason; with one, the township sees it.
            let noReason = await #expect(throws: Refusal.self) {
                try await ReviewStore.returnRecords([code], at: .city, reason: "  ", scope: .everywhere, by: cityReviewer, on: app.db)
            }
            #expect(noReason?.message.contains("退回原因") == true)
            _ = try await ReviewStore.returnRecords([code], at: .city, reason: "成立日期与批复文件不符", scope: .everywhere, by: cityReviewer,
                                                    on: app.db)
            let returned = try await OrganizationStore.require(code, on: app.db)
            #expect(returned.review.state == .returned && returned.review.reason == "成立日期与批复文件不符")
            // Correcting it sends it to the county again.
            var fields = returned.fields
            fields.foundedOn = CalendarDay(year: 2012, month: 11, day: 6)
            let corrected = try await OrganizationStore.update(code, fields, expectedVersion: returned.version, by: township, on: app.db)
            #expect(corrected.record.review.state == .pending && corrected.record.review.reason == nil)
            let history = try await ReviewEvents.history(code, on: app.db)
            #expect(history.map(\.to) == [.county, .city, .returned, .pending])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aConfirmedRecordEditedDropsBackAndASignOffLocksEveryPath(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            var codes: [String] = []
            for index in 0..<3 {
                codes.append(try await OrganizationStore.create(sampleFields("签字测试第\(index)号团支部", stage: .founded), by: township,
                                                                on: app.db).record.code)
            }
            _ = try await ReviewStore.confirm(codes, at: .county, scope: .everywhere, by: countyReviewer, on: app.db)
            _ = try await ReviewStore.confirm(codes, at: .city, scope: .everywhere, by: cityReviewer, on: app.db)

            // A field the count does not use keeps the confirmation; one it uses drops it back.
            var record = try await OrganizationStore.require(codes[0], on: app.db)
            var fields = record.fields
            fields.secretaryPhone = "13905950000"
            record = try await OrganizationStore.update(codes[0], fields, expectedVersion: record.version, by: township, on: app.db).record
            #expect(record.review.state == .city)
            fields.unitCategory = "学校"
            record = try await OrganizationStore.update(codes[0], fields, expectedVersion: record.version, by: township, on: app.db).record
            #expect(record.review.state == .pending)
            let confirmed = try #require(try await ReviewStore.confirmedFields(codes[0], on: app.db))
            #expect(confirmed["单位类别"] == "非公企业")
            #expect(try await ReviewEvents.history(codes[0], on: app.db).last?.reason?.contains("单位类别") == true)

            // The city signs off the county: codes[1] and codes[2] are 市已确认.
            let signOff = try await SignOffStore.signOff(county: "350582", asOf: .today(), scope: .everywhere, by: cityReviewer, on: app.db)
            #expect(signOff.count == 2 && signOff.codes == Array(codes[1...]).sorted())
            #expect(signOff.sha256 == SHA256.hex(signOff.codes.joined(separator: "\n")) && signOff.hashMatches)
            let locked = try await OrganizationStore.require(codes[1], on: app.db)
            #expect(locked.review.signOffID == signOff.id)

            // No path changes a locked record.
            var lockedFields = locked.fields
            lockedFields.notes = "想改一下"
            let form = await #expect(throws: Refusal.self) {
                try await OrganizationStore.update(codes[1], lockedFields, expectedVersion: locked.version, by: township, on: app.db)
            }
            #expect(form?.message.contains("签字确认锁定") == true)
            await #expect(throws: Refusal.self) {
                try await OrganizationStore.changeStage(codes[1], .init(to: .dissolved, effectiveOn: .today(), reason: "单位注销"),
                                                        expectedVersion: locked.version, by: township, on: app.db)
            }
            await #expect(throws: Refusal.self) {
                try await ReviewStore.returnRecords([codes[1]], at: .city, reason: "复查", scope: .everywhere, by: cityReviewer, on: app.db)
            }
            let csv = "组织编码,乡镇（街道）,团组织名称,组织类型,单位类别,建团方式,建设阶段,筹建批复日期,成立日期,新建或联系指导\n"
                + "\(codes[1]),350582101,\(locked.fields.name),团支部,学校,单独建团,已建立,2012-10-20,2012-11-05,新建\n"
            let preview = try await LedgerImporter.preview(TabularFileReader(data: Data(csv.utf8)), scope: .everywhere, on: app.db)
            #expect(preview.updatedCount == 0)
            #expect(preview.rejected.map(\.rowNumber) == [2] && preview.rejected.first?.reason.contains("签字确认锁定") == true)
            await #expect(throws: Refusal.self) {
                try await LedgerImporter.commit(TabularFileReader(data: Data(csv.utf8)), fileName: "改签字.csv", scope: .everywhere,
                                                by: township, on: app.db)
            }
            #expect(try await OrganizationStore.require(codes[1], on: app.db) == locked)

            // Reopening needs a reason, and then the records can change again.
            await #expect(throws: Refusal.self) {
                try await SignOffStore.reopen(signOff.id, reason: "", scope: .everywhere, by: cityReviewer, on: app.db)
            }
            let reopened = try await SignOffStore.reopen(signOff.id, reason: "安海镇补报更正", scope: .everywhere, by: cityReviewer, on: app.db)
            #expect(!reopened.isOpen && reopened.reopenReason == "安海镇补报更正")
            let unlocked = try await OrganizationStore.update(codes[1], lockedFields, expectedVersion: locked.version, by: township, on: app.db)
            #expect(unlocked.record.review.signOffID == nil && unlocked.record.fields.notes == "想改一下")
        }
    }
}
