/// Where someone may look or act: everywhere, or inside one or more subtrees of divisions.
/// "Everywhere" is a case of its own rather than a missing list, so a forgotten filter
/// cannot silently mean "no limit", and an empty list means nowhere.
public enum Scope: Sendable, Hashable {
    case everywhere
    /// The subtrees' roots, outermost only.
    case within([DivisionPath])

    /// The scope made of the subtrees rooted at `paths`; the root path makes it everywhere.
    public init(roots paths: [String]) {
        let roots = paths.map { DivisionPath($0) }
        if roots.contains(where: \.isRoot) {
            self = .everywhere
            return
        }
        let outermost = roots.filter { root in !roots.contains { $0.isAncestor(of: root) } }
        var unique: [DivisionPath] = []
        for root in outermost where !unique.contains(root) { unique.append(root) }
        self = .within(unique)
    }

    /// One subtree.
    public static func within(_ path: String) -> Scope { Scope(roots: [path]) }

    /// No division at all (a user without the permission anywhere).
    public var isEmpty: Bool {
        if case .within(let roots) = self { return roots.isEmpty }
        return false
    }

    /// Whether the division at `path` is inside.
    public func contains(_ path: String) -> Bool {
        switch self {
        case .everywhere: true
        case .within(let roots): roots.contains { $0.contains(path) }
        }
    }

    /// Whether the subtree rooted at `path` has any division inside (it is inside, or holds a root).
    public func overlaps(_ path: String) -> Bool {
        switch self {
        case .everywhere: true
        case .within(let roots): roots.contains { $0.overlaps(DivisionPath(path)) }
        }
    }
}
