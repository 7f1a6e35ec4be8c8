import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The signed-in user of a request, with everything access decisions need.
struct CurrentUser: Sendable {
    var id: UUID
    var username: String
    var displayName: String
    var policy: AccessPolicy
    /// Set for a browser session (cookie); nil for an API token.
    var csrfToken: String?
    var sessionTokenHash: String?
    /// Signed in with a password someone else handed out: only changing it is allowed until then.
    var mustChangePassword = false
}

extension Request {
    private struct CurrentUserKey: StorageKey {
        typealias Value = CurrentUser
    }

    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    private struct RefusalReasonKey: StorageKey {
        typealias Value = String
    }

    /// Why a handler refused a write it answered with a page rather than an error (the
    /// access middleware records it in the audit trail).
    var refusalReason: String? {
        get { storage[RefusalReasonKey.self] }
        set { storage[RefusalReasonKey.self] = newValue }
    }

    private struct AuditPathKey: StorageKey {
        typealias Value = String
    }

    /// The subtree a refused request concerns, so the refusal is filed where that subtree's
    /// administrators read the trail: the record it named, else the caller's own first grant.
    var auditPath: String? {
        get { storage[AuditPathKey.self] ?? currentUser?.policy.grants.first?.divisionPath.nilIfBlank }
        set { storage[AuditPathKey.self] = newValue }
    }

    /// The signed-in user; routes behind the access middleware always have one.
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw Abort(.unauthorized) }
        return user
    }
}

/// A refusal by the access policy.
struct AccessDenied: UserFacingError {
    var message: String
    var kind: UserFacingErrorKind

    static func notVisible(_ code: String) -> AccessDenied {
        AccessDenied(message: "找不到代码为「\(code)」的行政区划，或不在您的管理范围内", kind: .notFound)
    }

    static func notPermitted(_ name: String) -> AccessDenied {
        AccessDenied(message: "您在「\(name)」没有这项操作的权限", kind: .forbidden)
    }

    static let missingPermission = AccessDenied(message: "您的角色没有这项操作的权限", kind: .forbidden)
}
