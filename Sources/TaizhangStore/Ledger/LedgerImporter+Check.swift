import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles

extension LedgerImporter {
    /// Rows a pass holds at a time (the reader keeps two more chunks ready).
    static let chunkSize = 5_000

    /// What the checking pass found: the preview, how many organizations each township gains
    /// (the writing pass numbers them from there), and a digest of the rows it read.
    struct Checked {
        var preview = Preview()
        var createsPerTownship: [String: Int] = [:]
        var digest = 0
        /// The day the rows were judged on (a stage date may not be after it); the writing pass
        /// judges on the same day, also when it runs past midnight.
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
    /// and keeps the preview and, for checks across rows, a fingerprint per code and per
    /// township + name — not the rows.
    static func check(
        _ reader: TabularFileReader, scope: Scope, checks: OrganizationChecks, on db: any Database
    ) async throws -> Checked {
        var sheet = SheetPass(references: try await ReferenceStore.lists(on: db))
        let resolver = try await TownshipResolver.load(scope: scope, on: db)
        var checked = Checked()
        let today = checked.today
        var codesInFile = FirstRows()
        var namesInFile = FirstRows()
        var namesInLedger = LedgerNames(scope: scope)
        var chunks = reader.chunks(of: chunkSize)
        defer { chunks.cancel() }
        while let chunk = try await chunks.next() {
            var placed: [(row: LedgerRow, place: TownshipResolver.Place)] = []
            let reads = try sheet.read(chunk)
            checked.preview.rowCount += reads.count
            for read in reads {
                switch read {
                case .failure(let problems):
                    checked.preview.rejected += problems.problems
                case .success(var row):
                    switch resolver.resolve(township: row.townshipText, county: row.countyText) {
                    case .failure(let why):
                        checked.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: why.column.header, reason: why.reason))
                    case .success(let place):
                        row.fields.townshipCode = place.code
                        if let code = row.code, let first = codesInFile.earlierRow(of: code, than: row.rowNumber) {
                            checked.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.code.header,
                                                                       reason: "与第 \(first) 行的组织编码「\(code)」重复"))
                            continue
                        }
                        placed.append((row, place))
                    }
                }
            }
            // Duplicates by township and name, within the file and against the ledger.
            let existing = try await existingRecords(codes: placed.compactMap(\.row.code), on: db)
            let nameKeys = placed.map { $0.place.code + "|" + TownshipResolver.key($0.row.fields.name) }
            let sameNames = try await namesInLedger.codes(for: nameKeys, townships: Set(placed.map(\.place.code)), on: db)
            for ((row, place), nameKey) in zip(placed, nameKeys) {
                if let first = namesInFile.earlierRow(of: nameKey, than: row.rowNumber) {
                    checked.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.name.header,
                                                               reason: "与第 \(first) 行重复（同一乡镇下同名的团组织）"))
                    continue
                }
                let decision = decide(row, at: place, current: row.code.flatMap { existing[$0] }, sameName: .some(sameNames[nameKey]),
                                      scope: scope, checks: checks, today: today)
                checked.add(decision, townshipName: place.name, checks: checks)
            }
        }
        let header = try sheet.finish()
        checked.preview.unknownHeaders = header.unknownHeaders
        checked.preview.ignored = sheet.setAside.isEmpty ? nil : sheet.setAside
        checked.preview.rejected.sort { ($0.rowNumber, $0.column) < ($1.rowNumber, $1.column) }
        checked.digest = sheet.digest.finalize()
        return checked
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
            createsPerTownship[create.fields.townshipCode, default: 0] += 1
            preview.addSample(.init(rowNumber: create.rowNumber, action: "新增", name: create.fields.name, township: townshipName,
                                    stage: create.fields.stage.label))
            preview.newCount += 1
        }
    }
}

/// The first row each text was seen in, kept as fingerprints: ~30 bytes a row, not the text.
struct FirstRows {
    private var rows: [TextFingerprint: Int32] = [:]

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
struct TextFingerprint: Hashable {
    let first: Int
    let second: Int

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
