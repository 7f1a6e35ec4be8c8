import Foundation

/// The kind of table file, recognised by its first bytes rather than its name.
public enum TabularFileFormat: String, Sendable, Equatable {
    /// An Office Open XML workbook (.xlsx), a ZIP archive.
    case xlsx
    /// Comma-separated text (.csv) in UTF-8, UTF-16 or GBK/GB18030.
    case csv
}

/// What a completed read found.
public struct TabularReadSummary: Sendable, Equatable {
    /// How many rows were handed to the caller.
    public var rowCount: Int
    /// The CSV text encoding that was detected; nil for XLSX.
    public var textEncoding: CSVTextEncoding?
}

/// Reads an uploaded ledger table (XLSX or CSV) one row at a time, without holding the sheet
/// in memory: the worksheet XML is inflated and tokenized chunk by chunk, CSV is read in
/// 4 MiB runs of whole lines. Works on a file or on an upload body already in memory
/// (`init(data:)`, no temporary file needed).
///
/// Rows come as `[String]` with their 1-based row number: the sheet's row number for XLSX
/// (rows absent from the sheet are skipped, missing cells are ""), the line where the row
/// starts for CSV. Rows may differ in length and may be entirely empty. See
/// `XLSXSheetHandler` for how each XLSX cell type becomes text (booleans are "1"/"0";
/// dates are Excel serial numbers).
public struct TabularFileReader: Sendable {
    private enum Source: Sendable {
        case file(URL)
        case memory(Data)
    }

    /// The format recognised from the content.
    public let format: TabularFileFormat
    /// The XLSX size limits in force.
    public let limits: XLSXLimits
    private let source: Source

    /// Recognises the format of a file; throws `SpreadsheetError` for encrypted or legacy
    /// Office files and for unreadable files.
    public init(url: URL, limits: XLSXLimits = .standard) throws {
        let head: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            head = try handle.read(upToCount: 8) ?? Data()
        } catch {
            throw SpreadsheetError.unreadable(url.lastPathComponent)
        }
        self.format = try Self.format(of: head)
        self.limits = limits
        self.source = .file(url)
    }

    /// Recognises the format of bytes in memory (an upload body).
    public init(data: Data, limits: XLSXLimits = .standard) throws {
        self.format = try Self.format(of: data.prefix(8))
        self.limits = limits
        self.source = .memory(data)
    }

    /// Calls `body` with each row in order. Throwing from `body` stops the read and the error
    /// propagates unchanged; problems with the file throw `SpreadsheetError`. A damaged ZIP
    /// may be noticed only after some rows were delivered, so import everything or nothing.
    @discardableResult
    public func forEachRow(_ body: (_ rowNumber: Int, _ cells: [String]) throws -> Void) throws -> TabularReadSummary {
        var rowCount = 0
        let counting: (Int, [String]) throws -> Void = { [limits] number, cells in
            rowCount += 1
            guard rowCount <= limits.maxRows else { throw SpreadsheetError.tooManyRows(limit: limits.maxRows, row: number) }
            guard cells.count <= limits.maxColumns else { throw SpreadsheetError.tooManyColumns(limit: limits.maxColumns, row: number) }
            try body(number, cells)
        }
        switch format {
        case .xlsx:
            try readXLSX(counting)
            return TabularReadSummary(rowCount: rowCount, textEncoding: nil)
        case .csv:
            let encoding = try readCSV(counting)
            return TabularReadSummary(rowCount: rowCount, textEncoding: encoding)
        }
    }

    /// About how many rows follow the header, known without reading them: for CSV, the file's
    /// line breaks counted (a quoted field may hold more, and blank lines count, so this is an
    /// estimate); nil for XLSX, whose rows are known only once its sheet is inflated, for UTF-16
    /// text (whose characters' bytes may look like line breaks), and for a file that cannot be
    /// read (the read itself then says why).
    public func estimatedRowCount() -> Int? {
        guard format == .csv else { return nil }
        func isUTF16(_ head: Data) -> Bool {
            guard let (encoding, _) = TextEncodingDetector.byteOrderMark(head) else { return false }
            return encoding != .utf8
        }
        func lineBreaks(in bytes: UnsafeRawBufferPointer) -> Int {
            var count = 0
            for byte in bytes where byte == 0x0A { count += 1 }
            return count
        }
        var breaks = 0
        var endsWithBreak = false
        switch source {
        case .memory(let data):
            if isUTF16(data) { return nil }
            breaks = data.withUnsafeBytes(lineBreaks)
            endsWithBreak = data.last == 0x0A
        case .file(let url):
            guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
            defer { try? handle.close() }
            var first = true
            while let block = try? handle.read(upToCount: 4 << 20), !block.isEmpty {
                if first, isUTF16(block) { return nil }
                first = false
                breaks += block.withUnsafeBytes(lineBreaks)
                endsWithBreak = block.last == 0x0A
            }
        }
        // The header's line, and a last line without its break.
        return max(0, breaks - 1 + (endsWithBreak ? 0 : 1))
    }

    private static func format(of head: Data) throws -> TabularFileFormat {
        let bytes = Array(head)
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw SpreadsheetError.encryptedOrLegacyExcel
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return .xlsx
        }
        return .csv
    }

    private func readXLSX(_ body: (Int, [String]) throws -> Void) throws {
        let package: XLSXPackage
        switch source {
        case .file(let url): package = try XLSXPackage(url: url, limits: limits)
        case .memory(let data): package = try XLSXPackage(data: data, limits: limits)
        }
        let parts = try package.locateParts()
        var sharedStrings: [String] = []
        if let path = parts.sharedStrings {
            var handler = XLSXSharedStringsHandler()
            var scanner = XMLChunkScanner()
            try package.stream(path, limit: limits.maxSharedStringsBytes, partName: "共享字符串表") { chunk in
                try scanner.feed(chunk, into: &handler)
            }
            try scanner.finish(into: &handler)
            sharedStrings = handler.strings
        }
        try withoutActuallyEscaping(body) { body in
            var handler = XLSXSheetHandler(sharedStrings: sharedStrings, emit: body)
            var scanner = XMLChunkScanner()
            try package.stream(parts.sheet, limit: limits.maxSheetBytes, partName: "工作表") { chunk in
                try scanner.feed(chunk, into: &handler)
            }
            try scanner.finish(into: &handler)
            guard handler.reachedEnd else { throw SpreadsheetError.corruptXLSX }
        }
    }

    private func readCSV(_ body: (Int, [String]) throws -> Void) throws -> CSVTextEncoding {
        switch source {
        case .memory(let data):
            var offset = data.startIndex
            let reader = CSVStreamReader { count in
                let end = data.index(offset, offsetBy: count, limitedBy: data.endIndex) ?? data.endIndex
                defer { offset = end }
                return Array(data[offset..<end])
            }
            return try reader.forEachRow(body)
        case .file(let url):
            let handle: FileHandle
            do {
                handle = try FileHandle(forReadingFrom: url)
            } catch {
                throw SpreadsheetError.unreadable(url.lastPathComponent)
            }
            defer { try? handle.close() }
            let reader = CSVStreamReader { count in
                do {
                    return [UInt8](try handle.read(upToCount: count) ?? Data())
                } catch {
                    throw SpreadsheetError.unreadable(url.lastPathComponent)
                }
            }
            return try reader.forEachRow(body)
        }
    }
}
