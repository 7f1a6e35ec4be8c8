import FluentKit
import Foundation
import SQLKit
import TaizhangCore
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// Migrations are frozen: what migration 005 writes for a ledger recorded before it is written
/// inside it, and equals what the live running counts hold for the same ledger.
@Suite struct FrozenMigrationTests {
    private func snapshot(_ table: String, _ columns: [String], on db: any Database) async throws -> [String] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) } + [SQLColumn("count")]).from(table)
            .where("count", .notEqual, 0).all().map { row in
                try (columns.map { try row.decode(column: $0, as: String.self) } + [String(try row.decode(column: "count", as: Int.self))])
                    .joined(separator: "|")
            }.sorted()
    }

    @Test(arguments: TestDatabase.all)
    func migration005BackfillsTheSameCountsAsTheLiveLedger(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            for (index, township) in ["350582101", "350582101", "350582102", "350583101", "350521104"].enumerated() {
                var fields = sampleFields("冻结迁移测试第\(index)号团支部", township: township, stage: index.isMultiple(of: 2) ? .founded : .preparing)
                fields.guidance = index == 3 ? .guidedOnly : .newlyBuilt
                _ = try await OrganizationStore.create(fields, by: testActor, on: app.db)
            }
            let dailyColumns = ["division_code", "stage", "guidance", "founded_on"]
            let mixColumns = ["division_code", "stage", "guidance", "unit_category", "build_mode"]
            let live = (try await snapshot("ledger_daily_counts", dailyColumns, on: app.db), try await snapshot("ledger_mix_counts", mixColumns, on: app.db))
            #expect(!live.0.isEmpty && !live.1.isEmpty)
            try await app.db.sql.delete(from: "ledger_daily_counts").run()
            try await app.db.sql.delete(from: "ledger_mix_counts").run()
            try await CreateCampaigns.backfillCounts(on: app.db)
            #expect(try await snapshot("ledger_daily_counts", dailyColumns, on: app.db) == live.0)
            #expect(try await snapshot("ledger_mix_counts", mixColumns, on: app.db) == live.1)
        }
    }
}
