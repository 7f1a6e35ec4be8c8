import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles
@testable import TaizhangStore
import TaizhangTestSupport
import Testing

/// An import into a ledger with organizations: creates and updates over several chunks leave
/// the search index and the townships' versions as the database's triggers keep them (the
/// search finds what `LIKE` finds, every township written into has a higher version and no other
/// one does), and one that fails part-way leaves them as they were. On SQLite an import runs in a
/// transaction of its own, never in a savepoint of a group of writes.
@Suite struct LedgerImportIntoALedgerTests {
    static let firstLoad = 1_500
    static let creates = LedgerImporter.chunkSize + 500
    static let updates = 300
    /// The second file creates organizations in this many of 泉州's townships only; the others stay untouched.
    static let townshipsWritten = 80
    /// It updates organizations in this many of them (the first): the others have only new ones.
    static let townshipsUpdated = 40
    static let renamed = "（更名）"
    static let newSecretary = "欧阳"

    /// The second file: creates, then updates of the first load's organizations by code (a new
    /// name and secretary each), then more creates and more updates, over the first townships
    /// only: its first chunk holds creates and updates, its second the rest.
    static func secondFile(over townships: [DivisionQueries.TownshipLabel], on db: any Database) async throws -> String {
        let written = Array(townships.prefix(townshipsWritten))
        // The first load's organizations in those townships, by serial: `generate` gave serial s township s % count.
        let updatedSerials = (0..<firstLoad).filter { $0 % townships.count < townshipsUpdated }.prefix(updates)
        try #require(updatedSerials.count == updates)
        var updateLines: [String] = []
        for serial in updatedSerials {
            var values = LedgerTotalAndSearchTests.values(serial, in: townships[serial % townships.count])
            let code = try #require(try await Self.code(named: values[.name]!, on: db))
            values[.code] = code
            values[.name] = renamedName(serial, in: townships[serial % townships.count])
            values[.secretaryName] = newSecretary + String(serial)
            updateLines.append(LedgerStreamingImportTests.line(values))
        }
        // Serials after the first load's, so no name repeats one in the ledger.
        let createLines = (firstLoad..<(firstLoad + creates)).map {
            LedgerStreamingImportTests.line(LedgerTotalAndSearchTests.values($0, in: written[$0 % written.count]))
        }
        let header = LedgerColumn.allCases.map(\.header).joined(separator: ",")
        let lines = [header] + createLines.prefix(3_000) + updateLines.prefix(updates / 2) + createLines.dropFirst(3_000)
            + updateLines.dropFirst(updates / 2)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The first load written, 泉州's townships and the second file.
    static func firstLoadAndSecondFile(on db: any Database) async throws -> (townships: [DivisionQueries.TownshipLabel], file: String) {
        try await LedgerTotalAndSearchTests.load(firstLoad, on: db)
        let townships = try await DivisionQueries.townships(under: .within("35/3505/"), on: db)
        return (townships, try await secondFile(over: townships, on: db))
    }

    @Test(arguments: TestDatabase.all)
    func anImportIntoAFullLedgerLeavesSearchAndVersionsAsTheTriggersWould(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            let (townships, file) = try await Self.firstLoadAndSecondFile(on: db)
            let triggers = try await Self.triggers(on: db)
            let versionsBefore = try await Self.versions(on: db)

            let committed = try await LedgerImporter.commit(try TabularFileReader(data: Data(file.utf8)), fileName: "第二批.csv",
                                                             scope: .everywhere, by: testActor, on: db)
            #expect(committed.newCount == Self.creates)
            #expect(committed.updatedCount == Self.updates)
            #expect(try await LedgerStreamingImportTests.count("organizations", on: db) == Self.firstLoad + Self.creates)

            // The search finds every new name, code and secretary, and no old name of a renamed one.
            for needle in [Self.renamed, Self.newSecretary, String(Self.firstLoad + Self.creates - 1), "\"海丝\"物流", "纯棉制衣厂"] {
                let (listed, like) = try await LedgerTotalAndSearchTests.bothWays(needle, on: db)
                #expect(listed == like, "「\(needle)」")
                #expect(!like.isEmpty, "「\(needle)」")
            }
            #expect(try await LedgerTotalAndSearchTests.bothWays(Self.renamed, on: db).like.count == Self.updates)
            #expect(try await LedgerTotalAndSearchTests.bothWays(Self.newSecretary, on: db).like.count == Self.updates)
            let oldName = LedgerTotalAndSearchTests.values(0, in: townships[0])[.name]!
            let old = try await LedgerTotalAndSearchTests.bothWays(oldName, on: db)
            #expect(old.listed == old.like)
            let renamedCode = try #require(try await Self.code(named: Self.renamedName(0, in: townships[0]), on: db))
            #expect(!old.like.contains(renamedCode))

            // Each township written into has a higher version; the others keep theirs.
            let versionsAfter = try await Self.versions(on: db)
            let written = Set(townships.prefix(Self.townshipsWritten).map(\.code))
            for (township, before) in versionsBefore {
                if written.contains(township) {
                    #expect(versionsAfter[township]! > before, "\(township)")
                } else {
                    #expect(versionsAfter[township] == before, "\(township)")
                }
            }
            #expect(Set(versionsAfter.keys) == Set(versionsBefore.keys).union(written))

            // The import left the triggers as they were: a form's new organization is indexed, its township's version raised.
            #expect(try await Self.triggers(on: db) == triggers)
            let untouched = townships[Self.townshipsWritten]
            let fields = OrganizationFields(name: "表单新建海峡青创园团支部", townshipCode: untouched.code, orgType: "团支部",
                                            unitCategory: "非公企业", buildMode: "单独建团", stage: .preparing,
                                            preparationApprovedOn: CalendarDay(year: 2012, month: 11, day: 1), secretaryName: "司马青")
            let saved = try await OrganizationStore.create(fields, by: testActor, on: db)
            #expect(try await LedgerTotalAndSearchTests.bothWays("海峡青创园", on: db).listed == [saved.record.code])
            #expect(try await Self.versions(on: db)[untouched.code]! > versionsAfter[untouched.code] ?? 0)
            if db.isSQLite {
                try await db.sql.raw("INSERT INTO organization_search(organization_search, rank) VALUES ('integrity-check', 1)").run()
                #expect(try await db.sql.raw("PRAGMA foreign_key_check").all().isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anImportThatFailsPartWayLeavesIndexAndVersionsAsTheyWere(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let db = app.db
            let (townships, file) = try await Self.firstLoadAndSecondFile(on: db)
            // The database refuses the last create, in the second chunk, after the first was written.
            let lastSerial = Self.firstLoad + Self.creates - 1
            let last = LedgerTotalAndSearchTests.values(lastSerial, in: townships[lastSerial % Self.townshipsWritten])[.name]!
            try await LedgerFirstLoadTests.refuseInserts(named: last, on: db)
            let triggers = try await Self.triggers(on: db)
            let versions = try await Self.versions(on: db)
            let searchRows = try await Self.searchRows(on: db)

            await #expect(throws: (any Error).self) {
                try await LedgerImporter.commit(try TabularFileReader(data: Data(file.utf8)), fileName: "写入失败.csv",
                                                scope: .everywhere, by: testActor, on: db)
            }
            #expect(try await LedgerStreamingImportTests.count("organizations", on: db) == Self.firstLoad)
            #expect(try await Self.triggers(on: db) == triggers)
            #expect(try await Self.versions(on: db) == versions)
            #expect(try await Self.searchRows(on: db) == searchRows)
            #expect(try await LedgerTotalAndSearchTests.bothWays(Self.renamed, on: db).like.isEmpty)
            if db.isSQLite {
                try await db.sql.raw("INSERT INTO organization_search(organization_search, rank) VALUES ('integrity-check', 1)").run()
            }
        }
    }

    /// A write `alone` queued among other writes is a transaction of its own: the data version,
    /// raised once a transaction, is one it shares with no other write.
    @Test func aWriteAloneAmongOtherWritesIsATransactionOfItsOwn() async throws {
        try await withTestApp(.sqlite) { app async throws in
            let db = app.db
            let alone = 5
            let seen = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
                // The first write holds the queue a moment, so the others arrive while it runs and wait together.
                group.addTask {
                    (0, try await writeTransaction(on: db) { db in
                        try await Task.sleep(for: .milliseconds(300))
                        return try await DataVersion.current(on: db)
                    })
                }
                for index in 1...10 {
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(50))
                        return (index, try await writeTransaction(on: db, alone: index == alone) { try await DataVersion.current(on: $0) })
                    }
                }
                return try await group.reduce(into: [Int: Int64]()) { $0[$1.0] = $1.1 }
            }
            #expect(seen.count == 11)
            // Each write reads the version before its transaction raises it: those of one group read the same.
            let versionOfAlone = try #require(seen[alone])
            #expect(seen.filter { $0.value == versionOfAlone }.map(\.key) == [alone])
        }
    }

    /// The name the second file gives the first load's organization `serial`, which holds no part of its old one.
    static func renamedName(_ serial: Int, in township: DivisionQueries.TownshipLabel) -> String {
        renamed + township.name + String(serial) + "号团支部"
    }

    static func code(named name: String, on db: any Database) async throws -> String? {
        try await db.sql.select().column("code").from("organizations").where("name", .equal, name).first()?.decode(column: "code", as: String.self)
    }

    /// Each township's ledger version, by township code (the last part of its division path).
    static func versions(on db: any Database) async throws -> [String: Int] {
        try await db.sql.select().columns("division_path", "version").from("township_ledger_versions").all().reduce(into: [:]) {
            let path = try $1.decode(column: "division_path", as: String.self)
            $0[String(path.split(separator: "/").last ?? "")] = try $1.decode(column: "version", as: Int.self)
        }
    }

    /// The triggers on `organizations`, name and definition, by name.
    static func triggers(on db: any Database) async throws -> [String] {
        let query: SQLQueryString = db.isSQLite
            ? "SELECT name || ': ' || sql AS t FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'organizations' ORDER BY name"
            : """
              SELECT tgname || ': ' || pg_get_triggerdef(oid) AS t FROM pg_trigger WHERE tgrelid = 'organizations'::regclass AND NOT tgisinternal \
              ORDER BY tgname
              """
        return try await db.sql.raw(query).all().map { try $0.decode(column: "t", as: String.self) }
    }

    /// The rows of the search index (SQLite: its documents, by rowid; PostgreSQL: none, the indexes are on the table).
    static func searchRows(on db: any Database) async throws -> Int {
        guard db.isSQLite else { return 0 }
        return try await db.sql.raw("SELECT count(*) AS n FROM organization_search_docsize").first()?.decode(column: "n", as: Int.self) ?? -1
    }
}
