import Foundation

/// Receives the tokens of an XML document as `XMLChunkScanner` finds them.
/// Names come without their namespace prefix; buffers are only valid during the call.
protocol XMLTokenHandler {
    /// An opening tag; `attributes` is the raw text after the name. A self-closing tag
    /// is followed by `endElement` at once.
    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws
    /// A closing tag (or the end of a self-closing one).
    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws
    /// Raw character data, entities not yet decoded; one text node may arrive in several pieces.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws
    /// The literal content of a CDATA section.
    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws
}

/// An incremental, non-validating XML tokenizer fed with arbitrary chunks of UTF-8 bytes
/// (as they come out of the ZIP inflater). It keeps only an unfinished tag between chunks,
/// so memory stays flat however large the document is. DTDs are skipped, never expanded.
struct XMLChunkScanner {
    /// Longest single tag, comment or CDATA section accepted before the input counts as corrupt.
    var maxTokenBytes = 8 << 20
    private var carry: [UInt8] = []

    /// Scans `chunk`, handing complete tokens to `handler`.
    mutating func feed<H: XMLTokenHandler>(_ chunk: UnsafeBufferPointer<UInt8>, into handler: inout H) throws {
        if carry.isEmpty {
            let used = try Self.scan(chunk, final: false, into: &handler)
            if used < chunk.count { carry = Array(chunk[used...]) }
        } else {
            carry.append(contentsOf: chunk)
            let pending = carry
            let used = try pending.withUnsafeBufferPointer { try Self.scan($0, final: false, into: &handler) }
            carry = used == 0 ? pending : Array(pending[used...])
        }
        if carry.count > maxTokenBytes { throw SpreadsheetError.corruptXLSX }
    }

    /// Feeds a `Data` chunk.
    mutating func feed<H: XMLTokenHandler>(_ data: Data, into handler: inout H) throws {
        try data.withUnsafeBytes { raw in
            try feed(raw.bindMemory(to: UInt8.self), into: &handler)
        }
    }

    /// Ends the document: an unfinished tag left over means the XML was cut off.
    mutating func finish<H: XMLTokenHandler>(into handler: inout H) throws {
        guard !carry.isEmpty else { return }
        let pending = carry
        carry = []
        let used = try pending.withUnsafeBufferPointer { try Self.scan($0, final: true, into: &handler) }
        if used < pending.count { throw SpreadsheetError.corruptXLSX }
    }

    /// Scans a whole in-memory document.
    static func scanDocument<H: XMLTokenHandler>(_ data: Data, into handler: inout H) throws {
        var scanner = XMLChunkScanner()
        try scanner.feed(data, into: &handler)
        try scanner.finish(into: &handler)
    }

    /// Returns how many bytes were consumed; the rest is an unfinished token.
    private static func scan<H: XMLTokenHandler>(
        _ buffer: UnsafeBufferPointer<UInt8>, final: Bool, into handler: inout H
    ) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let count = buffer.count
        var i = 0
        while i < count {
            if base[i] != lt {
                let end = find(lt, in: base, from: i, to: count) ?? count
                try handler.text(UnsafeBufferPointer(start: base + i, count: end - i))
                i = end
                continue
            }
            guard i + 1 < count else { return i }
            let next = base[i + 1]
            if next == question {
                guard let end = find(sequence: [question, gt], in: base, from: i + 2, to: count) else { return i }
                i = end + 2
            } else if next == bang {
                if matches(commentOpen, in: base, at: i, count: count) {
                    guard let end = find(sequence: commentClose, in: base, from: i + 4, to: count) else { return i }
                    i = end + 3
                } else if matches(cdataOpen, in: base, at: i, count: count) {
                    let start = i + cdataOpen.count
                    guard let end = find(sequence: cdataClose, in: base, from: start, to: count) else { return i }
                    try handler.cdata(UnsafeBufferPointer(start: base + start, count: end - start))
                    i = end + 3
                } else if i + 9 > count && !final {
                    return i // may still become a comment or CDATA once more bytes arrive
                } else {
                    guard let end = endOfDeclaration(in: base, from: i + 2, to: count) else { return i }
                    i = end + 1
                }
            } else if next == slash {
                guard let end = find(gt, in: base, from: i + 2, to: count) else { return i }
                var nameEnd = end
                while nameEnd > i + 2, isSpace(base[nameEnd - 1]) { nameEnd -= 1 }
                try handler.endElement(localName(base, from: i + 2, to: nameEnd))
                i = end + 1
            } else {
                guard let end = endOfTag(in: base, from: i + 1, to: count) else { return i }
                var nameEnd = i + 1
                while nameEnd < end, !isSpace(base[nameEnd]), base[nameEnd] != slash { nameEnd += 1 }
                let selfClosing = base[end - 1] == slash
                let attrEnd = selfClosing ? end - 1 : end
                let name = localName(base, from: i + 1, to: nameEnd)
                try handler.startElement(name, attributes: UnsafeBufferPointer(
                    start: base + nameEnd, count: max(0, attrEnd - nameEnd)))
                if selfClosing { try handler.endElement(name) }
                i = end + 1
            }
        }
        return i
    }

    // MARK: - Byte helpers

    private static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
    private static let question = UInt8(ascii: "?"), bang = UInt8(ascii: "!")
    private static let commentOpen = Array("<!--".utf8), commentClose = Array("-->".utf8)
    private static let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The name between `from` and `to`, without any `prefix:`.
    @inline(__always)
    private static func localName(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> UnsafeBufferPointer<UInt8> {
        var start = from
        var j = from
        while j < to {
            if base[j] == UInt8(ascii: ":") { start = j + 1 }
            j += 1
        }
        return UnsafeBufferPointer(start: base + start, count: max(0, to - start))
    }

    @inline(__always)
    private static func find(_ byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func find(sequence: [UInt8], in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var j = from
        while let hit = find(sequence[0], in: base, from: j, to: to) {
            if hit + sequence.count > to { return nil }
            if matches(sequence, in: base, at: hit, count: to) { return hit }
            j = hit + 1
        }
        return nil
    }

    private static func matches(_ sequence: [UInt8], in base: UnsafePointer<UInt8>, at: Int, count: Int) -> Bool {
        guard at + sequence.count <= count else { return false }
        for (k, byte) in sequence.enumerated() where base[at + k] != byte { return false }
        return true
    }

    /// The closing `>` of a start tag, skipping any `>` inside quoted attribute values.
    @inline(__always)
    private static func endOfTag(in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var quote: UInt8 = 0
        var j = from
        while j < to {
            let byte = base[j]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == gt {
                return j
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            }
            j += 1
        }
        return nil
    }

    /// The end of `<!DOCTYPE …>` including a bracketed internal subset.
    private static func endOfDeclaration(in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var depth = 0
        var quote: UInt8 = 0
        var j = from
        while j < to {
            let byte = base[j]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "]") {
                depth -= 1
            } else if byte == gt, depth <= 0 {
                return j
            }
            j += 1
        }
        return nil
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether these bytes spell exactly `ascii`.
    @inline(__always)
    func equals(_ ascii: StaticString) -> Bool {
        guard count == ascii.utf8CodeUnitCount, let base = baseAddress else { return count == 0 && ascii.utf8CodeUnitCount == 0 }
        return memcmp(base, ascii.utf8Start, count) == 0
    }
}
