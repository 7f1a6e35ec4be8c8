import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles

extension LedgerImporter {
    /// Rows a pass holds at a time (the reader keeps two more chunks ready).
    static let chunkSize = 5_000
    /// Keys of the running-count tally a writing pass holds before it writes them (a test sets
    /// fewer, to have them written many times).
    @TaskLocal static var tallyKeysHeld = 25_000

    /// What a pass found: the preview.
    struct Checked {
        var preview = Preview()
        /// The day the rows were judged on (a stage date may not be after it), the same for every
        /// row, also when the pass runs past midnight.
        let today = CalendarDay.today()
    }

    /// What a row does to the ledger as it stood before the import.
    enum Decision {
        case create(NewOrganization)
        case update(Update)
        case unchanged
        case rejected(RowProblem)
    }

    /// The checking pass: reads the whole file a chunk at a time against the ledger as it is,
    /// and writes nothing.
    static func check(
        _ reader: TabularFileReader, scope: Scope, checks: OrganizationChecks, on db: any Database
    ) async throws -> Checked {
        var file = try await FileCheck(scope: scope, checks: checks, expectedRows: reader.estimatedRowCount(), on: db)
        var chunks = reader.chunks(of: chunkSize)
        defer { chunks.cancel() }
        while let chunk = try await chunks.next() {
            _ = try await file.check(chunk, on: db)
        }
        return try file.finish()
    }

    /// What `row` (read and placed in its township) does to the ledger as it stood before the
    /// import. `sameName` is the code of the active organization in the township with the
    /// row's name, if any; `nil` when names were already checked (the writing pass).
    static func decide(
        _ row: LedgerRow, at place: TownshipResolver.Place, current: OrganizationRecord?, sameName: String??,
        scope: Scope, checks: OrganizationChecks, today: CalendarDay
    ) -> Decision {
        func reject(_ column: LedgerColumn, _ reason: String) -> Decision {
            .rejected(RowProblem(rowNumber: row.rowNumber, column: column.header, reason: reason))
        }
        guard let code = row.code else {
            if case .some(let other?) = sameName {
                return reject(.name, "台账中已有同名团组织（编码 \(other)）；要修改它请填写组织编码")
            }
            if let problem = refusal(row.fields, row: row.rowNumber, checks: checks, today: today) { return .rejected(problem) }
            return .create(NewOrganization(rowNumber: row.rowNumber, fields: row.fields, path: place.path))
        }
        guard let current else { return reject(.code, "台账中没有编码为「\(code)」的团组织（新组织请留空）") }
        guard scope.contains(current.divisionPath) else { return reject(.code, "「\(code)」不在您的管理范围内") }
        if case .some(let other?) = sameName, other != code { return reject(.name, "台账中已有同名团组织（编码 \(other)）") }
        let fields = current.fields.replacing(row.presentColumns, from: row.fields)
        if fields == current.fields { return .unchanged }
        if let signOff = current.review.signOffID {
            return reject(.code, "「\(current.fields.name)」（\(code)）已由市级签字确认锁定（签字第 \(signOff) 号），导入不能修改；请市级先撤销签字")
        }
        if fields.stage != current.fields.stage,
           current.fields.stage.isEnded || fields.stage.isEnded || (fields.stage.rank ?? 0) < (current.fields.stage.rank ?? 0) {
            return reject(.stage, "从「\(current.fields.stage.label)」到「\(fields.stage.label)」须在团组织页面登记（要写原因）；导入只能向前推进阶段")
        }
        if let problem = refusal(fields, row: row.rowNumber, checks: checks, today: today) { return .rejected(problem) }
        return .update(Update(rowNumber: row.rowNumber, current: current, fields: fields, path: place.path))
    }
}

extension LedgerImporter.Checked {
    mutating func add(_ decision: LedgerImporter.Decision, townshipName: String, checks: OrganizationChecks) {
        switch decision {
        case .rejected(let problem):
            preview.rejected.append(problem)
        case .unchanged:
            preview.unchangedCount += 1
        case .update(let update):
            preview.warnings += checks.warnings(update.fields).map { "第 \(update.rowNumber) 行：\($0)" }
            preview.addSample(.init(rowNumber: update.rowNumber, action: "更新",
                                    changes: update.fields.changedFields(since: update.current.fields).joined(separator: "、"),
                                    name: update.fields.name, township: townshipName, stage: update.fields.stage.label))
            preview.updatedCount += 1
        case .create(let create):
            preview.warnings += checks.warnings(create.fields).map { "第 \(create.rowNumber) 行：\($0)" }
            preview.addSample(.init(rowNumber: create.rowNumber, action: "新增", name: create.fields.name, township: townshipName,
                                    stage: create.fields.stage.label))
            preview.newCount += 1
        }
    }
}

/// The first row each text was seen in, kept as fingerprints: ~30 bytes a row, not the text.
struct FirstRows {
    private var rows: [TextFingerprint: Int32] = [:]

    /// Room for `count` texts at once, up to `reservedAtMost`. A table that grows doubles, holding
    /// its old storage and the new one together for a moment: at a million names that moment was
    /// ~60 MB, the peak of a million-row import into a national ledger of two million. The count
    /// comes from the file's line breaks, which a file of empty lines has without rows; past the
    /// bound the table grows with the rows as before.
    mutating func reserve(_ count: Int) {
        rows.reserveCapacity(min(count, Self.reservedAtMost))
    }

    /// An XLSX sheet holds at most 1,048,576 rows; the national benchmark's files 1,000,000.
    static let reservedAtMost = 1_100_000

    /// The row `text` was first seen in; if none, records `row` as that row and returns nil.
    mutating func earlierRow(of text: String, than row: Int) -> Int? {
        let print = TextFingerprint(text)
        if let first = rows[print] { return Int(first) }
        rows[print] = Int32(clamping: row)
        return nil
    }
}

/// A 128-bit fingerprint of a text, for telling a million texts apart without keeping them
/// (two 64-bit hashes of the process's hasher; a false match among a million is ~1 in 10²⁵).
struct TextFingerprint: Hashable, Comparable {
    let first: Int
    let second: Int

    static func < (left: Self, right: Self) -> Bool {
        (left.first, left.second) < (right.first, right.second)
    }

    init(_ text: String) {
        var a = Hasher()
        a.combine(0 as UInt8)
        a.combine(text)
        first = a.finalize()
        var b = Hasher()
        b.combine(1 as UInt8)
        b.combine(text)
        second = b.finalize()
    }
}
