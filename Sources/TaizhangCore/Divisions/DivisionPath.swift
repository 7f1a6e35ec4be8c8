/// A division's materialized path ("35/3505/350502/"): its ancestors' codes and its own,
/// each followed by "/". A subtree is selected with one index range scan, because every
/// descendant's path starts with its ancestor's path — and that "starts with" is decided
/// here only, so a path compared with a bare prefix test (where "35/35051/" would wrongly
/// sit inside "35/3505") cannot creep back in. The root of the whole tree is the empty path.
public struct DivisionPath: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let separator: Character = "/"
    /// The root above every province: whatever a system administrator sees.
    public static let root = DivisionPath("")

    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The path of the child `code` of the division at `parentPath` (nil: a top-level division).
    public static func path(parentPath: String?, code: String) -> String {
        (parentPath ?? "") + code + String(separator)
    }

    /// The half-open range [lower, upper) of paths inside the subtree rooted at `path`.
    /// '~' sorts after every character a code may contain (digits, letters, '/').
    public static func subtreeRange(of path: String) -> (lower: String, upper: String) {
        (path, path + "~")
    }

    public static func codes(in path: String) -> [String] {
        path.split(separator: separator).map(String.init)
    }

    /// The codes from the top-level division down to this one.
    public var codes: [String] { Self.codes(in: rawValue) }
    /// 0 for the root, 1 for a province (or whatever is at the top), 2 below it, …
    public var depth: Int { codes.count }
    public var isRoot: Bool { rawValue.isEmpty }
    /// The division's own code; nil for the root.
    public var code: String? { codes.last }
    /// The paths of the divisions above this one, outermost first (the root not included).
    public var ancestors: [DivisionPath] {
        var result: [DivisionPath] = []
        var prefix = ""
        for code in codes.dropLast() {
            prefix = Self.path(parentPath: prefix, code: code)
            result.append(DivisionPath(prefix))
        }
        return result
    }
    public var subtreeRange: (lower: String, upper: String) { Self.subtreeRange(of: rawValue) }

    /// Whether `other` is this division or one below it.
    public func contains(_ other: DivisionPath) -> Bool {
        // Paths end with the separator, so a prefix match is always on a whole code.
        other.rawValue.hasPrefix(rawValue)
    }
    public func contains(_ otherPath: String) -> Bool { contains(DivisionPath(otherPath)) }

    /// Whether `other` is strictly below this division.
    public func isAncestor(of other: DivisionPath) -> Bool { self != other && contains(other) }

    /// Whether one of the two subtrees holds the other (so they have divisions in common).
    public func overlaps(_ other: DivisionPath) -> Bool { contains(other) || other.contains(self) }

    public static func < (lhs: DivisionPath, rhs: DivisionPath) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}
