import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// The import writes each chunk as soon as it is checked, yet judges every row against the
/// ledger as it stood before the import, as the dry run does: a later chunk neither finds an
/// organization an earlier chunk created (by its code) nor misses a name an earlier chunk's
/// update gave up. Each case is a rejection the dry run names; the import must name it too,
/// and write nothing, though chunks before it were written.
@Suite struct LedgerSinglePassImportTests {
    /// A clean generated file of two chunks and a bit, with `planted` lines appended (in the third chunk).
    static func file(over townships: [DivisionQueries.TownshipLabel], planted: [String]) -> (text: String, plantedRows: [Int]) {
        let count = 2 * LedgerImporter.chunkSize + 10
        let text = LedgerTotalAndSearchTests.generate(count, over: townships) + planted.map { $0 + "\n" }.joined()
        return (text, planted.indices.map { count + 2 + $0 })  // the header is row 1
    }

    static func expectSameAsDryRun(_ text: String, rejecting rows: [Int], reasons: [String], on db: any Database) async throws {
        let before = try await LedgerStreamingImportTests.count("organizations", on: db)
        let dryRun = try await LedgerImporter.preview(try TabularFileReader(data: Data(text.utf8)), scope: .everywhere, on: db)
        #expect(dryRun.rejected.map(\.rowNumber) == rows)
        #expect(dryRun.rejected.map(\.reason) == reasons)
        let ran = try await LedgerImporter.run(try TabularFileReader(data: Data(text.utf8)), fileName: "单遍.csv", dryRun: false,
                                               scope: .everywhere, by: testActor, on: db)
        #expect(ran.preview == dryRun && !ran.committed)
        await #expect(throws: Refusal.self) {
            try await LedgerImporter.commit(try TabularFileReader(data: Data(text.utf8)), fileName: "单遍.csv", scope: .everywhere,
                                            by: testActor, on: db)
        }
        // Inside a caller's transaction (as the web import commits), the same refusal, naming the dry run's first rejection.
        let refusal = await #expect(throws: Refusal.self) {
            try await writeTransaction(on: db) { db in
                try await LedgerImporter.commit(try TabularFileReader(data: Data(text.utf8)), fileName: "单遍.csv", scope: .everywhere,
                                                by: testActor, on: db)
            }
        }
        #expect(refusal?.message.contains("有 \(dryRun.rejectedRowCount) 行被退回") == true, "\(refusal?.message ?? "")")
        #expect(refusal?.message.contains(dryRun.rejected.first?.message ?? "-") == true, "\(refusal?.message ?? "")")
        #expect(try await LedgerStreamingImportTests.count("organizations", on: db) == before)
        #expect(try await LedgerStreamingImportTests.count("audit_events", where: "ledger.import", on: db) == (before == 0 ? 0 : 1))
    }

    @Test(arguments: TestDatabase.all)
    func aCodeTheImportItselfGaveIsNotInTheLedger(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
            let townships = try await DivisionQueries.townships(under: .within("35/3505/"), on: db)
            let first = townships[0]
            let own = OrganizationStore.codes(township: first.code, from: 1, count: 1)[0]
            let line = LedgerStreamingImportTests.line([.code: own, .township: first.code, .name: "猜编码团支部", .orgType: "团支部", .stage: "筹建"])

            // Into an empty ledger: the first chunk creates `own`, the third names it.
            let intoEmpty = Self.file(over: townships, planted: [line])
            try await Self.expectSameAsDryRun(intoEmpty.text, rejecting: intoEmpty.plantedRows,
                                              reasons: ["台账中没有编码为「\(own)」的团组织（新组织请留空）"], on: db)

            // Into a ledger holding `own`: the import's first code there is the next one; the
            // third chunk may update `own` (it was there) but not name the next (it was not).
            let one = LedgerColumn.allCases.map(\.header).joined(separator: ",") + "\n"
                + LedgerStreamingImportTests.line([.township: first.code, .name: "先有团支部", .orgType: "团支部", .stage: "筹建"]) + "\n"
            try await LedgerImporter.commit(try TabularFileReader(data: Data(one.utf8)), fileName: "先有.csv", scope: .everywhere,
                                            by: testActor, on: db)
            let next = OrganizationStore.codes(township: first.code, from: 2, count: 1)[0]
            let planted = [
                LedgerStreamingImportTests.line([.code: own, .township: first.code, .name: "先有团支部", .orgType: "团支部", .stage: "筹建",
                                                 .memberCount: "9"]),
                LedgerStreamingImportTests.line([.code: next, .township: first.code, .name: "猜编码团支部", .orgType: "团支部", .stage: "筹建"]),
            ]
            let intoFull = Self.file(over: townships, planted: planted)
            try await Self.expectSameAsDryRun(intoFull.text, rejecting: [intoFull.plantedRows[1]],
                                              reasons: ["台账中没有编码为「\(next)」的团组织（新组织请留空）"], on: db)

            // Without the guess, the file goes in, `own` updated and the codes continuing from `next`.
            let good = Self.file(over: townships, planted: [planted[0]])
            let committed = try await LedgerImporter.commit(try TabularFileReader(data: Data(good.text.utf8)), fileName: "单遍.csv",
                                                             scope: .everywhere, by: testActor, on: db)
            #expect(committed.newCount == 2 * LedgerImporter.chunkSize + 10 && committed.updatedCount == 1)
            let members = try await db.sql.select().column("member_count").from("organizations").where("code", .equal, own).first()?
                .decode(column: "member_count", as: Int.self)
            #expect(members == 9)
            #expect(try await db.sql.select().column("name").from("organizations").where("code", .equal, next).first() != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNameAnEarlierChunkGaveUpIsStillTaken(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: db)
            let townships = try await DivisionQueries.townships(under: .within("35/3505/"), on: db)
            let first = townships[0]
            let one = LedgerColumn.allCases.map(\.header).joined(separator: ",") + "\n"
                + LedgerStreamingImportTests.line([.township: first.code, .name: "旧名团支部", .orgType: "团支部", .stage: "筹建"]) + "\n"
            try await LedgerImporter.commit(try TabularFileReader(data: Data(one.utf8)), fileName: "旧名.csv", scope: .everywhere,
                                            by: testActor, on: db)
            let code = OrganizationStore.codes(township: first.code, from: 1, count: 1)[0]
            // The first row renames it; a row two chunks later founds another under the old name.
            let rename = LedgerStreamingImportTests.line([.code: code, .township: first.code, .name: "新名团支部", .orgType: "团支部", .stage: "筹建"])
            let generated = Self.file(over: townships, planted: [
                LedgerStreamingImportTests.line([.township: first.code, .name: "旧名团支部", .orgType: "团支部", .stage: "筹建"]),
            ])
            var lines = generated.text.split(separator: "\n").map(String.init)
            lines.insert(rename, at: 1)
            try await Self.expectSameAsDryRun(lines.joined(separator: "\n") + "\n", rejecting: [generated.plantedRows[0] + 1],
                                              reasons: ["台账中已有同名团组织（编码 \(code)）；要修改它请填写组织编码"], on: db)
            let name = try await db.sql.select().column("name").from("organizations").where("code", .equal, code).first()?
                .decode(column: "name", as: String.self)
            #expect(name == "旧名团支部")
        }
    }
}
