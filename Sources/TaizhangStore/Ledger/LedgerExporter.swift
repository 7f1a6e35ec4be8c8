import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangFiles

/// Writes a filtered view of the ledger as XLSX or CSV in the template's columns and 核查状态 (the
/// review state, 抽查不属实 where a spot check found it so), so the file can be edited and imported
/// back (unchanged rows stay unchanged; the import ignores 核查状态).
public enum LedgerExporter {
    public enum Format: String, Sendable, CaseIterable {
        case xlsx, csv

        /// By the file name's extension; nil for anything else.
        public init?(fileName: String) {
            self.init(rawValue: (fileName as NSString).pathExtension.lowercased())
        }
    }

    /// Column widths in characters, for a sheet that opens readable.
    static let widths: [Double] = [16, 12, 14, 30, 8, 16, 10, 30, 8, 12, 12, 16, 8, 14, 8, 14, 10, 6, 6, 8, 16, 10, 20, 20]

    /// Writes the empty template (the header row only).
    public static func writeTemplate(to url: URL, format: Format) throws {
        switch format {
        case .xlsx:
            let writer = try XLSXWriter(url: url, sheetName: "团组织台账", columnWidths: widths)
            try writer.appendHeader(LedgerColumn.allCases.map(\.header))
            try writer.finish()
        case .csv:
            try Data(("\u{FEFF}" + LedgerColumn.allCases.map(\.header).joined(separator: ",") + "\r\n").utf8).write(to: url)
        }
    }

    /// Writes every record matching `filter`; returns how many.
    @discardableResult
    public static func write(_ filter: LedgerFilter, to url: URL, format: Format, on db: any Database) async throws -> Int {
        let names = try await DivisionNames.load(on: db)
        var count = 0
        switch format {
        case .xlsx:
            let writer = try XLSXWriter(url: url, sheetName: "团组织台账", columnWidths: widths)
            try writer.appendHeader(LedgerColumn.allCases.map(\.header) + LedgerHeader.exportOnly)
            try await LedgerQuery.forEach(filter, on: db) { records in
                for record in records {
                    let cells = cells(record, names: names)
                    try writer.appendRow(zip(LedgerColumn.allCases, cells).map { column, text in
                        LedgerRowWriter.numericColumns.contains(column) ? XLSXCell.numberIfPlain(text) : (text.isEmpty ? .empty : .text(text))
                    } + [.text(record.review.label)])
                }
                count += records.count
            }
            try writer.finish()
        case .csv:
            FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            // A byte-order mark so Chinese Excel opens it as UTF-8.
            try handle.write(contentsOf: Data(("\u{FEFF}" + (LedgerColumn.allCases.map(\.header) + LedgerHeader.exportOnly).joined(separator: ",") + "\r\n").utf8))
            try await LedgerQuery.forEach(filter, on: db) { records in
                var chunk = ""
                for record in records {
                    chunk += (cells(record, names: names) + [record.review.label]).map(CSVWriter.field).joined(separator: ",") + "\r\n"
                }
                try handle.write(contentsOf: Data(chunk.utf8))
                count += records.count
            }
        }
        return count
    }

    static func cells(_ record: OrganizationRecord, names: DivisionNames) -> [String] {
        let township = names.byCode[record.fields.townshipCode]
        let county = township?.parentCode.flatMap { names.byCode[$0] }
        return LedgerRowWriter.cells(code: record.code, countyName: county?.name ?? "", townshipName: township?.name ?? record.fields.townshipCode,
                                     record.fields)
    }
}

/// Names and parents of the county- and township-level divisions, for labelling rows.
public struct DivisionNames: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var parentCode: String?
    }

    public var byCode: [String: Entry]

    public init(byCode: [String: Entry]) {
        self.byCode = byCode
    }

    public static func load(on db: any Database) async throws -> DivisionNames {
        struct Row: Decodable {
            var code: String
            var name: String
            var parentCode: String?
        }
        let rows = try await db.sql.select().columns("code", "name", "parent_code").from("divisions")
            .where("level", .in, [DivisionLevel.county.rawValue, DivisionLevel.township.rawValue])
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return DivisionNames(byCode: Dictionary(rows.map { ($0.code, Entry(name: $0.name, parentCode: $0.parentCode)) },
                                                uniquingKeysWith: { first, _ in first }))
    }

    /// Names of just these townships and their counties (a page's worth).
    public static func load(townships codes: Set<String>, on db: any Database) async throws -> DivisionNames {
        struct Row: Decodable {
            var code: String
            var name: String
            var parentCode: String?
        }
        guard !codes.isEmpty else { return DivisionNames(byCode: [:]) }
        let townships = try await db.sql.select().columns("code", "name", "parent_code").from("divisions")
            .where("code", .in, Array(codes)).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        let parents = Set(townships.compactMap(\.parentCode))
        let counties = parents.isEmpty ? [] : try await db.sql.select().columns("code", "name", "parent_code").from("divisions")
            .where("code", .in, Array(parents)).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return DivisionNames(byCode: Dictionary((townships + counties).map { ($0.code, Entry(name: $0.name, parentCode: $0.parentCode)) },
                                                uniquingKeysWith: { first, _ in first }))
    }
}
