import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

/// Red flags from kept townships (`RedFlagParts`): after every kind of change — through the store
/// and by plain SQL, which only the triggers see — they equal the flags computed from scratch, and
/// only the townships the change touched are read and checked again.
@Suite struct RedFlagPartsTests {
    let today = CalendarDay(year: 2012, month: 12, day: 20)!
    let scope = Scope.within("35/3505/")

    func context(today: CalendarDay? = nil) -> RedFlagStore.Context {
        let cutoffs = [RedFlagCutoff(day: RedFlagLedger.deadline, label: "活动截止日")]
            + RedFlagCutoff.halfMonthEnds(from: RedFlagLedger.start, through: RedFlagLedger.deadline)
        return RedFlagStore.Context(today: today ?? self.today, cutoffs: cutoffs)
    }

    @Test(arguments: TestDatabase.all)
    func keptTownshipsGiveTheFlagsOfAWholeComputationAfterEveryKindOfChange(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let townships = try await DivisionQueries.townships(under: scope, on: app.db)
            let jinjiang = townships.filter { $0.countyCode == "350582" }
            let anhai = jinjiang.first { $0.name == "安海镇" }!, cizao = jinjiang.first { $0.name == "磁灶镇" }!
            let codes = try await RedFlagLedger.write(RedFlagLedger.clean(count: 1_500, over: townships), on: app.db)
            let used = Set(codes.keys.map { String($0.prefix { $0 != "/" }) }).count
            func organization(in township: DivisionQueries.TownshipLabel, _ offset: Int = 0) async throws -> OrganizationRecord {
                let code = codes.filter { $0.key.hasPrefix(township.code + "/") }.values.sorted()[offset]
                return try await OrganizationStore.require(code, on: app.db)
            }

            let parts = RedFlagParts()
            func check(_ step: String, recomputed: Int, today: CalendarDay? = nil) async throws {
                let before = parts.townshipsComputed
                let kept = try await RedFlagStore.flags(in: scope, context(today: today), parts: parts, on: app.db)
                let whole = try await RedFlagStore.flags(in: scope, context(today: today), on: app.db)
                #expect(kept == whole, "\(step): kept \(kept.map(\.sentence)) against whole \(whole.map(\.sentence))")
                #expect(parts.townshipsComputed - before == recomputed, "\(step): townships checked again")
            }
            try await check("the first computation", recomputed: used)
            try await check("nothing changed", recomputed: 0)

            // Through the store: a rename that makes a near-duplicate inside 安海镇.
            let first = try await organization(in: anhai), second = try await organization(in: anhai, 1)
            var fields = second.fields
            fields.name = first.fields.name + "团支部"
            _ = try await OrganizationStore.update(second.code, fields, expectedVersion: second.version, by: testActor, on: app.db)
            try await check("a rename in 安海镇", recomputed: 1)
            #expect(try await RedFlagStore.flags(in: scope, context(), parts: parts, on: app.db).contains { $0.kind == .nearDuplicateName })

            // Bookkeeping columns leave every township as kept.
            try await app.db.sql.update("organizations").set("review_state", to: "county_confirmed").set("review_reason", to: "核实")
                .where("division_path", .equal, first.divisionPath).run()
            try await check("review states only", recomputed: 0)

            // By plain SQL: one phone behind five organizations of five townships (five recomputed,
            // and the shared-phone flag is found across them from the kept records).
            for township in jinjiang.prefix(5) {
                let record = try await organization(in: township, 2)
                try await app.db.sql.update("organizations").set("secretary_phone", to: "13800138000").where("code", .equal, record.code).run()
            }
            try await check("one phone in five townships", recomputed: 5)
            #expect(try await RedFlagStore.flags(in: scope, context(), parts: parts, on: app.db).contains { $0.kind == .sharedPhone })

            // A record moved from 安海镇 to 磁灶镇 under the same name as one there: both townships again, and a cross-township duplicate.
            let moved = try await organization(in: anhai, 3), there = try await organization(in: cizao)
            try await app.db.sql.update("organizations").set("division_path", to: there.divisionPath).set("township_code", to: cizao.code)
                .set("name", to: there.fields.name).where("code", .equal, moved.code).run()
            try await check("a move between townships", recomputed: 2)

            // A record dissolved, one created through the store, one deleted.
            try await app.db.sql.update("organizations").set("stage", to: Stage.dissolved.rawValue).where("code", .equal, first.code).run()
            try await check("a record dissolved", recomputed: 1)
            var created = (try await organization(in: cizao, 1)).fields
            created.name = "磁灶镇新建青年志愿者协会团支部"
            _ = try await OrganizationStore.create(created, by: testActor, on: app.db)
            try await check("a record created", recomputed: 1)
            let gone = try await organization(in: jinjiang[6])
            for table in ["organization_stage_events", "organization_review_events"] {
                try await app.db.sql.delete(from: table).where("organization_code", .equal, gone.code).run()
            }
            try await app.db.sql.delete(from: "organizations").where("code", .equal, gone.code).run()
            try await check("a record deleted", recomputed: 1)

            // Another day is another context: every township again.
            try await check("the next day", recomputed: used, today: today.adding(days: 1))
        }
    }
}
