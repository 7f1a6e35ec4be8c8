/// XML escaping for `XLSXWriter`, over UTF-8 bytes.
enum XMLWriting {
    /// Appends `text` as element content: `& < >` escaped, a carriage return kept as `&#13;`,
    /// characters illegal in XML 1.0 (other control characters, U+FFFE, U+FFFF) dropped, and an
    /// underscore that would start an Excel `_xHHHH_` escape written as `_x005F_`.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var needsWork = false
        for byte in text.utf8 where byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "_") || byte == 0xEF {
            needsWork = true
            break
        }
        guard needsWork else {
            out.append(contentsOf: text.utf8)
            return
        }
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case 0x09, 0x0A: out.append(byte)
            case 0x0D: out.append(contentsOf: "&#13;".utf8)
            case 0x00..<0x20: break
            case UInt8(ascii: "_") where startsExcelEscape(bytes, at: i):
                out.append(contentsOf: "_x005F_".utf8)
            case 0xEF where i + 2 < bytes.count && bytes[i + 1] == 0xBF && (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF):
                i += 2
            default: out.append(byte)
            }
            i += 1
        }
    }

    /// Whether `_xHHHH_` starts at `i`.
    private static func startsExcelEscape(_ bytes: [UInt8], at i: Int) -> Bool {
        guard i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"), bytes[i + 6] == UInt8(ascii: "_") else {
            return false
        }
        return (2...5).allSatisfy { XMLText.hexValue(bytes[i + $0]) != nil }
    }

    /// `text` escaped for a double-quoted attribute, illegal characters dropped.
    static func escapedAttribute(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out += " "
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": break
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Appends a non-negative integer in decimal.
    @inline(__always)
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            while count > 0 {
                count -= 1
                out.append(raw[count])
            }
        }
    }
}
