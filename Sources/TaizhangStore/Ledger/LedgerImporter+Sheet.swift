import Foundation
import TaizhangCore
import TaizhangFiles

extension LedgerImporter {
    /// The sheet as one pass reads it, a chunk at a time: finds the header among the first rows,
    /// sets titles above it and notes below it aside, and reads every other row.
    struct SheetPass {
        let references: ReferenceLists
        private(set) var header: LedgerHeader?
        private var rowReader: LedgerRowReader?
        private var firstCells: [String]?
        /// Titles above the header, then notes, totals and signatures below it, in sheet order.
        private(set) var setAside: [IgnoredRow] = []

        init(references: ReferenceLists) {
            self.references = references
        }

        /// The rows of `chunk` below the header, read; blank rows, titles and notes left out.
        mutating func read(_ chunk: [TabularRow]) throws -> [Result<LedgerRow, RowProblems>] {
            var rows: [Result<LedgerRow, RowProblems>] = []
            rows.reserveCapacity(chunk.count)
            for row in chunk {
                let (number, cells) = (row.number, row.cells)
                if LedgerRowReader.isBlank(cells) { continue }
                guard let reading = rowReader else {
                    guard let found = LedgerSheetLayout.header(in: cells) else {
                        if firstCells == nil { firstCells = cells }
                        guard number < LedgerSheetLayout.headerSearchRows else {
                            _ = try LedgerHeader(firstCells ?? cells)  // names the key columns the first row lacks
                            throw Refusal("前 \(LedgerSheetLayout.headerSearchRows) 行中找不到表头：请使用下载的模板")
                        }
                        setAside.append(IgnoredRow(rowNumber: number, reason: .aboveHeader, text: LedgerSheetLayout.summary(cells)))
                        continue
                    }
                    header = found
                    rowReader = LedgerRowReader(header: found, references: references)
                    continue
                }
                if LedgerSheetLayout.isNote(cells) {
                    setAside.append(IgnoredRow(rowNumber: number, reason: .note, text: LedgerSheetLayout.summary(cells)))
                    continue
                }
                rows.append(reading.read(cells, rowNumber: number))
            }
            return rows
        }

        /// The header, once the whole file is read; refuses a file that has none.
        func finish() throws -> LedgerHeader {
            guard let header else {
                if let firstCells { _ = try LedgerHeader(firstCells) }  // names the key columns the first row lacks
                throw Refusal("文件是空的：第一行应为表头（组织编码、县（市、区）、乡镇（街道）、团组织名称……），请使用下载的模板")
            }
            return header
        }
    }
}
