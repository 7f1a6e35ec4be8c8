/// A role held on a subtree, identified by the subtree root's materialized path.
public struct Grant: Sendable, Hashable, Codable {
    public var role: Role
    public var divisionCode: String
    /// The subtree root's path ("35/3505/"); every division inside starts with it.
    public var divisionPath: String

    public init(role: Role, divisionCode: String, divisionPath: String) {
        self.role = role
        self.divisionCode = divisionCode
        self.divisionPath = divisionPath
    }

    public func covers(path: String) -> Bool {
        DivisionPath(divisionPath).contains(path)
    }
}

/// The one place that decides who may do what where. Pages, API and CLI all ask it.
public struct AccessPolicy: Sendable {
    public var grants: [Grant]

    public init(grants: [Grant]) {
        self.grants = grants
    }

    /// Whether any grant both covers `path` and carries `permission`.
    public func allows(_ permission: Permission, at path: String) -> Bool {
        grants.contains { $0.covers(path: path) && $0.role.permissions.contains(permission) }
    }

    /// Whether the user may do `permission` anywhere at all (for navigation and lists).
    public func allowsSomewhere(_ permission: Permission) -> Bool {
        grants.contains { $0.role.permissions.contains(permission) }
    }

    /// The subtrees where the user holds `permission`.
    public func scope(for permission: Permission) -> Scope {
        Scope(roots: grants.filter { $0.role.permissions.contains(permission) }.map(\.divisionPath))
    }

    public var isSystemAdmin: Bool {
        grants.contains { $0.role == .systemAdmin }
    }

    /// The roots of the subtrees the user can see, outermost only.
    public var visibleRoots: [Grant] {
        let viewing = grants.filter { $0.role.permissions.contains(.view) }
        return viewing.filter { grant in
            !viewing.contains { DivisionPath($0.divisionPath).isAncestor(of: DivisionPath(grant.divisionPath)) }
        }
        .reduce(into: [Grant]()) { result, grant in
            if !result.contains(where: { $0.divisionPath == grant.divisionPath }) { result.append(grant) }
        }
    }

    /// Whether this user may give `role` on the division at `path` to someone.
    /// Only inside a subtree where they manage users, and never a role above their own
    /// there (a county administrator cannot make a city administrator, even of their county).
    public func mayGrant(_ role: Role, at path: String) -> Bool {
        if role == .systemAdmin { return isSystemAdmin }
        return grants.contains {
            $0.covers(path: path) && $0.role.permissions.contains(.manageUsers) && $0.role.seniority >= role.seniority
        }
    }
}
