import Foundation

/// Decoding of XML character data and attributes, and escaping for writing.
enum XMLText {
    /// Decodes entities (`&amp;` … `&#x4E2D;`) and, when `ooxmlEscapes` is set, Excel's
    /// `_xHHHH_` escapes for control characters (`_x000D_` is a carriage return).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, ooxmlEscapes: Bool = false) -> String {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return "" }
        let hasAmp = memchr(base, Int32(UInt8(ascii: "&")), bytes.count) != nil
        let hasUnderscore = ooxmlEscapes && memchr(base, Int32(UInt8(ascii: "_")), bytes.count) != nil
        guard hasAmp || hasUnderscore else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte == UInt8(ascii: "&"), let (scalar, length) = entity(bytes, at: i) {
                appendUTF8(scalar, to: &out)
                i += length
            } else if hasUnderscore, byte == UInt8(ascii: "_"), let scalar = ooxmlEscape(bytes, at: i) {
                appendUTF8(scalar, to: &out)
                i += 7
            } else {
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a byte array.
    static func decode(_ bytes: [UInt8], ooxmlEscapes: Bool = false) -> String {
        bytes.withUnsafeBufferPointer { decode($0, ooxmlEscapes: ooxmlEscapes) }
    }

    /// `&…;` at `i`: the character and the length of the reference, or nil if it is not one.
    private static func entity(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        var j = i + 1
        let limit = min(b.count, i + 12)
        while j < limit, b[j] != UInt8(ascii: ";") { j += 1 }
        guard j < limit else { return nil }
        let body = UnsafeBufferPointer(rebasing: b[(i + 1)..<j])
        let length = j - i + 1
        if body.equals("amp") { return ("&", length) }
        if body.equals("lt") { return ("<", length) }
        if body.equals("gt") { return (">", length) }
        if body.equals("quot") { return ("\"", length) }
        if body.equals("apos") { return ("'", length) }
        guard body.count >= 2, body[0] == UInt8(ascii: "#") else { return nil }
        let hex = body[1] == UInt8(ascii: "x") || body[1] == UInt8(ascii: "X")
        let digits = body[(hex ? 2 : 1)...]
        guard !digits.isEmpty, let value = UInt32(String(decoding: digits, as: UTF8.self), radix: hex ? 16 : 10),
              let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// `_xHHHH_` at `i` (exactly four hex digits).
    private static func ooxmlEscape(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Unicode.Scalar? {
        guard i + 6 < b.count, b[i + 1] == UInt8(ascii: "x"), b[i + 6] == UInt8(ascii: "_") else { return nil }
        var value: UInt32 = 0
        for k in 2...5 {
            guard let digit = hexValue(b[i + k]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return Unicode.Scalar(value)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }

    /// The raw value of attribute `name` (local name, any prefix) in a start tag's attribute text.
    static func attribute(_ name: StaticString, in attributes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let n = attributes.count
        var i = 0
        while i < n {
            while i < n, XMLChunkScanner.isSpace(attributes[i]) { i += 1 }
            let nameStart = i
            var localStart = i
            while i < n, attributes[i] != UInt8(ascii: "="), !XMLChunkScanner.isSpace(attributes[i]) {
                if attributes[i] == UInt8(ascii: ":") { localStart = i + 1 }
                i += 1
            }
            let nameEnd = i
            while i < n, attributes[i] != UInt8(ascii: "=") { i += 1 }
            i += 1
            while i < n, XMLChunkScanner.isSpace(attributes[i]) { i += 1 }
            guard i < n else { return nil }
            let quote = attributes[i]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            i += 1
            let valueStart = i
            while i < n, attributes[i] != quote { i += 1 }
            let value = UnsafeBufferPointer(rebasing: attributes[valueStart..<min(i, n)])
            i += 1
            if nameEnd > nameStart,
               UnsafeBufferPointer(rebasing: attributes[localStart..<nameEnd]).equals(name) {
                return value
            }
        }
        return nil
    }

    /// Like `attribute(_:in:)`, decoded to a string.
    static func attributeString(_ name: StaticString, in attributes: UnsafeBufferPointer<UInt8>) -> String? {
        attribute(name, in: attributes).map { decode($0) }
    }
}

extension XMLText {
    /// Appends literal bytes (from CDATA) escaped, so a later `decode` returns them unchanged.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            default: out.append(byte)
            }
        }
    }
}
