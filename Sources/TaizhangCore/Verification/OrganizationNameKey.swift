/// An organization's name reduced to what tells two units apart, and how alike two such names are.
/// Works on arrays of Unicode scalar values: a city's ledger is normalized on every computation.
public enum OrganizationNameKey {
    /// Endings that say what kind of body or company a unit is, not which one: stripped (repeatedly)
    /// before names are compared. Longest first, so 有限责任公司 goes before 公司.
    public static let suffixes = ["股份有限公司", "有限责任公司", "有限公司", "公司", "联合团支部", "团支部", "团总支", "团工委", "团委", "联合"]
    private static let suffixScalars: [[UInt32]] = suffixes.map { $0.unicodeScalars.map(\.value) }

    /// Full-width letters, digits and signs folded to half width (as NFKC does for them), letters to
    /// lower case, spaces and punctuation dropped, then the suffixes stripped. A name that is nothing
    /// but a suffix keeps it.
    public static func normalize(_ name: String) -> String {
        text(scalars(name))
    }

    /// `normalize` as scalar values.
    public static func scalars(_ name: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(name.utf8.count / 2 + 1)
        append(name, to: &out)
        return out
    }

    /// `normalize` as scalar values, appended to `out` (a buffer holding many names).
    static func append(_ name: String, to out: inout [UInt32]) {
        let start = out.count
        for scalar in name.unicodeScalars {
            var value = scalar.value
            if value >= 0xFF01 && value <= 0xFF5E { value -= 0xFEE0 }
            if value < 0x80 {
                if value <= 0x20 || value == 0x7F { continue }
                if value >= 0x41 && value <= 0x5A { value += 0x20 }
                if asciiIgnored.contains(value) { continue }
            } else if value < 0x4E00 || value >= 0xF900, wideIgnored.contains(value) {
                continue
            }
            out.append(value)
        }
        var stripped = true
        while stripped {
            stripped = false
            for suffix in suffixScalars where out.count - start > suffix.count && out.suffix(suffix.count).elementsEqual(suffix) {
                out.removeLast(suffix.count)
                stripped = true
                break
            }
        }
    }

    static func text(_ scalars: [UInt32]) -> String {
        var view = String.UnicodeScalarView()
        for value in scalars { if let scalar = Unicode.Scalar(value) { view.append(scalar) } }
        return String(view)
    }

    private static let asciiIgnored: Set<UInt32> = Set("()[]{}<>.,;:!?'\"-_/\\|~".unicodeScalars.map(\.value))
    /// Punctuation, and the spaces beyond ASCII (no-break, en to hair, line and paragraph separators,
    /// ideographic); none is a CJK ideograph (U+4E00–U+F8FF is not looked up).
    private static let wideIgnored: Set<UInt32> = Set("·•、，。；：！？“”‘’《》「」『』【】（）〔〕—…～".unicodeScalars.map(\.value))
        .union([0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF]).union(0x2000...0x200B)

    /// The key without the township's name (or its short form, without 镇/乡/街道) in front: every
    /// name of a township may start with it, so it tells them apart no more than a suffix does, and
    /// a long one (雪峰华侨经济开发区) would make all of them look alike. Kept when nothing would remain.
    public static func withoutTownship(_ key: String, township: String) -> String {
        text(withoutPrefixes(Array(key.unicodeScalars.map(\.value)), townshipPrefixes(township)))
    }

    /// The township's name and short forms, normalized, longest first.
    static func townshipPrefixes(_ township: String) -> [[UInt32]] {
        let full = scalars(township)
        var prefixes = [full]
        for ending in ["街道办事处", "街道", "镇", "乡"] {
            let tail = ending.unicodeScalars.map(\.value)
            if full.count > tail.count + 1 && full.suffix(tail.count).elementsEqual(tail) { prefixes.append(Array(full.dropLast(tail.count))) }
        }
        return prefixes
    }

    static func withoutPrefixes(_ key: [UInt32], _ prefixes: [[UInt32]]) -> [UInt32] {
        Array(key.dropFirst(prefixLength(key[...], prefixes)))
    }

    /// How many scalars of `key` its township's name takes up in front (0 when none is there, or
    /// when no more than one scalar would remain).
    static func prefixLength(_ key: ArraySlice<UInt32>, _ prefixes: [[UInt32]]) -> Int {
        for prefix in prefixes where key.count > prefix.count + 1 && key.prefix(prefix.count).elementsEqual(prefix) {
            return prefix.count
        }
        return 0
    }

    /// The distinct character bigrams of a normalized name, sorted, each as one number (a
    /// one-character name is its own single token).
    public static func bigrams(_ key: String) -> [UInt64] {
        bigrams(scalars: key.unicodeScalars.map(\.value))
    }

    static func bigrams(scalars: [UInt32]) -> [UInt64] {
        guard scalars.count > 1 else { return scalars.map { UInt64($0) } }
        var tokens: [UInt64] = []
        tokens.reserveCapacity(scalars.count - 1)
        for i in 0..<(scalars.count - 1) { tokens.append(UInt64(scalars[i]) << 32 | UInt64(scalars[i + 1])) }
        tokens.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(tokens.count)
        for token in tokens where unique.last != token { unique.append(token) }
        return unique
    }

    /// The Dice coefficient of two names' bigram sets: twice the shared bigrams over the sum of both counts.
    public static func similarity(_ a: String, _ b: String) -> Double {
        dice(bigrams(scalars: scalars(a)), bigrams(scalars: scalars(b)))
    }

    /// Dice of two sorted token lists.
    static func dice<T: Comparable>(_ a: [T], _ b: [T]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        return 2 * Double(sharedCount(a, b)) / Double(a.count + b.count)
    }

    static func sharedCount<T: Comparable>(_ a: [T], _ b: [T]) -> Int {
        var i = 0, j = 0, shared = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { shared += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return shared
    }
}
