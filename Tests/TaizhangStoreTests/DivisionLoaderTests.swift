import FluentKit
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

@Suite struct DivisionLoaderTests {
    @Test(arguments: TestDatabase.all)
    func loadingACityTwiceChangesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let first = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            #expect(first.inserted == 189)
            let auditAfterFirst = try await AuditEvent.query(on: app.db).count()
            let second = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            #expect(second.inserted == 0)
            #expect(try await Division.query(on: app.db).count() == 189)
            #expect(try await AuditEvent.query(on: app.db).count() == auditAfterFirst)
        }
    }

    @Test(arguments: TestDatabase.all)
    func loadingTheProvinceKeepsWhatCadresChangedInTheCity(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let zone = try await DivisionEditor.addManagementZone(
                .init(cityCode: "3505", name: "泉州台商投资区", leagueCommitteeName: nil), by: testActor, on: app.db)
            _ = try await TownshipMover.move(
                .init(townshipCode: "350521104", toParentCode: zone.code,
                      effectiveDate: CalendarDay(year: 2012, month: 10, day: 8)!, reason: nil),
                by: testActor, on: app.db)
            let province = try await DivisionLoader.load(region: "35", from: bundledDivisions, by: testActor, on: app.db)
            #expect(province.inserted == province.rowsInRegion - 189)
            let luoyang = try await DivisionQueries.require("350521104", on: app.db)
            #expect(luoyang.parentCode == zone.code)
            let fujianTownships = try await Division.query(on: app.db)
                .filter(\.$levelCode == "township").count()
            #expect(fujianTownships == 1_170)
        }
    }

    @Test(arguments: TestDatabase.all)
    func homeStartsAtTheLoadedRegion(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            #expect(try await DivisionQueries.deploymentRoots(on: app.db).isEmpty)
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            #expect(try await DivisionQueries.deploymentRoots(on: app.db).map(\.code) == ["3505"])
            _ = try await DivisionLoader.load(region: "35", from: bundledDivisions, by: testActor, on: app.db)
            #expect(try await DivisionQueries.deploymentRoots(on: app.db).map(\.code) == ["35"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownRegionWritesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            await #expect(throws: DivisionTable.UnknownRegion.self) {
                try await DivisionLoader.load(region: "9999", from: bundledDivisions, by: testActor, on: app.db)
            }
            #expect(try await Division.query(on: app.db).count() == 0)
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func searchFindsByNameAndCode(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let jinjiang = try await DivisionQueries.search("晋江", on: app.db)
            #expect(jinjiang.first?.code == "350582")
            #expect(try await DivisionQueries.search("350502001", on: app.db).map(\.name) == ["海滨街道"])
            #expect(try await DivisionQueries.search("100%_", on: app.db).isEmpty)
        }
    }
}
