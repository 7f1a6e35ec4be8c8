import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles

extension LedgerImporter {
    /// One pass's checks of a file, a chunk at a time: reads each row, places it in its
    /// township, refuses codes and names repeated across the file, and decides what each row
    /// does against the ledger as it stood before the import. Keeps the preview and, for the
    /// checks across rows, a fingerprint per code and per township + name — not the rows.
    ///
    /// A pass that writes each chunk as it goes (`checkAndWrite`) still judges every row against
    /// the ledger as it was before its first write: its writes report what they changed
    /// (`wroteCodes(from:in:)`, `vacated(_:)`), and the checks look through them.
    struct FileCheck {
        let scope: Scope
        let checks: OrganizationChecks
        private(set) var checked = Checked()
        private var sheet: SheetPass
        private let resolver: TownshipResolver
        private var codesInFile = FirstRows()
        private var namesInFile = FirstRows()
        private var namesInLedger: LedgerNames
        /// Per township, the first sequence number the pass's own creates took: codes from there
        /// on did not exist before the import.
        private var firstOwnNumbers: [String: Int] = [:]
        /// The names ("township|name key") active organizations had before the pass's updates
        /// renamed or moved them, with their codes.
        private var vacatedNames: [TextFingerprint: String] = [:]

        var ledgerIsEmpty: Bool { namesInLedger.ledgerIsEmpty }

        /// `ledgerIsEmpty`: the ledger holds no organization, so no row can meet one by code or
        /// name (and the pass need not ask). `expectedRows`: about how many rows the file holds, if known.
        init(scope: Scope, checks: OrganizationChecks, ledgerIsEmpty: Bool = false, expectedRows: Int? = nil,
             on db: any Database) async throws {
            self.scope = scope
            self.checks = checks
            sheet = SheetPass(references: try await ReferenceStore.lists(on: db))
            resolver = try await TownshipResolver.load(scope: scope, on: db)
            namesInLedger = LedgerNames(scope: scope, ledgerIsEmpty: ledgerIsEmpty)
            // Every row's name is kept; codes only a file of updates gives.
            if let expectedRows { namesInFile.reserve(expectedRows) }
        }

        /// Checks `chunk` and adds it to the preview; returns the decision of every row that was
        /// read and placed (rejections included).
        mutating func check(_ chunk: [TabularRow], on db: any Database) async throws -> [Decision] {
            var placed: [(row: LedgerRow, place: TownshipResolver.Place)] = []
            let reads = try sheet.read(chunk)
            checked.preview.rowCount += reads.count
            // The organizations the rows name by code, as they were before the import.
            let codes = reads.compactMap { try? $0.get().code }
            var existing = codes.isEmpty || namesInLedger.ledgerIsEmpty ? [:] : try await existingRecords(codes: codes, on: db)
            for code in existing.keys where isOwn(code) { existing[code] = nil }
            for read in reads {
                switch read {
                case .failure(let problems):
                    checked.preview.rejected += problems.problems
                case .success(var row):
                    let current = row.code.flatMap { existing[$0]?.fields.townshipCode }
                    switch resolver.resolve(township: row.townshipText, county: row.countyText, current: current) {
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
            let nameKeys = placed.map { nameKey(township: $0.place.code, name: $0.row.fields.name) }
            var sameNames = try await namesInLedger.codes(for: nameKeys, townships: Set(placed.map(\.place.code)), on: db)
            if !vacatedNames.isEmpty {
                for key in nameKeys where sameNames[key] == nil { sameNames[key] = vacatedNames[TextFingerprint(key)] }
            }
            var decisions: [Decision] = []
            decisions.reserveCapacity(placed.count)
            for ((row, place), nameKey) in zip(placed, nameKeys) {
                if let first = namesInFile.earlierRow(of: nameKey, than: row.rowNumber) {
                    checked.preview.rejected.append(RowProblem(rowNumber: row.rowNumber, column: LedgerColumn.name.header,
                                                               reason: "与第 \(first) 行重复（同一乡镇下同名的团组织）"))
                    continue
                }
                let decision = decide(row, at: place, current: row.code.flatMap { existing[$0] }, sameName: .some(sameNames[nameKey]),
                                      scope: scope, checks: checks, today: checked.today)
                checked.add(decision, townshipName: place.name, checks: checks)
                decisions.append(decision)
            }
            return decisions
        }

        /// The preview, once every chunk is checked; refuses a file without a header. The
        /// fingerprints and the ledger's names go (~40 and 32 MB at a million rows each), before
        /// an import builds the indexes it set aside.
        mutating func finish() throws -> Checked {
            codesInFile = FirstRows()
            namesInFile = FirstRows()
            vacatedNames = [:]
            namesInLedger.forget()
            let header = try sheet.finish()
            checked.preview.unknownHeaders = header.unknownHeaders
            checked.preview.ignored = sheet.setAside.isEmpty ? nil : sheet.setAside
            checked.preview.rejected.sort { ($0.rowNumber, $0.column) < ($1.rowNumber, $1.column) }
            return checked
        }

        // MARK: - What a writing pass has written

        /// The pass's creates in `township` take sequence numbers from `first` on.
        mutating func wroteCodes(from first: Int, in township: String) {
            if firstOwnNumbers[township] == nil { firstOwnNumbers[township] = first }
        }

        /// The pass wrote `update`: the name its organization had is free from now on.
        mutating func vacated(_ update: Update) {
            let before = update.current
            guard before.fields.stage != .dissolved, before.fields.stage != .merged else { return }
            let oldKey = nameKey(township: before.fields.townshipCode, name: before.fields.name)
            if oldKey != nameKey(township: update.fields.townshipCode, name: update.fields.name) {
                vacatedNames[TextFingerprint(oldKey)] = before.code
            }
        }

        /// Whether `code` is one the pass itself gave (`township-NNNN` from its first number there).
        private func isOwn(_ code: String) -> Bool {
            guard !firstOwnNumbers.isEmpty, let dash = code.lastIndex(of: "-"),
                  let first = firstOwnNumbers[String(code[..<dash])], let number = OrganizationStore.sequenceNumber(of: code)
            else { return false }
            return number >= first
        }
    }
}
