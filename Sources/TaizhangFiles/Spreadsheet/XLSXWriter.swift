import Foundation
import ZIPFoundation

/// Writes a one-sheet .xlsx file row by row in constant memory: rows are streamed as XML to
/// a temporary file and zipped with the other parts on `finish()`. Strings are written inline
/// (`t="inlineStr"`, no shared-strings table in memory) and formatted as text, so "0591…" or
/// "350521101001" stay text. The header row is bold and, by default, frozen.
///
/// Not thread-safe; use one writer from one task. Call `finish()` exactly once; a writer that
/// is dropped unfinished removes its temporary file and leaves `url` untouched.
public final class XLSXWriter {
    /// Where the workbook is written by `finish()`.
    public let url: URL
    /// Rows appended so far, header included.
    public private(set) var rowCount = 0

    private static let maxRows = 1_048_576
    private let sheetName: String
    private let sheetFile: URL
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private var columnNames: [[UInt8]] = []

    /// Starts a workbook at `url` (replaced on `finish()` if it exists). `columnWidths` are in
    /// Excel character units, first column first; `freezeHeaderRow` keeps row 1 in view.
    public init(url: URL, sheetName: String = "Sheet1", columnWidths: [Double] = [], freezeHeaderRow: Bool = true) throws {
        self.url = url
        self.sheetName = Self.validSheetName(sheetName)
        self.sheetFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("taizhang-sheet-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: sheetFile.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: sheetFile.path])
        }
        handle = try FileHandle(forWritingTo: sheetFile)
        buffer.reserveCapacity(1 << 20)
        var head = XLSXPackageParts.header
        head += #"<worksheet xmlns="\#(XLSXPackageParts.mainNamespace)" xmlns:r="\#(XLSXPackageParts.relationshipNamespace)">"#
        if freezeHeaderRow {
            head += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
        }
        head += #"<sheetFormatPr defaultRowHeight="15"/>"#
        let widths = columnWidths.enumerated().filter { $0.element.isFinite && $0.element > 0 }
        if !widths.isEmpty {
            head += "<cols>"
            for (index, width) in widths {
                let clamped = min(width, 255)
                head += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(clamped)" customWidth="1"/>"#
            }
            head += "</cols>"
        }
        head += "<sheetData>"
        buffer.append(contentsOf: head.utf8)
    }

    deinit {
        try? handle?.close()
        try? FileManager.default.removeItem(at: sheetFile)
    }

    /// Appends a bold header row of texts.
    public func appendHeader(_ titles: [String]) throws {
        try appendRow(titles.map { $0.isEmpty ? .empty : .text($0) }, style: XLSXPackageParts.Style.bold)
    }

    /// Appends a row of texts; "" leaves the cell empty.
    public func appendRow(_ values: [String]) throws {
        try appendRow(values.map { $0.isEmpty ? .empty : .text($0) })
    }

    /// Appends a row of typed cells.
    public func appendRow(_ cells: [XLSXCell]) throws {
        try appendRow(cells, style: nil)
    }

    /// Writes the remaining parts and zips the workbook to `url`.
    public func finish() throws {
        guard let handle else { return }
        buffer.append(contentsOf: "</sheetData></worksheet>".utf8)
        try flush()
        try handle.close()
        self.handle = nil
        defer { try? FileManager.default.removeItem(at: sheetFile) }
        if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
        do {
            let archive = try Archive(url: url, accessMode: .create)
            try add("[Content_Types].xml", XLSXPackageParts.contentTypes, to: archive)
            try add("_rels/.rels", XLSXPackageParts.rootRelationships, to: archive)
            try add("docProps/app.xml", XLSXPackageParts.app(sheetName: sheetName), to: archive)
            try add("docProps/core.xml", XLSXPackageParts.core(created: Date()), to: archive)
            try add("xl/workbook.xml", XLSXPackageParts.workbook(sheetName: sheetName), to: archive)
            try add("xl/_rels/workbook.xml.rels", XLSXPackageParts.workbookRelationships, to: archive)
            try add("xl/styles.xml", XLSXPackageParts.styles, to: archive)
            try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: sheetFile,
                                 compressionMethod: .deflate, bufferSize: 1 << 20)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }

    // MARK: - Rows

    private func appendRow(_ cells: [XLSXCell], style: Int?) throws {
        guard handle != nil else { throw CocoaError(.fileWriteUnknown) }
        guard rowCount < Self.maxRows, cells.count <= XLSXSheetHandler.maxColumns else {
            throw SpreadsheetError.exceedsExcelSheetSize
        }
        rowCount += 1
        while columnNames.count < cells.count { columnNames.append(Self.columnName(columnNames.count)) }
        buffer.append(contentsOf: #"<row r=""#.utf8)
        XMLWriting.appendDecimal(rowCount, to: &buffer)
        buffer.append(contentsOf: #"">"#.utf8)
        for (column, cell) in cells.enumerated() {
            switch cell {
            case .empty:
                continue
            case .text(let text):
                if text.isEmpty { continue }
                startCell(column, style: style ?? XLSXPackageParts.Style.text, type: #" t="inlineStr""#)
                let spaced = Self.isXMLSpace(text.utf8.first) || Self.isXMLSpace(text.utf8.last)
                buffer.append(contentsOf: (spaced ? #"<is><t xml:space="preserve">"# : "<is><t>").utf8)
                XMLWriting.appendEscaped(text, to: &buffer)
                buffer.append(contentsOf: "</t></is></c>".utf8)
            case .number(let value):
                guard value.isFinite else { continue }
                startCell(column, style: style, type: "")
                buffer.append(contentsOf: "<v>".utf8)
                if value == value.rounded(), abs(value) < 1e15 {
                    if value < 0 { buffer.append(UInt8(ascii: "-")) }
                    XMLWriting.appendDecimal(Int(abs(value)), to: &buffer)
                } else {
                    buffer.append(contentsOf: "\(value)".utf8)
                }
                buffer.append(contentsOf: "</v></c>".utf8)
            case .serialDate(let serial):
                startCell(column, style: XLSXPackageParts.Style.date, type: "")
                buffer.append(contentsOf: "<v>".utf8)
                XMLWriting.appendDecimal(serial, to: &buffer)
                buffer.append(contentsOf: "</v></c>".utf8)
            }
        }
        buffer.append(contentsOf: "</row>\n".utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    @inline(__always)
    private func startCell(_ column: Int, style: Int?, type: String) {
        buffer.append(contentsOf: #"<c r=""#.utf8)
        buffer.append(contentsOf: columnNames[column])
        XMLWriting.appendDecimal(rowCount, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
        if let style {
            buffer.append(contentsOf: #" s=""#.utf8)
            XMLWriting.appendDecimal(style, to: &buffer)
            buffer.append(UInt8(ascii: "\""))
        }
        buffer.append(contentsOf: type.utf8)
        buffer.append(UInt8(ascii: ">"))
    }

    private func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func add(_ path: String, _ text: String, to archive: Archive) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate) { position, size in
            let start = Int(position)
            return data.subdata(in: start..<min(start + size, data.count))
        }
    }

    // MARK: - Helpers

    /// Whether an edge byte is XML whitespace, which Excel trims unless `xml:space="preserve"`.
    private static func isXMLSpace(_ byte: UInt8?) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// 0 → "A", 25 → "Z", 26 → "AA".
    static func columnName(_ index: Int) -> [UInt8] {
        var name: [UInt8] = []
        var n = index + 1
        while n > 0 {
            let remainder = (n - 1) % 26
            name.insert(UInt8(ascii: "A") + UInt8(remainder), at: 0)
            n = (n - 1) / 26
        }
        return name
    }

    /// At most 31 characters, none of `[ ] : * ? / \`, not empty.
    static func validSheetName(_ name: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var cleaned = String(name.map { forbidden.contains($0) ? "_" : $0 })
            .filter { !($0.asciiValue.map { $0 < 0x20 } ?? false) }
        while cleaned.hasPrefix("'") { cleaned.removeFirst() }
        while cleaned.hasSuffix("'") { cleaned.removeLast() }
        cleaned = String(cleaned.prefix(31))
        return cleaned.trimmingCharacters(in: .whitespaces).isEmpty ? "Sheet1" : cleaned
    }
}
