import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

/// Many cadres saving at the same moment — on PostgreSQL through two app instances on one
/// database, as behind a load balancer: no refusal, no lost write, no code given twice, counts exact.
@Suite struct ConcurrentWriteTests {
    @Test(arguments: TestDatabase.all)
    func simultaneousCreatesInOneTownshipEachGetTheirOwnCodeAndCountsStayExact(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            try await withSecondInstance(of: app) { other in
                // Several instances share a PostgreSQL database; an SQLite file is served by one process (two
                // instances in one process would also share SQLite's two blocking threads between four
                // connections, and a writer waiting for the lock could starve the one holding it).
                let second = database.isPostgres ? other : app
                // Enough to collide every time on PostgreSQL before codes were serialized. On SQLite a writer
                // waiting for the lock sleeps on one of SQLiteNIO's two blocking threads, which every SQLite
                // test in the process shares: a few writers keep the queue inside the pool's 10 s wait.
                let creators = database.isPostgres ? 10 : 4
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
}
