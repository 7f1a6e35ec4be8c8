import Foundation

/// UUIDs (version 7, RFC 9562) that sort in the order they were made: 48 bits of Unix
/// milliseconds, then a counter, then random bits. Rows written in bulk with these keys append
/// at the end of their primary-key index instead of landing on a random page each.
struct TimeOrderedUUIDs {
    private let milliseconds: UInt64
    private var counter: UInt32 = 0

    init(now: Date = Date()) {
        milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
    }

    mutating func next() -> UUID {
        counter &+= 1
        let random = UInt64.random(in: 0...UInt64.max)
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        // Version 7 in the high nibble of byte 6; the counter fills the next 28 bits.
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 24) & 0x0F
        bytes[7] = UInt8(truncatingIfNeeded: counter >> 16)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: counter >> 10) & 0x3F  // variant 10xx…
        bytes[9] = UInt8(truncatingIfNeeded: counter >> 2)
        bytes[10] = UInt8(truncatingIfNeeded: counter << 6) | UInt8(truncatingIfNeeded: random) & 0x3F
        for i in 11..<16 { bytes[i] = UInt8(truncatingIfNeeded: random >> (8 * (i - 10))) }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
