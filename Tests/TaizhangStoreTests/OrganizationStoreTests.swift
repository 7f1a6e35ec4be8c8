import FluentKit
import Foundation
import SQLKit
import TaizhangCore
@testable import TaizhangStore
import TaizhangTestSupport
import Testing


/// A 团支部 in 安海镇, as a cadre would enter it.
func sampleFields(_ name: String = "安海镇商会团支部", township: String = "350582101", stage: Stage = .preparing) -> OrganizationFields {
    OrganizationFields(
        name: name, townshipCode: township, orgType: "团支部", unitCategory: "非公企业", buildMode: "单独建团",
        stage: stage, preparationApprovedOn: CalendarDay(year: 2012, month: 10, day: 20),
        foundedOn: stage == .founded ? CalendarDay(year: 2012, month: 11, day: 5) : nil,
        secretaryName: "陈晓", secretaryPhone: "13905951234", memberCount: 5, youthCount: 30)
}

@Suite struct OrganizationStoreTests {
    @Test(arguments: TestDatabase.all)
    func createGivesTownshipCodesInSequenceAndATimeline(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let first = try await OrganizationStore.create(sampleFields(), by: testActor, on: app.db)
            let second = try await OrganizationStore.create(sampleFields("安海镇青年志愿者协会团支部"), by: testActor, on: app.db)
            #expect(first.record.code == "350582101-0001")
            #expect(second.record.code == "350582101-0002")
            #expect(first.record.divisionPath == "35/3505/350582/350582101/")
            #expect(first.record.version == 1)

            let founded = try await OrganizationStore.changeStage(
                first.record.code, .init(to: .founded, effectiveOn: CalendarDay(year: 2012, month: 11, day: 5)!),
                expectedVersion: 1, by: testActor, on: app.db)
            #expect(founded.record.fields.foundedOn == CalendarDay(year: 2012, month: 11, day: 5))
            #expect(founded.record.version == 2)
            let timeline = try await OrganizationStore.timeline(first.record.code, on: app.db)
            #expect(timeline.map(\.to) == [.preparing, .founded])
            #expect(timeline.first?.effectiveOn == "2012-10-20")

            let audit = try await AuditLog.events(entityType: "organization", entityID: first.record.code, on: app.db)
            #expect(Set(audit.map(\.action)) == ["organization.create", "organization.stage"])
        }
    }

    /// A create reads its township with the township's organizations in one statement: a code
    /// that is no division, or a division above a township, is refused by name and writes nothing.
    @Test(arguments: TestDatabase.all)
    func createRefusesAnUnknownTownshipOrOneThatIsNotATownship(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            await #expect(throws: Refusal("乡镇（街道）：找不到代码为「350582199」的乡镇")) {
                _ = try await OrganizationStore.create(sampleFields(township: "350582199"), by: testActor, on: app.db)
            }
            await #expect(throws: Refusal("乡镇（街道）：「晋江市」是县（市、区），团组织须建在乡镇（街道）之下")) {
                _ = try await OrganizationStore.create(sampleFields(township: "350582"), by: testActor, on: app.db)
            }
            // The first create into an empty township, then one beside it.
            let first = try await OrganizationStore.create(sampleFields(township: "350582102"), by: testActor, on: app.db).record
            let second = try await OrganizationStore.create(sampleFields("磁灶镇青年商会团支部", township: "350582102"), by: testActor, on: app.db).record
            #expect([first.code, second.code] == ["350582102-0001", "350582102-0002"])
            #expect(first.divisionPath == "35/3505/350582/350582102/")
            let stored = try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("organizations")
                .first()?.decode(column: "n", as: Int.self)
            #expect(stored == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func twoCadresSavingTheSameRecordNeverOverwriteEachOther(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let created = try await OrganizationStore.create(sampleFields(), by: testActor, on: app.db).record
            var mine = created.fields
            mine.memberCount = 8
            var theirs = created.fields
            theirs.secretaryName = "林峰"
            _ = try await OrganizationStore.update(created.code, mine, expectedVersion: 1, by: testActor, on: app.db)
            let error = await #expect(throws: Refusal.self) {
                _ = try await OrganizationStore.update(created.code, theirs, expectedVersion: 1, by: testActor, on: app.db)
            }
            #expect(error?.kind == .conflict)
            #expect(error?.message.contains("已被他人修改") == true)
            let stored = try await OrganizationStore.require(created.code, on: app.db)
            #expect(stored.fields.memberCount == 8)
            #expect(stored.fields.secretaryName == "陈晓")
            #expect(stored.version == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func stageRulesRefuseWithReasonsAndChecksWarn(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            var thin = sampleFields(stage: .founded)
            thin.memberCount = 2
            thin.foundedOn = CalendarDay(year: 2012, month: 10, day: 1)
            let saved = try await OrganizationStore.create(thin, by: testActor, on: app.db)
            #expect(saved.warnings.contains("团支部团员数为 2，少于 3 人"))
            #expect(saved.warnings.contains("成立日期 2012-10-01 早于筹建批复日期 2012-10-20"))
            let code = saved.record.code
            let day = CalendarDay(year: 2012, month: 12, day: 1)!

            await #expect(throws: InvalidInput(field: "原因", reason: "从「已建立」退回「筹建」须写明原因")) {
                _ = try await OrganizationStore.changeStage(code, .init(to: .preparing, effectiveOn: day), expectedVersion: 1, by: testActor, on: app.db)
            }
            await #expect(throws: InvalidInput(field: "原因", reason: "撤销须写明原因")) {
                _ = try await OrganizationStore.changeStage(code, .init(to: .dissolved, effectiveOn: day), expectedVersion: 1, by: testActor, on: app.db)
            }
            await #expect(throws: InvalidInput(field: "并入组织", reason: "合并须写明并入哪个组织")) {
                _ = try await OrganizationStore.changeStage(code, .init(to: .merged, effectiveOn: day, reason: "单位合并"),
                                                            expectedVersion: 1, by: testActor, on: app.db)
            }
            var future = sampleFields("未来团支部")
            future.preparationApprovedOn = CalendarDay.today().adding(days: 3)
            let refusal = await #expect(throws: Refusal.self) {
                _ = try await OrganizationStore.create(future, by: testActor, on: app.db)
            }
            #expect(refusal?.message.contains("筹建批复日期") == true)
            var noDate = sampleFields("无日期团支部", stage: .founded)
            noDate.foundedOn = nil
            let missing = await #expect(throws: Refusal.self) {
                _ = try await OrganizationStore.create(noDate, by: testActor, on: app.db)
            }
            #expect(missing?.message == "成立日期：建设阶段为「已建立」时必须填写成立日期")

            let other = try await OrganizationStore.create(sampleFields("磁灶镇团支部", township: "350582102"), by: testActor, on: app.db)
            let merged = try await OrganizationStore.changeStage(
                code, .init(to: .merged, effectiveOn: day, reason: "两企业合并", mergedInto: other.record.code),
                expectedVersion: 1, by: testActor, on: app.db)
            #expect(merged.record.mergedIntoCode == other.record.code)
            #expect(merged.record.fields.stage == .merged)
            // Nothing is erased: the merged record and its history stay.
            #expect(try await OrganizationStore.timeline(code, on: app.db).last?.reason == "两企业合并")
        }
    }

    @Test(arguments: TestDatabase.all)
    func organizationsFollowTheirTownshipIntoAZone(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let org = try await OrganizationStore.create(sampleFields("洛阳镇团委", township: "350521104"), by: testActor, on: app.db)
            let zone = try await DivisionEditor.addManagementZone(.init(cityCode: "3505", name: "泉州台商投资区", leagueCommitteeName: nil), by: testActor, on: app.db)
            _ = try await TownshipMover.move(.init(townshipCode: "350521104", toParentCode: zone.code,
                                                            effectiveDate: CalendarDay(year: 2012, month: 10, day: 8)!, reason: "管委会"),
                                                      by: testActor, on: app.db)
            #expect(try await OrganizationStore.require(org.record.code, on: app.db).divisionPath == "35/3505/3505Z01/350521104/")
            let inZone = try await LedgerQuery.page(LedgerFilter(scope: .within("35/3505/3505Z01/")), sort: .ledger, after: nil, limit: 10, on: app.db)
            #expect(inZone.records.map(\.code) == [org.record.code])
        }
    }

    @Test(arguments: TestDatabase.all)
    func keysetPagesWalkTheWholeFilteredLedgerOnce(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            for (index, township) in ["350582101", "350582102", "350583101"].enumerated() {
                for n in 0..<7 {
                    _ = try await OrganizationStore.create(sampleFields("团支部\(index)-\(n)", township: township,
                                                                        stage: n % 2 == 0 ? .founded : .preparing),
                                                           by: testActor, on: app.db)
                }
            }
            for sort in LedgerSort.allCases {
                var filter = LedgerFilter(scope: .within("35/3505/350582/"))
                filter.stages = [.founded]
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await LedgerQuery.page(filter, sort: sort, after: cursor, limit: 3, on: app.db)
                    seen += page.records.map(\.code)
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(seen.count == 8, "\(sort)")
                #expect(Set(seen).count == 8, "\(sort)")
                #expect(seen.allSatisfy { $0.hasPrefix("350582") }, "\(sort)")
            }
            #expect(try await LedgerQuery.count(LedgerFilter(scope: .within("35/")), cap: 10_000, on: app.db) == 21)
            #expect(try await LedgerQuery.count(LedgerFilter(scope: .within("35/")), cap: 5, on: app.db) == 5)
            var text = LedgerFilter(scope: .everywhere)
            text.text = "1-3"
            #expect(try await LedgerQuery.page(text, sort: .name, after: nil, limit: 50, on: app.db).records.map(\.fields.name) == ["团支部1-3"])
        }
    }

    /// Past 9,999 a township's codes grow a digit, and "…-10000" sorts before "…-9999" as text:
    /// the next code, for an import and for one new record alike, follows the largest number.
    @Test(arguments: TestDatabase.all)
    func codesPastNineThousandNineHundredNinetyNineKeepCounting(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let first = try await OrganizationStore.create(sampleFields(), by: testActor, on: app.db).record
            // Two rows like the first, numbered 9999 and 10000, written directly: creating ten
            // thousand organizations one by one would take the test minutes.
            let columns = OrganizationRow.columns
            for number in ["9999", "10000"] {
                let values = columns.map { column in
                    column == "code" ? "'350582101-\(number)'" : column == "name" ? "name || '\(number)'" : column
                }
                let copy = "INSERT INTO organizations (\(columns.joined(separator: ", "))) SELECT \(values.joined(separator: ", ")) "
                    + "FROM organizations WHERE code = '\(first.code)'"
                try await app.db.sql.raw("\(unsafeRaw: copy)").run()
            }
            let next = try await OrganizationStore.nextNumbers(townships: ["350582101", "350582102"], on: app.db)
            #expect(next == ["350582101": 10_001, "350582102": 1])
            let created = try await OrganizationStore.create(sampleFields("安海镇第三团支部"), by: testActor, on: app.db).record
            #expect(created.code == "350582101-10001")
        }
    }

    /// An organization moved to another township keeps its code: the township that gave it never
    /// gives it again, and the township it moved to does not count it as one of its own.
    @Test(arguments: TestDatabase.all)
    func aMovedOrganizationsCodeIsNotGivenAgain(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            _ = try await OrganizationStore.create(sampleFields("安海镇第一团支部"), by: testActor, on: app.db)
            let second = try await OrganizationStore.create(sampleFields("安海镇第二团支部"), by: testActor, on: app.db).record
            #expect(second.code == "350582101-0002")
            var moved = second.fields
            moved.townshipCode = "350582102"
            _ = try await OrganizationStore.update(second.code, moved, expectedVersion: second.version, by: testActor, on: app.db)

            let next = try await OrganizationStore.nextNumbers(townships: ["350582101", "350582102"], on: app.db)
            #expect(next == ["350582101": 3, "350582102": 1])
            let here = try await OrganizationStore.create(sampleFields("安海镇第三团支部"), by: testActor, on: app.db).record
            #expect(here.code == "350582101-0003")
            let there = try await OrganizationStore.create(sampleFields("另一镇第一团支部", township: "350582102"), by: testActor, on: app.db).record
            #expect(there.code == "350582102-0001")
            // The moved organization's name is taken where it is now, and free where it was.
            await #expect(throws: Refusal.self) {
                try await OrganizationStore.create(sampleFields("安海镇第二团支部", township: "350582102"), by: testActor, on: app.db)
            }
            let again = try await OrganizationStore.create(sampleFields("安海镇第二团支部"), by: testActor, on: app.db).record
            #expect(again.code == "350582101-0004")
        }
    }
}
