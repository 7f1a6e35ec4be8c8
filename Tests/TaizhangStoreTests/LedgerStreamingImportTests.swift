import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// The import reads a file a chunk at a time (`LedgerImporter.chunkSize` rows), writing each
/// chunk as soon as it is checked, and reads it again only to list every rejection when a row is
/// rejected. A file ten chunks long, with bad rows planted so that each check across rows spans
/// chunks: the preview names exactly those rows, the commit writes nothing (though chunks before
/// the first bad row were written), and without them the ledger, its running counts, stage
/// events and audit trail hold every row, in file order.
@Suite struct LedgerStreamingImportTests {
    static let size = 50_000

    static func line(_ values: [LedgerColumn: String]) -> String {
        LedgerColumn.allCases.map { CSVWriter.field(values[$0] ?? "") }.joined(separator: ",")
    }

    @Test(arguments: TestDatabase.all)
    func aFileTenChunksLongIsCheckedAcrossChunksAndWrittenWhole(_ database: TestDatabase) async throws {
        #expect(Self.size >= 10 * LedgerImporter.chunkSize)
        try await withTestApp(database) { app async throws in
            let db = app.db
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
            let townships = try await DivisionQueries.townships(under: .within("35/3505/"), on: db)
            let generated = LedgerTotalAndSearchTests.generate(Self.size, over: townships)
            var lines = generated.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let header = lines.removeFirst()
            if lines.last == "" { lines.removeLast() }
            let body = lines
            let first = townships[0]

            // Planted rows, by the index (0-based, below the header) they are inserted at.
            let duplicateOf = body[2]  // row 4 of the file
            let unknownCode = first.code + "-9999"
            let planted: [(index: Int, line: String)] = [
                (7_777, Self.line([.county: first.countyName, .township: "不存在镇", .name: "幽灵团支部", .orgType: "团支部", .stage: "筹建"])),
                (12_345, Self.line([.township: first.code, .name: "团员数有误团支部", .orgType: "团支部", .stage: "筹建", .memberCount: "很多"])),
                (20_001, Self.line([.code: unknownCode, .township: first.code, .name: "编码有误团支部", .orgType: "团支部", .stage: "筹建"])),
                (39_999, Self.line([.code: unknownCode, .township: first.code, .name: "编码重复团支部", .orgType: "团支部", .stage: "筹建"])),
                (46_000, duplicateOf),
            ]
            var withPlanted = body
            for plant in planted { withPlanted.insert(plant.line, at: plant.index) }
            let row = { (index: Int) in index + 2 }  // the header is row 1
            let file = ([header] + withPlanted).joined(separator: "\n") + "\n"

            let preview = try await LedgerImporter.preview(try TabularFileReader(data: Data(file.utf8)), scope: .everywhere, on: db)
            #expect(preview.rowCount == Self.size + planted.count)
            #expect(preview.newCount == Self.size)
            #expect(preview.rejected.map(\.rowNumber) == planted.map { row($0.index) })
            #expect(preview.rejected.map(\.column) == [LedgerColumn.township.header, LedgerColumn.memberCount.header,
                                                       LedgerColumn.code.header, LedgerColumn.code.header, LedgerColumn.name.header])
            #expect(preview.rejected[2].reason == "台账中没有编码为「\(unknownCode)」的团组织（新组织请留空）")
            #expect(preview.rejected[3].reason == "与第 \(row(20_001)) 行的组织编码「\(unknownCode)」重复")
            #expect(preview.rejected[4].reason == "与第 4 行重复（同一乡镇下同名的团组织）")
            #expect(preview.sample.count == 200 && preview.sampleTruncated)

            await #expect(throws: Refusal.self) {
                try await LedgerImporter.commit(try TabularFileReader(data: Data(file.utf8)), fileName: "有错.csv",
                                                scope: .everywhere, by: testActor, on: db)
            }
            #expect(try await Self.count("organizations", on: db) == 0)
            #expect(try await LedgerQuery.total(LedgerFilter(scope: .everywhere), cap: 10, on: db).count == 0)
            // The command line's import gives the dry run's preview, and writes nothing either.
            let ran = try await LedgerImporter.run(try TabularFileReader(data: Data(file.utf8)), fileName: "有错.csv", dryRun: false,
                                                   scope: .everywhere, by: testActor, on: db)
            #expect(ran.preview == preview && !ran.committed)
            #expect(try await Self.count("organizations", on: db) == 0)
            #expect(try await Self.count("audit_events", where: "organization.import.create", on: db) == 0)

            // Without the planted rows: every row written, numbered in file order per township.
            // The running counts are written as the tally fills: every 1,000 keys here, so many times.
            let clean = ([header] + body).joined(separator: "\n") + "\n"
            let committed = try await LedgerImporter.$tallyKeysHeld.withValue(1_000) {
                try await LedgerImporter.commit(try TabularFileReader(data: Data(clean.utf8)), fileName: "生成台账.csv",
                                                scope: .everywhere, by: testActor, on: db)
            }
            #expect(committed.newCount == Self.size && committed.rejected.isEmpty)
            #expect(try await Self.count("organizations", on: db) == Self.size)
            if !db.isSQLite {
                // The planner's statistics know the rows the import wrote (ANALYZE samples them).
                let known = try await db.sql.raw("SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'organizations'::regclass")
                    .first()?.decode(column: "n", as: Double.self)
                #expect(known.map { abs($0 - Double(Self.size)) < Double(Self.size) / 10 } == true)
            }
            #expect(try await Self.count("organization_stage_events", on: db) == Self.size)
            #expect(try await Self.count("audit_events", where: "organization.import.create", on: db) == Self.size)
            #expect(try await Self.count("audit_events", where: "ledger.import", on: db) == 1)
            #expect(try await LedgerQuery.total(LedgerFilter(scope: .everywhere), cap: 10, on: db).count == Self.size)
            // Every running count, at every level and key, is what a recount of the ledger gives.
            let written = try await Self.runningCounts(on: db)
            #expect(written.count > 1_000)
            try await LedgerCounts.rebuild(on: db)
            #expect(try await Self.runningCounts(on: db) == written)
            for township in [townships[0], townships[townships.count - 1]] {
                let inFile = body.filter { $0.contains(",\(township.code),") }.map { Self.unquoted($0.split(separator: ",", omittingEmptySubsequences: false)[3]) }
                let byCode = try await db.sql.select().columns("code", "name").from("organizations")
                    .where("township_code", .equal, township.code).orderBy("code").all()
                let names = try byCode.map { try $0.decode(column: "name", as: String.self) }
                #expect(names == inFile)
                #expect(try byCode.last?.decode(column: "code", as: String.self)
                        == OrganizationStore.codes(township: township.code, from: inFile.count, count: 1)[0])
            }

            // Every seventh organization's 团员数 changed through a file of five columns.
            let stored = try await db.sql.select().columns("code", "township_code", "name", "member_count").from("organizations")
                .orderBy("code").all()
            var update = [LedgerColumn.code, .township, .name, .orgType, .memberCount].map(\.header).joined(separator: ",") + "\n"
            var changed = 0
            for (index, record) in stored.enumerated() {
                var members = try record.decode(column: "member_count", as: Int.self)
                if index % 7 == 0 { members += 1; changed += 1 }
                update += [try record.decode(column: "code", as: String.self), try record.decode(column: "township_code", as: String.self),
                           try record.decode(column: "name", as: String.self), "团支部", String(members)].map(CSVWriter.field).joined(separator: ",") + "\n"
            }
            let membersBefore = try await Self.sumOfMembers(on: db)
            let updated = try await LedgerImporter.commit(try TabularFileReader(data: Data(update.utf8)), fileName: "团员数.csv",
                                                          scope: .everywhere, by: testActor, on: db)
            #expect(updated.updatedCount == changed && updated.unchangedCount == Self.size - changed && updated.newCount == 0)
            #expect(try await Self.sumOfMembers(on: db) == membersBefore + changed)
            #expect(try await Self.count("organizations", on: db) == Self.size)
            #expect(try await Self.count("audit_events", where: "organization.import.update", on: db) == changed)
        }
    }

    /// Every non-zero running count, one line a row, in key order.
    static func runningCounts(on db: any Database) async throws -> [String] {
        var lines: [String] = []
        for (table, keys) in [(LedgerCounts.dailyTable, LedgerCounts.dailyKeyColumns), (LedgerCounts.mixTable, LedgerCounts.mixKeyColumns)] {
            var query = db.sql.select().columns((keys + ["count"]).map { SQLColumn($0) }).from(table).where("count", .notEqual, 0)
            for key in keys { query = query.orderBy(key) }
            for row in try await query.all() {
                lines.append(table + ":" + (try keys.map { try row.decode(column: $0, as: String.self) }.joined(separator: "|"))
                             + "=" + String(try row.decode(column: "count", as: Int.self)))
            }
        }
        return lines
    }

    /// A CSV field as written by `CSVWriter.field` (no commas in these names), read back.
    static func unquoted(_ field: Substring) -> String {
        guard field.hasPrefix("\"") else { return String(field) }
        return field.dropFirst().dropLast().replacingOccurrences(of: "\"\"", with: "\"")
    }

    static func count(_ table: String, where action: String? = nil, on db: any Database) async throws -> Int {
        var query = db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
        if let action { query = query.where("action", .equal, action) }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? -1
    }

    static func sumOfMembers(on db: any Database) async throws -> Int {
        // (PostgreSQL sums a BIGINT column as NUMERIC.)
        try await db.sql.select().column(SQLRaw("CAST(SUM(member_count) AS BIGINT)"), as: "n").from("organizations")
            .first()?.decode(column: "n", as: Int.self) ?? -1
    }

    /// The two ways of finding names already in the ledger — per chunk's townships, and the whole
    /// scope read once — find the same organizations, and neither finds one dissolved or outside.
    @Test(arguments: TestDatabase.all)
    func namesInTheLedgerAreFoundTheSameEitherWay(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            try await LedgerTotalAndSearchTests.load(1_200, on: db)
            let rows = try await db.sql.select().columns("code", "township_code", "name").from("organizations").orderBy("code").all()
            var keys: [String] = []
            var expected: [String: String] = [:]
            for (index, row) in rows.enumerated() where index % 3 == 0 {
                let code = try row.decode(column: "code", as: String.self)
                let township = try row.decode(column: "township_code", as: String.self)
                // Typed differently (a space, full-width letters) the name is still the same name.
                let name = try row.decode(column: "name", as: String.self).replacingOccurrences(of: "ABC", with: "ＡＢＣ ")
                let key = township + "|" + TownshipResolver.key(name)
                keys.append(key)
                if index % 2 == 0 { expected[key] = code }
                keys.append(township + "|" + TownshipResolver.key(name + "新"))
            }
            let dissolved = expected.values.sorted().prefix(10)
            try await db.sql.update("organizations").set("stage", to: Stage.dissolved.rawValue).where("code", .in, Array(dissolved)).run()
            expected = expected.filter { !dissolved.contains($0.value) }
            let townships = Set(keys.map { String($0.prefix { $0 != "|" }) })
            let everything = try await Self.found(keys, townships: townships, scope: .everywhere, perQuery: 0, on: db)
            let perChunk = try await Self.found(keys, townships: townships, scope: .everywhere, perQuery: 10_000, on: db)
            #expect(everything.filter { expected[$0.key] != nil } == expected)
            #expect(perChunk.filter { expected[$0.key] != nil } == expected)
            #expect(everything == perChunk)
            #expect(!dissolved.contains { everything.values.contains($0) })
            #expect(everything.count > 300)
            let jinjiang = try await Self.found(keys, townships: townships, scope: .within("35/3505/350582/"), perQuery: 0, on: db)
            #expect(!jinjiang.isEmpty && jinjiang == everything.filter { $0.key.hasPrefix("350582") })
        }
    }

    static func found(_ keys: [String], townships: Set<String>, scope: Scope, perQuery: Int, on db: any Database) async throws -> [String: String] {
        var names = LedgerImporter.LedgerNames(scope: scope, townshipsPerQuery: perQuery)
        return try await names.codes(for: keys, townships: townships, on: db)
    }
}
