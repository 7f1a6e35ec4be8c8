import Foundation

/// The text encodings a CSV upload is read in.
public enum CSVTextEncoding: String, Sendable, Equatable {
    /// UTF-8, with or without a byte-order mark ("CSV UTF-8" in Excel); also plain ASCII.
    case utf8
    /// UTF-16 little-endian with a byte-order mark.
    case utf16LittleEndian
    /// UTF-16 big-endian with a byte-order mark.
    case utf16BigEndian
    /// GB18030, the superset of GBK/GB2312 that Chinese Excel writes for plain "CSV".
    case gb18030
}

/// Recognises and converts the encodings of CSV bytes. GB18030 decoding uses Foundation's
/// `String(data:encoding:)` with `0x80000632` (kCFStringEncodingGB_18030_2000), which
/// swift-corelibs-foundation supports on Linux as well as on Apple platforms.
enum TextEncodingDetector {
    /// Foundation's GB18030 encoding.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// What one run of bytes looks like.
    enum Shape: Equatable {
        case ascii
        case utf8
        case notUTF8
    }

    /// The encoding announced by a byte-order mark and the mark's length.
    static func byteOrderMark(_ bytes: some Collection<UInt8>) -> (CSVTextEncoding, Int)? {
        let head = Array(bytes.prefix(3))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if head.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if head.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        return nil
    }

    /// Classifies bytes as pure ASCII, valid UTF-8, or something else.
    static func shape(_ bytes: ArraySlice<UInt8>) -> Shape {
        let isASCII = bytes.withUnsafeBufferPointer { buffer in
            var combined: UInt8 = 0
            for byte in buffer { combined |= byte }
            return combined < 0x80
        }
        if isASCII { return .ascii }
        return String(validating: bytes, as: UTF8.self) == nil ? .notUTF8 : .utf8
    }

    /// GB18030 bytes as UTF-8 bytes, or nil if they are not valid GB18030.
    static func utf8FromGB18030(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        guard let text = String(data: Data(bytes), encoding: gb18030) else { return nil }
        return Array(text.utf8)
    }

    /// Whole UTF-16 text (after its byte-order mark) as a string.
    static func stringFromUTF16(_ bytes: ArraySlice<UInt8>, encoding: CSVTextEncoding) -> String? {
        String(data: Data(bytes), encoding: encoding == .utf16BigEndian ? .utf16BigEndian : .utf16LittleEndian)
    }

    /// Whether the bytes hold a NUL, which no CSV text in a byte-oriented encoding contains.
    static func looksBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.prefix(8192).contains(0)
    }
}
