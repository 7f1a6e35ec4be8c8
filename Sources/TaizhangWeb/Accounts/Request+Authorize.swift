import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// Access checks a handler makes on what a request names.
extension Request {
    /// Refuses unless the user may do `permission` on the division `code`: 404 when the
    /// division is outside everything they can see, 403 when they see it but may not act.
    @discardableResult
    func authorize(_ permission: Permission, divisionCode code: String) async throws -> Division {
        let user = try requireUser()
        guard let division = try await cachedDivision(code),
              user.policy.allows(.view, at: division.path) else {
            throw AccessDenied.notVisible(code)
        }
        auditPath = division.path
        guard user.policy.allows(permission, at: division.path) else {
            throw AccessDenied.notPermitted(division.name)
        }
        return division
    }

    /// Refuses unless the user may do `permission` on the organization `code`: 404 when it
    /// lies outside everything they can see, 403 when they see it but may not act.
    @discardableResult
    func authorizeOrganization(_ permission: Permission, code: String) async throws -> OrganizationRecord {
        let user = try requireUser()
        guard let record = try await OrganizationStore.find(code, on: db), user.policy.allows(.view, at: record.divisionPath) else {
            throw AccessDenied(message: "找不到编码为「\(code)」的团组织，或不在您的管理范围内", kind: .notFound)
        }
        auditPath = record.divisionPath
        guard user.policy.allows(permission, at: record.divisionPath) else {
            throw AccessDenied.notPermitted(record.fields.name)
        }
        return record
    }

    /// The subtrees where the user holds `permission`.
    func scope(for permission: Permission) throws -> Scope {
        try requireUser().policy.scope(for: permission)
    }
}
