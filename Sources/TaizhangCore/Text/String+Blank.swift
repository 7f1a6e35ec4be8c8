extension String {
    /// The text without surrounding white space (ASCII and full-width), or nil when nothing is left.
    public var nilIfBlank: String? {
        let trimmed = trimmedWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The text without leading and trailing white space or line breaks, in pure Swift
    /// (Foundation's `trimmingCharacters` bridges through NSString on Linux and is slow).
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isWhitespaceFast }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isWhitespaceFast })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}

extension Unicode.Scalar {
    /// White space, answering ASCII without the Unicode property tables.
    var isWhitespaceFast: Bool {
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
        // Unicode's White_Space property beyond ASCII, without its tables.
        switch value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

extension String {
    /// Nothing but white space (ASCII or full-width), or empty.
    public var isBlank: Bool { nilIfBlank == nil }
}
