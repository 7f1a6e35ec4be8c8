import Foundation

/// Reads `xl/sharedStrings.xml` into the table that `t="s"` cells index: each `<si>` is its
/// plain `<t>` or the concatenation of its rich-text runs' `<t>`; phonetic `<rPh>` runs are dropped.
struct XLSXSharedStringsHandler: XMLTokenHandler {
    private(set) var strings: [String] = []
    private var text: [UInt8] = []
    private var inItem = false
    private var capturing = false
    private var phoneticDepth = 0

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        if name.equals("t") {
            capturing = inItem && phoneticDepth == 0
        } else if name.equals("si") {
            inItem = true
            text.removeAll(keepingCapacity: true)
        } else if name.equals("rPh") {
            phoneticDepth += 1
        } else if name.equals("sst"), let count = XMLText.attribute("uniqueCount", in: attributes)
                    ?? XMLText.attribute("count", in: attributes) {
            strings.reserveCapacity(min(Int(String(decoding: count, as: UTF8.self)) ?? 0, 1 << 20))
        }
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {
        if name.equals("t") {
            capturing = false
        } else if name.equals("si") {
            strings.append(XMLText.decode(text, ooxmlEscapes: true))
            inItem = false
        } else if name.equals("rPh") {
            phoneticDepth -= 1
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if capturing { text.append(contentsOf: bytes) }
    }

    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if capturing { XMLText.appendEscaped(bytes, to: &text) }
    }
}
