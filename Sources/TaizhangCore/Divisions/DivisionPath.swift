/// A materialized path ("35/3505/350502/") that lets a subtree be selected with one
/// index range scan: every descendant's path starts with its ancestor's path.
public enum DivisionPath {
    public static let separator: Character = "/"

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
}
