/// HTML written in Swift, for the few places where a template's cost per row is what a page
/// costs: the ledger's table of 50 rows had Leaf resolve some 900 variables a page, half of the
/// page's CPU under load.
///
/// Escaped by construction, as a template is: markup can only be a literal written in the code
/// (`StaticString`), and every value goes through `escape` (the five characters Leaf escapes,
/// the same way), so a page puts the result out with `#unsafeHTML` without trusting what it shows.
struct HTMLWriter {
    private var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup written in the code.
    mutating func markup(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A value, as text or inside a quoted attribute.
    mutating func text(_ value: String) {
        Self.escape(value, into: &bytes)
    }

    var html: String { String(decoding: bytes, as: UTF8.self) }

    static func escape(_ value: String) -> String {
        var out = HTMLWriter(capacity: value.utf8.count)
        out.text(value)
        return out.html
    }

    /// `& < > " '` as entities, everything else as it is; a value without them is copied whole.
    private static func escape(_ value: String, into bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            var copied = 0
            for index in utf8.indices {
                let entity: StaticString
                switch utf8[index] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied..<index]))
                entity.withUTF8Buffer { bytes.append(contentsOf: $0) }
                copied = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied...]))
        }
    }
}
