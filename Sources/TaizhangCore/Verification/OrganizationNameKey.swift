/// An organization's name reduced to what tells two units apart, and how alike two such names are.
public enum OrganizationNameKey {
    /// Endings that say what kind of body or company a unit is, not which one: stripped (repeatedly)
    /// before names are compared. Longest first, so 有限责任公司 goes before 公司.
    public static let suffixes = ["股份有限公司", "有限责任公司", "有限公司", "公司", "联合团支部", "团支部", "团总支", "团工委", "团委", "联合"]

    /// Full-width letters, digits and signs folded to half width (as NFKC does for them), letters to
    /// lower case, spaces and punctuation dropped, then the suffixes stripped. A name that is nothing
    /// but a suffix keeps it.
    public static func normalize(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            if value == 0x3000 { continue }
            if (0x41...0x5A).contains(value) { value += 0x20 }
            guard let folded = Unicode.Scalar(value) else { continue }
            if folded.properties.isWhitespace || ignored.contains(folded) { continue }
            scalars.append(folded)
        }
        var text = String(scalars)
        var stripped = true
        while stripped {
            stripped = false
            for suffix in suffixes where text.hasSuffix(suffix) && text.count > suffix.count {
                text.removeLast(suffix.count)
                stripped = true
                break
            }
        }
        return text
    }

    /// The key without the township's name (or its short form, without 镇/乡/街道) in front: every
    /// name of a township may start with it, so it tells them apart no more than a suffix does, and
    /// a long one (雪峰华侨经济开发区) would make all of them look alike. Kept when nothing would remain.
    public static func withoutTownship(_ key: String, township: String) -> String {
        let full = normalize(township)
        var prefixes = [full]
        for ending in ["街道办事处", "街道", "镇", "乡"] where full.hasSuffix(ending) && full.count > ending.count + 1 {
            prefixes.append(String(full.dropLast(ending.count)))
        }
        for prefix in prefixes where key.hasPrefix(prefix) && key.count > prefix.count + 1 {
            return String(key.dropFirst(prefix.count))
        }
        return key
    }

    private static let ignored: Set<Unicode.Scalar> = Set("()[]{}<>.,;:!?'\"-_·•/\\|、，。；：！？“”‘’《》「」『』【】（）〔〕—…～~".unicodeScalars)

    /// The distinct character bigrams of a normalized name, each as one number (a one-character
    /// name is its own single token).
    public static func bigrams(_ key: String) -> [UInt64] {
        let scalars = Array(key.unicodeScalars)
        guard scalars.count > 1 else { return scalars.map { UInt64($0.value) } }
        var tokens = Set<UInt64>()
        for i in 0..<(scalars.count - 1) { tokens.insert(UInt64(scalars[i].value) << 32 | UInt64(scalars[i + 1].value)) }
        return tokens.sorted()
    }

    /// The Dice coefficient of two names' bigram sets: twice the shared bigrams over the sum of both counts.
    public static func similarity(_ a: String, _ b: String) -> Double {
        dice(bigrams(normalize(a)), bigrams(normalize(b)))
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
