import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

/// Many cadres saving at the same moment through two app instances on one database: no
/// refusal, no lost write, no code given twice, counts exact.
@Suite struct ConcurrentWriteTests {
    @Test(arguments: TestDatabase.all)
    func simultaneousCreatesInOneTownshipEachGetTheirOwnCodeAndCountsStayExact(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            try await withSecondInstance(of: app) { other in
                // Two instances on one database: on PostgreSQL as behind a load balancer; on SQLite in one
                // process, whose writes to the file queue in SQLiteWriteQueue and commit in groups.
                let second = other
                // Enough to collide every time on PostgreSQL before codes were serialized.
                let creators = 10
                let codes = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<creators {
                        let db = (index.isMultiple(of: 2) ? app : second).db
                        group.addTask {
                            var fields = sampleFields("并发登记第\(index)号团支部", stage: index.isMultiple(of: 3) ? .founded : .preparing)
                            fields.unitCategory = index.isMultiple(of: 4) ? "学校" : "非公企业"
                            return try await OrganizationStore.create(fields, by: testActor, on: db).record.code
                        }
                    }
                    var codes: [String] = []
                    for try await code in group { codes.append(code) }
                    return codes
                }
                #expect(codes.count == creators)
                let expected: Set<String> = Set((1...creators).map { number in
                    let digits = String(number)
                    return "350582101-" + String(repeating: "0", count: 4 - digits.count) + digits
                })
                #expect(Set(codes) == expected)

                // The running counts at every level equal a direct count of the ledger.
                for (division, column) in [("350582101", "township_code"), ("350582", nil), ("3505", nil)] as [(String, String?)] {
                    let counted = try await app.db.sql.select().column(SQLRaw("CAST(SUM(count) AS INTEGER)"), as: "n")
                        .from("ledger_daily_counts").where("division_code", .equal, division).first()?.decode(column: "n", as: Int.self)
                    var direct = app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("organizations")
                    if let column { direct = direct.where(SQLColumn(column), .equal, SQLBind(division)) }
                    let directCount = try await direct.first()?.decode(column: "n", as: Int.self)
                    #expect(counted == directCount, "\(division)")
                    let mix = try await app.db.sql.select().column(SQLRaw("CAST(SUM(count) AS INTEGER)"), as: "n")
                        .from("ledger_mix_counts").where("division_code", .equal, division).first()?.decode(column: "n", as: Int.self)
                    #expect(mix == counted, "\(division) mix")
                }
                let audit = try await AuditLog.search(.init(action: "organization.create"), scope: .everywhere, limit: 100, on: app.db)
                #expect(audit.count == creators)
            }
        }
    }

    /// Writes that arrive together share a transaction on SQLite (one disk flush for the group),
    /// each in its own savepoint: a write that fails after writing leaves nothing behind and
    /// takes nobody else's write with it; every caller gets its own answer.
    @Test(arguments: TestDatabase.all)
    func aFailedWriteAmongConcurrentOnesUndoesOnlyItself(_ database: TestDatabase) async throws {
        struct Refused: Error, Equatable { var index: Int }
        try await withTestApp(database) { app async throws in
            try await app.db.sql.raw("CREATE TABLE write_probe (n INTEGER PRIMARY KEY)").run()
            let outcomes = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do {
                            let written = try await writeTransaction(on: app.db) { db in
                                try await db.sql.raw("INSERT INTO write_probe (n) VALUES (\(bind: index))").run()
                                if index.isMultiple(of: 3) { throw Refused(index: index) }
                                return index
                            }
                            return (index, .success(written))
                        } catch let refused as Refused {
                            return (index, .failure(refused))
                        } catch {
                            return (index, .failure(Refused(index: -1)))
                        }
                    }
                }
                var outcomes: [Int: Result<Int, Refused>] = [:]
                for await (index, outcome) in group { outcomes[index] = outcome }
                return outcomes
            }
            for index in 0..<40 {
                #expect(outcomes[index] == (index.isMultiple(of: 3) ? .failure(Refused(index: index)) : .success(index)), "\(index)")
            }
            let kept = try await app.db.sql.raw("SELECT n FROM write_probe ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) }
            #expect(kept == (0..<40).filter { !$0.isMultiple(of: 3) })
        }
    }
}
