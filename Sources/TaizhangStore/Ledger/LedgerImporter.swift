import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles

/// Imports a ledger sheet: reads every row, says what it would do (new, updated, unchanged,
/// rejected with row, column and reason), and commits all of it or nothing.
public enum LedgerImporter {
    public struct Preview: Sendable, Codable, Equatable {
        public var rowCount = 0
        public var newCount = 0
        public var updatedCount = 0
        public var unchangedCount = 0
        public var rejected: [RowProblem] = []
        /// Headers that name no ledger column; their cells are ignored.
        public var unknownHeaders: [String] = []
        /// Rows that pass but deserve a second look.
        public var warnings: [String] = []
        /// Title rows above the header and totals, notes or signatures below it: set aside, not read.
        /// (Optional so that previews stored before it decode.)
        public var ignored: [IgnoredRow]? = nil

        public var ignoredRows: [IgnoredRow] { ignored ?? [] }

        /// The first rows that would be added or changed, so the cadre sees where each one lands.
        public var sample: [PreviewRow] = []
        public var sampleTruncated = false

        public init() {}

        public var canCommit: Bool { rejected.isEmpty && newCount + updatedCount > 0 }
        public var rejectedRowCount: Int { Set(rejected.map(\.rowNumber)).count }

        mutating func addSample(_ row: PreviewRow) {
            if sample.count < 200 { sample.append(row) } else { sampleTruncated = true }
        }

        public var summaryLine: String {
            "共 \(rowCount) 行：新增 \(newCount)，更新 \(updatedCount)，无变化 \(unchangedCount)，退回 \(rejectedRowCount)"
        }
    }

    public struct IgnoredRow: Sendable, Codable, Equatable {
        public var rowNumber: Int
        public var reason: LedgerSheetLayout.Ignored
        public var text: String
    }

    public struct PreviewRow: Sendable, Codable, Equatable {
        public var rowNumber: Int
        public var action: String
        /// For an update, the fields it changes (更新 备注、团员数).
        public var changes: String? = nil
        public var name: String
        public var township: String
        public var stage: String
    }

    struct NewOrganization {
        var rowNumber: Int
        var fields: OrganizationFields
        var path: String
    }

    struct Update {
        var rowNumber: Int
        var current: OrganizationRecord
        var fields: OrganizationFields
        var path: String
    }

    /// What importing `reader`'s file would do for someone who may edit inside `scope`.
    public static func preview(
        _ reader: TabularFileReader, scope: Scope, checks: OrganizationChecks = .init(), on db: any Database
    ) async throws -> Preview {
        try await check(reader, scope: scope, checks: checks, on: db).preview
    }

    /// Imports the file in one transaction, re-checking everything inside it; refuses (and
    /// writes nothing) if any row is rejected.
    ///
    /// `first` runs first in that transaction, and is undone with it. The web form marks its
    /// upload imported there rather than open a transaction of its own around the import: an
    /// import inside another write's transaction runs in a savepoint, which on SQLite copies every
    /// page it changes. Called inside another transaction, `first` runs first all the same, and is
    /// undone with the caller's.
    @discardableResult
    public static func commit(
        _ reader: TabularFileReader, fileName: String, scope: Scope, checks: OrganizationChecks = .init(),
        first: (@Sendable (any Database) async throws -> Void)? = nil, by actor: Actor, on database: any Database
    ) async throws -> Preview {
        let (preview, committed) = try await checkAndCommit(reader, fileName: fileName, scope: scope, checks: checks,
                                                            evenUnchanged: true, first: first, by: actor, on: database)
        guard committed, preview.rejected.isEmpty else {
            throw Refusal("导入未执行：有 \(preview.rejectedRowCount) 行被退回，请修改后重新导入（\(preview.rejected.first?.message ?? "")）")
        }
        return preview
    }

    /// Previews and, unless `dryRun` or a row is rejected or nothing would change, commits.
    ///
    /// Both go through the file a chunk at a time, so memory does not grow with the file; a pass
    /// keeps only the preview and what checks across rows need (fingerprints of codes and of
    /// township + name).
    public static func run(
        _ reader: TabularFileReader, fileName: String, dryRun: Bool, scope: Scope,
        checks: OrganizationChecks = .init(), by actor: Actor, on database: any Database
    ) async throws -> (preview: Preview, committed: Bool) {
        guard dryRun else {
            return try await checkAndCommit(reader, fileName: fileName, scope: scope, checks: checks, evenUnchanged: false, first: nil,
                                            by: actor, on: database)
        }
        let checked = try await writeTransaction(on: database) { db in try await check(reader, scope: scope, checks: checks, on: db) }
        return (checked.preview, false)
    }

    /// One pass that checks and writes as it goes, in one transaction. A file with a rejected
    /// row — found at the first, and the writes so far undone — is then read once more by a
    /// checking pass, which lists every rejection (the preview a dry run gives); a good file, the
    /// usual case, is read once.
    ///
    /// Undone how: an import that is its own transaction (the command line, the API, the web
    /// form) rolls the transaction back and checks in a new one. One inside a caller's
    /// transaction rolls back to a savepoint instead, and checks in
    /// the same transaction, which must see the ledger as it was before the pass. Only then the
    /// savepoint: on SQLite it copies every page the import changes into a journal of its own
    /// (of a million rows into a full ledger, gigabytes written to a temporary file). An import
    /// of its own runs `alone` (`writeTransaction`), never in a savepoint of a group's.
    ///
    /// Between the rollback and the new transaction another write may change the ledger. If the
    /// checking pass then finds nothing to reject, the file is written again, once; a second such
    /// change is refused, with nothing written.
    private static func checkAndCommit(
        _ reader: TabularFileReader, fileName: String, scope: Scope, checks: OrganizationChecks, evenUnchanged: Bool,
        first: (@Sendable (any Database) async throws -> Void)?, by actor: Actor, on database: any Database
    ) async throws -> (preview: Preview, committed: Bool) {
        guard WriteTransactionState.isOpen else {
            // The transaction may run in a task this caller did not start (SQLite's write queue
            // runs each group in the task of whichever write started it; Fluent's PostgreSQL
            // transaction in a new one), which this caller's task-local values do not reach.
            let keysHeld = tallyKeysHeld
            for _ in 1...2 {
                do {
                    let preview = try await writeTransaction(on: database, alone: true) { db in
                        try await first?(db)
                        return try await $tallyKeysHeld.withValue(keysHeld) {
                            try await checkAndWrite(reader, fileName: fileName, scope: scope, checks: checks, evenUnchanged: evenUnchanged,
                                                    by: actor, on: db)
                        }
                    }
                    return (preview, true)
                } catch let notWritten as NotWritten {
                    if let preview = notWritten.preview { return (preview, false) }
                    let checked = try await writeTransaction(on: database) { db in try await check(reader, scope: scope, checks: checks, on: db) }
                    if !checked.preview.rejected.isEmpty { return (checked.preview, false) }
                }
            }
            throw Refusal("导入未执行：导入期间台账被其他操作修改，未写入任何内容，请重新导入")
        }
        try await first?(database)
        try await database.sql.raw("SAVEPOINT ledger_import").run()
        do {
            let preview = try await checkAndWrite(reader, fileName: fileName, scope: scope, checks: checks,
                                                  evenUnchanged: evenUnchanged, by: actor, on: database)
            try await database.sql.raw("RELEASE SAVEPOINT ledger_import").run()
            return (preview, true)
        } catch let notWritten as NotWritten {
            try await database.sql.raw("ROLLBACK TO SAVEPOINT ledger_import").run()
            try await database.sql.raw("RELEASE SAVEPOINT ledger_import").run()
            if let preview = notWritten.preview { return (preview, false) }
            return (try await check(reader, scope: scope, checks: checks, on: database).preview, false)
        }
    }

    static func refusal(_ fields: OrganizationFields, row: Int, checks: OrganizationChecks, today: CalendarDay) -> RowProblem? {
        guard let first = checks.refusals(fields, today: today).first else { return nil }
        return RowProblem(rowNumber: row, column: first.field, reason: first.reason)
    }

    static func existingRecords(codes: [String], on db: any Database) async throws -> [String: OrganizationRecord] {
        var result: [String: OrganizationRecord] = [:]
        for batch in Set(codes).chunked(500) {
            let rows = try await OrganizationRow.all(
                db.sql.select().columns(OrganizationRow.columns.map { SQLColumn($0) }).from("organizations")
                    .where("code", .in, batch).query,
                on: db)
            for row in rows { result[row.code] = row.record }
        }
        return result
    }

    /// The key by which two active organizations of a township may not share a name: "township|name key".
    static func nameKey(township: String, name: String) -> String {
        township + "|" + TownshipResolver.key(name)
    }

    /// Whether the ledger holds no organization at all.
    static func ledgerIsEmpty(on db: any Database) async throws -> Bool {
        try await db.sql.raw("SELECT 1 AS one FROM organizations LIMIT 1").first() == nil
    }

    /// `nameKey` → code for organizations not dissolved or merged.
    static func activeNames(townships: Set<String>, on db: any Database) async throws -> [String: String] {
        var result: [String: String] = [:]
        for batch in townships.chunked(500) {
            let query = db.sql.select().columns("code", "township_code", "name").from("organizations")
                .where("township_code", .in, batch)
                .where("stage", .notIn, [Stage.dissolved.rawValue, Stage.merged.rawValue]).query
            let rows = try await ResultRows.all(query, on: db) { row in
                (key: nameKey(township: try row.string("township_code"), name: try row.string("name")), code: try row.string("code"))
            }
            for row in rows { result[row.key] = row.code }
        }
        return result
    }
}
