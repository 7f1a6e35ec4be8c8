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

    struct Plan {
        var preview = Preview()
        var creates: [NewOrganization] = []
        var updates: [Update] = []
    }

    /// What importing `reader`'s file would do for someone who may edit inside `scope`.
    public static func preview(
        _ reader: TabularFileReader, scope: Scope, checks: OrganizationChecks = .init(), on db: any Database
    ) async throws -> Preview {
        try await plan(reader, scope: scope, checks: checks, on: db).preview
    }

    /// Imports the file in one transaction, re-checking everything inside it; refuses (and
    /// writes nothing) if any row is rejected.
    @discardableResult
    public static func commit(
        _ reader: TabularFileReader, fileName: String, scope: Scope, checks: OrganizationChecks = .init(),
        by actor: Actor, on database: any Database
    ) async throws -> Preview {
        try await writeTransaction(on: database) { db in
            let plan = try await plan(reader, scope: scope, checks: checks, on: db)
            guard plan.preview.rejected.isEmpty else {
                throw Refusal("导入未执行：有 \(plan.preview.rejectedRowCount) 行被退回，请修改后重新导入（\(plan.preview.rejected.first!.message)）")
            }
            try await write(plan, fileName: fileName, by: actor, on: db)
            return plan.preview
        }
    }

    /// Previews and, unless `dryRun` or a row is rejected, commits — reading the file once.
    public static func run(
        _ reader: TabularFileReader, fileName: String, dryRun: Bool, scope: Scope,
        checks: OrganizationChecks = .init(), by actor: Actor, on database: any Database
    ) async throws -> (preview: Preview, committed: Bool) {
        try await writeTransaction(on: database) { db in
            let plan = try await plan(reader, scope: scope, checks: checks, on: db)
            guard !dryRun, plan.preview.canCommit else { return (plan.preview, false) }
            try await write(plan, fileName: fileName, by: actor, on: db)
            return (plan.preview, true)
        }
    }

    // MARK: - Planning

    static func plan(
        _ reader: TabularFileReader, scope: Scope, checks: OrganizationChecks, on db: any Database
    ) async throws -> Plan {
        let references = try await ReferenceStore.lists(on: db)
        var header: LedgerHeader?
        var rowReader: LedgerRowReader?
        var rows: [LedgerRow] = []
        var plan = Plan()
        var aboveHeader: [IgnoredRow] = []
        var firstCells: [String]?
        var ignored: [IgnoredRow] = []
        try reader.forEachRow { number, cells in
            if LedgerRowReader.isBlank(cells) { return }
            guard let reading = rowReader else {
                guard let found = LedgerSheetLayout.header(in: cells) else {
                    if firstCells == nil { firstCells = cells }
                    guard number < LedgerSheetLayout.headerSearchRows else {
                        _ = try LedgerHeader(firstCells ?? cells)  // names the key columns the first row lacks
                        throw Refusal("前 \(LedgerSheetLayout.headerSearchRows) 行中找不到表头：请使用下载的模板")
                    }
                    aboveHeader.append(IgnoredRow(rowNumber: number, reason: .aboveHeader, text: LedgerSheetLayout.summary(cells)))
                    return
                }
                header = found
                rowReader = LedgerRowReader(header: found, references: references)
                return
            }
            if LedgerSheetLayout.isNote(cells) {
                ignored.append(IgnoredRow(rowNumber: number, reason: .note, text: LedgerSheetLayout.summary(cells)))
                return
            }
            plan.preview.rowCount += 1
            switch reading.read(cells, rowNumber: number) {
            case .success(let row): rows.append(row)
            case .failure(let problems): plan.preview.rejected += problems.problems
            }
        }
        guard let header else {
            if let firstCells { _ = try LedgerHeader(firstCells) }  // names the key columns the first row lacks
            throw Refusal("文件是空的：第一行应为表头（组织编码、县（市、区）、乡镇（街道）、团组织名称……），请使用下载的模板")
        }
        plan.preview.unknownHeaders = header.unknownHeaders
        let setAside = aboveHeader + ignored
        plan.preview.ignored = setAside.isEmpty ? nil : setAside

        let resolver = try await TownshipResolver.load(scope: scope, on: db)
        let existing = try await existingRecords(codes: rows.compactMap(\.code), on: db)
        var resolved: [(row: LedgerRow, place: TownshipResolver.Place)] = []
        var seenCodes: [String: Int] = [:]
        for var row in rows {
            switch resolver.resolve(township: row.townshipText, county: row.countyText) {
            case .failure(let why):
                plan.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: why.column.header, reason: why.reason))
            case .success(let place):
                row.fields.townshipCode = place.code
                if let code = row.code {
                    if let first = seenCodes[code] {
                        plan.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.code.header,
                                                                reason: "与第 \(first) 行的组织编码「\(code)」重复"))
                        continue
                    }
                    seenCodes[code] = row.rowNumber
                }
                resolved.append((row, place))
            }
        }

        // Duplicates by township and name, within the file and against the ledger.
        let namesInLedger = try await activeNames(townships: Set(resolved.map(\.place.code)), on: db)
        var namesInFile: [String: Int] = [:]
        let today = CalendarDay.today()
        for (row, place) in resolved {
            let nameKey = place.code + "|" + TownshipResolver.key(row.fields.name)
            if let first = namesInFile[nameKey] {
                plan.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.name.header,
                                                        reason: "与第 \(first) 行重复（同一乡镇下同名的团组织）"))
                continue
            }
            namesInFile[nameKey] = row.rowNumber
            if let code = row.code {
                guard let current = existing[code] else {
                    plan.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.code.header,
                                                            reason: "台账中没有编码为「\(code)」的团组织（新组织请留空）"))
                    continue
                }
                guard scope.contains(current.divisionPath) else {
                    plan.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.code.header,
                                                            reason: "「\(code)」不在您的管理范围内"))
                    continue
                }
                if let other = namesInLedger[nameKey], other != code {
                    plan.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.name.header,
                                                            reason: "台账中已有同名团组织（编码 \(other)）"))
                    continue
                }
                let fields = current.fields.replacing(row.presentColumns, from: row.fields)
                if fields == current.fields {
                    plan.preview.unchangedCount += 1
                    continue
                }
                if let signOff = current.review.signOffID {
                    plan.preview.rejected.append(RowProblem(
                        rowNumber: row.rowNumber, column: LedgerColumn.code.header,
                        reason: "「\(current.fields.name)」（\(code)）已由市级签字确认锁定（签字第 \(signOff) 号），导入不能修改；请市级先撤销签字"))
                    continue
                }
                if fields.stage != current.fields.stage {
                    if current.fields.stage.isEnded || fields.stage.isEnded
                        || (fields.stage.rank ?? 0) < (current.fields.stage.rank ?? 0) {
                        plan.preview.rejected.append(RowProblem(
                            rowNumber: row.rowNumber, column: LedgerColumn.stage.header,
                            reason: "从「\(current.fields.stage.label)」到「\(fields.stage.label)」须在团组织页面登记（要写原因）；导入只能向前推进阶段"))
                        continue
                    }
                }
                if let problem = refusal(fields, row: row.rowNumber, checks: checks, today: today) {
                    plan.preview.rejected.append(problem)
                    continue
                }
                plan.preview.warnings += checks.warnings(fields).map { "第 \(row.rowNumber) 行：\($0)" }
                plan.updates.append(Update(rowNumber: row.rowNumber, current: current, fields: fields, path: place.path))
                plan.preview.addSample(.init(rowNumber: row.rowNumber, action: "更新",
                                             changes: fields.changedFields(since: current.fields).joined(separator: "、"),
                                             name: fields.name, township: place.name, stage: fields.stage.label))
                plan.preview.updatedCount += 1
            } else {
                if let other = namesInLedger[nameKey] {
                    plan.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.name.header,
                                                            reason: "台账中已有同名团组织（编码 \(other)）；要修改它请填写组织编码"))
                    continue
                }
                if let problem = refusal(row.fields, row: row.rowNumber, checks: checks, today: today) {
                    plan.preview.rejected.append(problem)
                    continue
                }
                plan.preview.warnings += checks.warnings(row.fields).map { "第 \(row.rowNumber) 行：\($0)" }
                plan.creates.append(NewOrganization(rowNumber: row.rowNumber, fields: row.fields, path: place.path))
                plan.preview.addSample(.init(rowNumber: row.rowNumber, action: "新增", name: row.fields.name, township: place.name,
                                             stage: row.fields.stage.label))
                plan.preview.newCount += 1
            }
        }
        plan.preview.rejected.sort { ($0.rowNumber, $0.column) < ($1.rowNumber, $1.column) }
        return plan
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

    /// "township|name" → code for organizations not dissolved or merged.
    static func activeNames(townships: Set<String>, on db: any Database) async throws -> [String: String] {
        var result: [String: String] = [:]
        for batch in townships.chunked(500) {
            let query = db.sql.select().columns("code", "township_code", "name").from("organizations")
                .where("township_code", .in, batch)
                .where("stage", .notIn, [Stage.dissolved.rawValue, Stage.merged.rawValue]).query
            let rows = try await ResultRows.all(query, on: db) { row in
                (key: try row.string("township_code") + "|" + TownshipResolver.key(try row.string("name")), code: try row.string("code"))
            }
            for row in rows { result[row.key] = row.code }
        }
        return result
    }

    // MARK: - Writing

    static func write(_ plan: Plan, fileName: String, by actor: Actor, on db: any Database) async throws {
        guard db.isSQLite else { return try await writeRows(plan, fileName: fileName, by: actor, on: db) }
        // A large import touches many index pages; a 256 MB page cache for this connection keeps
        // SQLite from spilling them to the WAL in the middle of the transaction, and the
        // statement journals of its multi-row statements stay in memory instead of a temp file.
        // The pooled connection gets its usual settings back afterwards.
        let usualCacheSize = try await db.sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int.self) ?? -2000
        try await db.sql.raw("PRAGMA cache_size = -262144").run()
        // (Refused inside a transaction once the connection has used its TEMP database; then the
        // journals go to a temp file, which is slower but as correct.)
        try? await db.sql.raw("PRAGMA temp_store = MEMORY").run()
        func restore() async {
            try? await db.sql.raw("PRAGMA cache_size = \(unsafeRaw: String(usualCacheSize))").run()
            try? await db.sql.raw("PRAGMA temp_store = DEFAULT").run()
        }
        do {
            try await writeRows(plan, fileName: fileName, by: actor, on: db)
        } catch {
            await restore()
            throw error
        }
        await restore()
    }

    private static func writeRows(_ plan: Plan, fileName: String, by actor: Actor, on db: any Database) async throws {
        let now = Date()
        // Codes continue each township's sequence, in the file's row order.
        var nextCode = try await OrganizationStore.nextCodes(
            counts: plan.creates.reduce(into: [:]) { counts, create in counts[create.fields.townshipCode, default: 0] += 1 }, on: db
        ).mapValues { Array($0.reversed()) }
        // Written in code order, so the rows and their index entries append instead of landing on random pages.
        var creates: [(code: String, create: NewOrganization)] = plan.creates.map { create in
            (nextCode[create.fields.townshipCode]!.removeLast(), create)
        }
        creates.sort { $0.code < $1.code }

        // Rows go out a chunk at a time while the next chunk is prepared.
        let tally = try await BulkStatementQueue.run { queue in
            var organizations = BulkWrite(into: "organizations", columns: OrganizationRow.columns, queue: queue, on: db)
            var events = OrganizationStore.StageEventBatch(queue: queue, on: db)
            var audit = AuditLog.Batch(by: actor, queue: queue, on: db)
            var tally = LedgerCounts.Tally()
            var reviewEvents: [ReviewEvents.Event] = []
            let newReview = ReviewStatus(createdBy: actor.userID, changedBy: actor.userID)
            for (code, create) in creates {
                try await organizations.append(OrganizationRow(code: code, divisionPath: create.path, fields: create.fields,
                                                               mergedIntoCode: nil, version: 1, createdAt: now, updatedAt: now,
                                                               review: newReview).bulkValues)
            }
            // Stage events refer to their organizations, so they follow once every organization is written.
            try await organizations.finish()
            for (code, create) in creates {
                try await events.append(.init(organizationCode: code, from: nil, to: create.fields.stage,
                                              effectiveOn: create.fields.stageDate ?? .today(),
                                              reason: "导入 \(fileName) 第 \(create.rowNumber) 行", mergedInto: nil, actorName: actor.name))
                tally.add(path: create.path, create.fields, review: newReview.countedReview)
                try await audit.append(.init(action: "organization.import.create", entityType: "organization", entityID: code,
                                             divisionPath: create.path, sortedBefore: nil, sortedAfter: create.fields.auditSnapshotPairs))
            }
            var updated = BulkWrite(.updateMatching, into: "organizations", columns: OrganizationRow.columns, queue: queue, on: db)
            for update in plan.updates {
                let countedChanges = ReviewStatus.changedCountedFields(from: update.current.fields, to: update.fields)
                let review = update.current.review.afterEdit(by: actor.userID, changedCounted: countedChanges)
                let row = OrganizationRow(code: update.current.code, divisionPath: update.path, fields: update.fields,
                                          mergedIntoCode: update.current.mergedIntoCode, version: update.current.version + 1,
                                          createdAt: update.current.createdAt, updatedAt: now, review: review)
                try await updated.append(row.bulkValues)
                tally.change(from: update.current.fields, at: update.current.divisionPath, review: update.current.review.countedReview,
                             to: update.fields, at: update.path, review: review.countedReview)
                if let event = ReviewEvents.afterEdit(row.code, from: update.current.review, to: review, changedCounted: countedChanges) {
                    reviewEvents.append(event)
                }
                if update.fields.stage != update.current.fields.stage {
                    try await events.append(.init(organizationCode: row.code, from: update.current.fields.stage, to: update.fields.stage,
                                                  effectiveOn: update.fields.stageDate ?? .today(),
                                                  reason: "导入 \(fileName) 第 \(update.rowNumber) 行", mergedInto: nil,
                                                  actorName: actor.name))
                }
                let diff = OrganizationStore.changed(update.current.fields.auditSnapshot, update.fields.auditSnapshot)
                try await audit.append(.init(action: "organization.import.update", entityType: "organization", entityID: row.code,
                                             divisionPath: update.path, before: diff.before, after: diff.after))
            }
            try await audit.append(.init(action: "ledger.import", entityType: "file", entityID: fileName, divisionPath: nil,
                                         before: nil, after: ["新增": "\(plan.preview.newCount)", "更新": "\(plan.preview.updatedCount)",
                                                              "无变化": "\(plan.preview.unchangedCount)"]))
            try await updated.finish()
            try await events.finish()
            try await audit.finish()
            try await ReviewEvents.record(reviewEvents, by: actor, on: db)
            return tally
        }
        try await LedgerCounts.apply(tally, on: db)
    }
}
