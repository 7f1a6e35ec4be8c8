import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

@Suite struct DivisionEditorTests {
    static let moveDay = CalendarDay(year: 2012, month: 10, day: 8)!

    private func loadQuanzhou(_ db: any Database) async throws {
        _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
    }

    @Test(arguments: TestDatabase.all)
    func zoneTakesOverTownshipsWhichKeepTheirCodes(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await loadQuanzhou(app.db)
            let zone = try await DivisionEditor.addManagementZone(
                .init(cityCode: "3505", name: "泉州台商投资区", leagueCommitteeName: "泉州台商投资区团工委"),
                by: testActor, on: app.db)
            #expect(zone.code == "3505Z01")
            #expect(zone.isManagementZone)
            #expect(zone.level == .county)
            for code in ["350521104", "350521105", "350521106", "350521200"] {
                let moved = try await TownshipMover.move(
                    .init(townshipCode: code, toParentCode: zone.code, effectiveDate: Self.moveDay, reason: "管委会管理"),
                    by: testActor, on: app.db)
                #expect(moved.code == code)
                #expect(moved.parentCode == zone.code)
                #expect(moved.statisticalParentCode == "350521")
                #expect(moved.path == "35/3505/3505Z01/\(code)/")
            }
            let zoneChildren = try await DivisionQueries.children(of: zone.code, on: app.db)
            #expect(zoneChildren.map(\.name) == ["洛阳镇", "东园镇", "张坂镇", "百崎回族乡"])
            #expect(try await DivisionQueries.children(of: "350521", on: app.db).count == 16)
            let city = try await DivisionQueries.require("3505", on: app.db)
            let counts = try await DivisionQueries.descendantCounts(of: [city, zone], on: app.db)
            #expect(counts["3505"]?[.township] == 175)
            #expect(counts["3505"]?[.county] == 13)
            #expect(counts[zone.code]?[.township] == 4)

            let moves = try await DivisionEditor.moves(of: "350521104", on: app.db)
            #expect(moves.count == 1)
            #expect(moves.first?.effectiveDate == "2012-10-08")
            #expect(moves.first?.actorName == "测试")
            #expect(moves.first?.fromParentCode == "350521")

            let audit = try await AuditLog.events(entityType: "division", entityID: "350521104", on: app.db)
            #expect(audit.count == 1)
            #expect(audit.first?.action == "division.township.move")
            #expect(audit.first?.beforeJSON?.contains("\"parentCode\":\"350521\"") == true)
            #expect(audit.first?.afterJSON?.contains("\"parentCode\":\"3505Z01\"") == true)
            #expect(audit.first?.clientAddress == "127.0.0.1")
        }
    }

    @Test(arguments: TestDatabase.all)
    func refusedMovesChangeNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await loadQuanzhou(app.db)
            _ = try await DivisionLoader.load(region: "3502", from: bundledDivisions, by: testActor, on: app.db)
            let auditBefore = try await AuditEvent.query(on: app.db).count()
            let cases: [(String, String, UserFacingErrorKind)] = [
                ("350521", "350582", .invalidInput),      // a county is not a township
                ("350521104", "350582001", .invalidInput), // target is a township
                ("350521104", "350521", .conflict),       // already there
                ("350521104", "350203", .invalidInput),   // 厦门 is another city
                ("350521104", "999999", .notFound),
            ]
            for (township, target, kind) in cases {
                await #expect {
                    try await TownshipMover.move(
                        .init(townshipCode: township, toParentCode: target, effectiveDate: Self.moveDay, reason: nil),
                        by: testActor, on: app.db)
                } throws: { error in
                    (error as? Refusal)?.kind == kind
                }
            }
            let luoyang = try await DivisionQueries.require("350521104", on: app.db)
            #expect(luoyang.parentCode == "350521")
            #expect(try await DivisionMove.query(on: app.db).count() == 0)
            #expect(try await AuditEvent.query(on: app.db).count() == auditBefore)
        }
    }

    @Test(arguments: TestDatabase.all)
    func attributesAreValidatedAndAudited(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await loadQuanzhou(app.db)
            let updated = try await DivisionEditor.updateAttributes(
                of: "350582103", .init(keyAreaTags: [.developed, .smallTown], youthPopulation: 12_000),
                by: testActor, on: app.db)
            #expect(updated.keyAreaTags == [.developed, .smallTown])
            #expect(updated.youthPopulation == 12_000)
            let reread = try await DivisionQueries.require("350582103", on: app.db)
            #expect(reread.keyAreaTagsText == "small_town,developed")

            await #expect(throws: Refusal.self) {
                try await DivisionEditor.updateAttributes(of: "350582103", .init(youthPopulation: -5), by: testActor, on: app.db)
            }
            await #expect(throws: Refusal.self) {
                try await DivisionEditor.updateAttributes(of: "350582", .init(keyAreaTags: [.countySeat]), by: testActor, on: app.db)
            }
            #expect(try await DivisionQueries.require("350582103", on: app.db).youthPopulation == 12_000)
            // Saving the same values again records nothing.
            _ = try await DivisionEditor.updateAttributes(
                of: "350582103", .init(keyAreaTags: [.smallTown, .developed]), by: testActor, on: app.db)
            #expect(try await AuditLog.events(entityType: "division", entityID: "350582103", on: app.db).count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func zoneNamesAreCheckedAndCodesCountUp(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await loadQuanzhou(app.db)
            await #expect(throws: Refusal.self) {
                try await DivisionEditor.addManagementZone(.init(cityCode: "3505", name: "  ", leagueCommitteeName: nil), by: testActor, on: app.db)
            }
            await #expect(throws: Refusal.self) {
                try await DivisionEditor.addManagementZone(.init(cityCode: "3505", name: "晋江市", leagueCommitteeName: nil), by: testActor, on: app.db)
            }
            await #expect(throws: Refusal.self) {
                try await DivisionEditor.addManagementZone(.init(cityCode: "350582", name: "开发区", leagueCommitteeName: nil), by: testActor, on: app.db)
            }
            let first = try await DivisionEditor.addManagementZone(.init(cityCode: "3505", name: "甲区", leagueCommitteeName: nil), by: testActor, on: app.db)
            let second = try await DivisionEditor.addManagementZone(.init(cityCode: "3505", name: "乙区", leagueCommitteeName: nil), by: testActor, on: app.db)
            #expect([first.code, second.code] == ["3505Z01", "3505Z02"])
        }
    }
}
