import Foundation

/// Turns a worksheet's XML, fed in chunks, into rows of cell texts.
///
/// Cell values come back as text, never reinterpreted:
/// - shared (`t="s"`), inline (`t="inlineStr"`) and formula (`t="str"`) strings: the text;
/// - numbers (no `t` or `t="n"`): the stored number as written, e.g. "41218" or "3.5"; a
///   date cell is such a number (an Excel serial day), which `ValueParser.day` understands.
///   Excel's binary noise past 15 significant digits is rounded away ("3.2999999999999998" → "3.3");
/// - booleans (`t="b"`): "1" or "0" raw — the caller decides what true means;
/// - errors (`t="e"`): the error text, e.g. "#N/A"; ISO dates (`t="d"`): the text as stored.
/// Rows absent from the sheet are skipped; columns absent from a row are filled with "".
struct XLSXSheetHandler: XMLTokenHandler {
    /// Excel's last column, XFD.
    static let maxColumns = 16_384

    private enum CellType { case number, shared, inline, string, boolean, error, other }
    private enum Capture { case none, value, inline }

    private let sharedStrings: [String]
    private let emit: (Int, [String]) throws -> Void
    private var inSheetData = false
    /// Whether `</sheetData>` was reached, i.e. the sheet XML was not cut short.
    private(set) var reachedEnd = false
    private var rowNumber = 0
    private var cells: [String] = []
    private var column = -1
    private var inCell = false
    private var cellType = CellType.number
    private var capture = Capture.none
    private var inInlineString = false
    private var phoneticDepth = 0
    private var value: [UInt8] = []
    private var inline: [UInt8] = []

    init(sharedStrings: [String], emit: @escaping (Int, [String]) throws -> Void) {
        self.sharedStrings = sharedStrings
        self.emit = emit
    }

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        guard inSheetData else {
            if name.equals("sheetData") { inSheetData = true }
            return
        }
        switch name.count {
        case 1 where name[0] == UInt8(ascii: "c"):
            try startCell(attributes)
        case 1 where name[0] == UInt8(ascii: "v"):
            capture = .value
        case 1 where name[0] == UInt8(ascii: "t"):
            if inInlineString, phoneticDepth == 0 { capture = .inline }
        case 2 where name.equals("is"):
            inInlineString = true
        case 3 where name.equals("row"):
            startRow(attributes)
        case 3 where name.equals("rPh"):
            phoneticDepth += 1
        default:
            break
        }
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {
        guard inSheetData else { return }
        switch name.count {
        case 1 where name[0] == UInt8(ascii: "c"):
            guard inCell else { throw SpreadsheetError.corruptXLSX }
            inCell = false
            try endCell()
        case 1 where name[0] == UInt8(ascii: "v") || name[0] == UInt8(ascii: "t"):
            capture = .none
        case 2 where name.equals("is"):
            inInlineString = false
        case 3 where name.equals("row"):
            try emit(rowNumber, cells)
        case 3 where name.equals("rPh"):
            phoneticDepth -= 1
        case 9 where name.equals("sheetData"):
            inSheetData = false
            reachedEnd = true
        default:
            break
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        switch capture {
        case .none: break
        case .value: value.append(contentsOf: bytes)
        case .inline: inline.append(contentsOf: bytes)
        }
    }

    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        switch capture {
        case .none: break
        case .value: XMLText.appendEscaped(bytes, to: &value)
        case .inline: XMLText.appendEscaped(bytes, to: &inline)
        }
    }

    private mutating func startRow(_ attributes: UnsafeBufferPointer<UInt8>) {
        if let r = XMLText.attribute("r", in: attributes), let number = Self.parseInt(r), number > 0 {
            rowNumber = number
        } else {
            rowNumber += 1
        }
        cells.removeAll(keepingCapacity: true)
        column = -1
        inCell = false
    }

    private mutating func startCell(_ attributes: UnsafeBufferPointer<UInt8>) throws {
        cellType = .number
        var reference: UnsafeBufferPointer<UInt8>?
        Self.forEachAttribute(in: attributes) { name, value in
            guard name.count == 1 else { return }
            if name[0] == UInt8(ascii: "r") {
                reference = value
            } else if name[0] == UInt8(ascii: "t") {
                cellType = Self.cellType(value)
            }
        }
        if let reference, let index = Self.columnIndex(reference) {
            column = index
        } else {
            column += 1
        }
        guard column >= 0, column < Self.maxColumns else { throw SpreadsheetError.corruptXLSX }
        inCell = true
        if !value.isEmpty { value.removeAll(keepingCapacity: true) }
        if !inline.isEmpty { inline.removeAll(keepingCapacity: true) }
        inInlineString = false
        phoneticDepth = 0
        capture = .none
    }

    private mutating func endCell() throws {
        let text: String
        switch cellType {
        case .shared:
            guard let index = value.withUnsafeBufferPointer({ Self.parseInt($0) }) else {
                text = ""
                break
            }
            guard index >= 0, index < sharedStrings.count else { throw SpreadsheetError.corruptXLSX }
            text = sharedStrings[index]
        case .inline:
            text = XMLText.decode(inline, ooxmlEscapes: true)
        case .string:
            text = XMLText.decode(value, ooxmlEscapes: true)
        case .number:
            text = Self.normalizedNumber(value)
        case .boolean, .error, .other:
            text = XMLText.decode(value)
        }
        guard column >= 0 else { throw SpreadsheetError.corruptXLSX }
        if column == cells.count {
            cells.append(text)
        } else if column > cells.count {
            cells.append(contentsOf: repeatElement("", count: column - cells.count))
            cells.append(text)
        } else {
            cells[column] = text
        }
    }

    // MARK: - Parsing helpers

    private static func cellType(_ t: UnsafeBufferPointer<UInt8>) -> CellType {
        if t.equals("s") { return .shared }
        if t.equals("inlineStr") { return .inline }
        if t.equals("str") { return .string }
        if t.equals("n") { return .number }
        if t.equals("b") { return .boolean }
        if t.equals("e") { return .error }
        return .other
    }

    /// "C5" → 2; nil when the reference has no letters.
    static func columnIndex(_ reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference {
            let upper = byte & ~0x20
            guard upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") else { break }
            index = index * 26 + Int(upper - UInt8(ascii: "A")) + 1
            letters += 1
            if letters > 3 { return maxColumns }
        }
        return letters == 0 ? nil : index - 1
    }

    /// A non-negative decimal of at most 9 digits, surrounding spaces allowed.
    static func parseInt(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var result = 0
        var digits = 0
        for byte in bytes {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                result = result * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 9 { return nil }
            } else if !XMLChunkScanner.isSpace(byte) {
                return nil
            }
        }
        return digits == 0 ? nil : result
    }

    /// Calls `body` with each attribute's name (without prefix) and raw value.
    @inline(__always)
    static func forEachAttribute(
        in attributes: UnsafeBufferPointer<UInt8>,
        _ body: (_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Void
    ) {
        guard let base = attributes.baseAddress else { return }
        let n = attributes.count
        var i = 0
        while i < n {
            while i < n, XMLChunkScanner.isSpace(base[i]) { i += 1 }
            var nameStart = i
            while i < n, base[i] != UInt8(ascii: "="), !XMLChunkScanner.isSpace(base[i]) {
                if base[i] == UInt8(ascii: ":") { nameStart = i + 1 }
                i += 1
            }
            let nameEnd = i
            while i < n, base[i] != UInt8(ascii: "\""), base[i] != UInt8(ascii: "'") { i += 1 }
            guard i < n else { return }
            let quote = base[i]
            i += 1
            let valueStart = i
            while i < n, base[i] != quote { i += 1 }
            body(UnsafeBufferPointer(start: base + nameStart, count: nameEnd - nameStart),
                 UnsafeBufferPointer(start: base + valueStart, count: min(i, n) - valueStart))
            i += 1
        }
    }

    /// The number as Excel would show it: more than 15 significant digits of a fraction are rounded.
    static func normalizedNumber(_ bytes: [UInt8]) -> String {
        if bytes.count <= 15 { return String(decoding: bytes, as: UTF8.self) }
        let raw = XMLText.decode(bytes)
        var significant = 0
        var fractional = false
        for byte in raw.utf8 {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if significant > 0 || byte != UInt8(ascii: "0") { significant += 1 }
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                fractional = true
            }
        }
        guard fractional, significant > 15, let number = Double(raw) else { return raw }
        let rounded = String(format: "%.15g", number)
        return rounded.contains("e") ? raw : rounded
    }
}
