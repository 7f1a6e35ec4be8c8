import Foundation

/// Reads CSV from a byte source in chunks, converting each chunk to UTF-8 and handing it to
/// `CSVReader`. Chunks are cut only after a line feed outside quotes, which is also a
/// character boundary in UTF-8 and GB18030 (neither uses 0x0A or 0x22 inside a character),
/// so memory stays near one chunk for UTF-8 and GBK files. UTF-16 files are read whole.
struct CSVStreamReader {
    /// Bytes read per step.
    var chunkSize = 4 << 20
    /// Returns up to `count` more bytes, or an empty array at the end.
    let read: (_ count: Int) throws -> [UInt8]

    /// Calls `body` with each row and its 1-based line number; returns the encoding found.
    func forEachRow(_ body: (_ line: Int, _ cells: [String]) throws -> Void) throws -> CSVTextEncoding {
        var pending = try read(chunkSize)
        if let (bom, length) = TextEncodingDetector.byteOrderMark(pending), bom != .utf8 {
            return try readUTF16(pending, skipping: length, encoding: bom, body)
        }
        if TextEncodingDetector.looksBinary(pending[...]) { throw SpreadsheetError.notATable }
        var encoding: CSVTextEncoding?
        if let (bom, length) = TextEncodingDetector.byteOrderMark(pending) {
            encoding = bom
            pending.removeFirst(length)
        }
        var scanned = 0, inQuotes = false
        var cut = 0, newlinesBeforeCut = 0, newlinesScanned = 0
        var linesDone = 0
        var atEnd = false
        while !atEnd || !pending.isEmpty {
            pending.withUnsafeBufferPointer { buffer in
                var i = scanned
                while i < buffer.count {
                    let byte = buffer[i]
                    if byte == UInt8(ascii: "\"") {
                        inQuotes.toggle()
                    } else if byte == UInt8(ascii: "\n") {
                        newlinesScanned += 1
                        if !inQuotes {
                            cut = i + 1
                            newlinesBeforeCut = newlinesScanned
                        }
                    }
                    i += 1
                }
            }
            scanned = pending.count
            if atEnd {
                cut = pending.count
                newlinesBeforeCut = newlinesScanned
            }
            if cut > 0 {
                try emitRows(pending[..<cut], firstLine: linesDone, encoding: &encoding, body)
                pending.removeFirst(cut)
                linesDone += newlinesBeforeCut
                newlinesScanned -= newlinesBeforeCut
                scanned -= cut
                cut = 0
                newlinesBeforeCut = 0
            }
            if !atEnd {
                let more = try read(chunkSize)
                if more.isEmpty { atEnd = true } else { pending.append(contentsOf: more) }
            }
        }
        return encoding ?? .utf8
    }

    /// Converts one run of whole lines to UTF-8 and parses it.
    private func emitRows(
        _ bytes: ArraySlice<UInt8>, firstLine: Int, encoding: inout CSVTextEncoding?,
        _ body: (Int, [String]) throws -> Void
    ) throws {
        let utf8: [UInt8]
        switch TextEncodingDetector.shape(bytes) {
        case .ascii:
            utf8 = Array(bytes)
        case .utf8:
            if encoding == .gb18030 { throw SpreadsheetError.mixedTextEncoding(line: firstLine + 1) }
            encoding = .utf8
            utf8 = Array(bytes)
        case .notUTF8:
            if encoding == .utf8 { throw SpreadsheetError.mixedTextEncoding(line: firstLine + 1) }
            guard let converted = TextEncodingDetector.utf8FromGB18030(bytes) else {
                throw SpreadsheetError.unknownTextEncoding
            }
            encoding = .gb18030
            utf8 = converted
        }
        var reader = CSVReader(bytes: utf8)
        while let row = reader.next() {
            try body(firstLine + reader.lineNumber, row)
        }
    }

    /// UTF-16 has no byte-level line boundary shared with ASCII, so it is decoded whole.
    private func readUTF16(
        _ head: [UInt8], skipping bom: Int, encoding: CSVTextEncoding,
        _ body: (Int, [String]) throws -> Void
    ) throws -> CSVTextEncoding {
        var bytes = head
        while true {
            let more = try read(chunkSize)
            if more.isEmpty { break }
            bytes.append(contentsOf: more)
        }
        guard let text = TextEncodingDetector.stringFromUTF16(bytes[bom...], encoding: encoding) else {
            throw SpreadsheetError.unknownTextEncoding
        }
        var reader = CSVReader(text: text)
        while let row = reader.next() {
            try body(reader.lineNumber, row)
        }
        return encoding
    }
}
