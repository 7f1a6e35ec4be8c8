import Crypto
import Foundation

extension String {
    /// The SHA-256 of the text's UTF-8 bytes, as 64 lowercase hex digits.
    var sha256Hex: String {
        // Hex by hand: String(format:) once per byte cost more than the hash, on every request.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
