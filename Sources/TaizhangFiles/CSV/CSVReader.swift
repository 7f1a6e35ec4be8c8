/// An RFC 4180 CSV reader over an in-memory UTF-8 buffer: quoted fields, doubled quotes,
/// CRLF or LF line ends, a leading byte-order mark. Rows are handed out one at a time so a
/// caller can stop early or stream into a batch without building the whole table.
public struct CSVReader: Sequence, IteratorProtocol {
    private let bytes: [UInt8]
    private var index: Int
    /// 1-based line number of the row most recently returned (its first line).
    public private(set) var lineNumber = 0
    private var nextLine = 1

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    public init(text: String) {
        self.init(bytes: Array(text.utf8))
    }

    public mutating func next() -> [String]? {
        guard index < bytes.count else { return nil }
        lineNumber = nextLine
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { nextLine += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inQuotes = true
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            case UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\n"):
                nextLine += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return fields
            default:
                field.append(byte)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
