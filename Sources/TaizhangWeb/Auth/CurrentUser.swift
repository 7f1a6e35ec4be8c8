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

    /// Refuses unless the user may do `permission` on the division `code`: 404 when the
    /// division is outside everything they can see, 403 when they see it but may not act.
    @discardableResult
    func authorize(_ permission: Permission, divisionCode code: String) async throws -> Division {
        let user = try requireUser()
        guard let division = try await DivisionQueries.find(code, on: db),
              user.policy.allows(.view, at: division.path) else {
            throw AccessDenied.notVisible(code)
        }
        auditPath = division.path
        guard user.policy.allows(permission, at: division.path) else {
            throw AccessDenied.notPermitted(division.name)
        }
        return division
    }
}

extension Request {
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

    /// The subtree paths where the user holds `permission`; nil means everywhere.
    func scopePaths(for permission: Permission) throws -> [String]? {
        let policy = try requireUser().policy
        if policy.grants.contains(where: { $0.divisionPath.isEmpty && $0.role.permissions.contains(permission) }) { return nil }
        return policy.grants.filter { $0.role.permissions.contains(permission) }.map(\.divisionPath)
    }
}

extension Request {
    private struct CampaignKey: StorageKey {
        typealias Value = Campaign
    }

    /// The campaign of the route's `:campaignID`, once the access middleware has let the user see it.
    var campaign: Campaign? {
        get { storage[CampaignKey.self] }
        set { storage[CampaignKey.self] = newValue }
    }

    /// Refuses unless the user sees the campaign (their subtree overlaps its region; else 404)
    /// and, for anything beyond viewing, holds `permission` over its whole region (else 403).
    /// What a viewer inside the region sees of it is narrowed by the handlers to their subtree.
    @discardableResult
    func authorizeCampaign(_ permission: Permission) async throws -> Campaign {
        let user = try requireUser()
        let text = try parameters.require("campaignID")
        guard let id = Int(text), let campaign = try await cachedCampaign(id),
              user.policy.grants.contains(where: { $0.role.permissions.contains(.view)
                  && ($0.divisionPath.hasPrefix(campaign.regionPath) || campaign.regionPath.hasPrefix($0.divisionPath)) }) else {
            throw AccessDenied(message: "找不到编号为「\(text)」的建团活动，或不在您的管理范围内", kind: .notFound)
        }
        auditPath = campaign.regionPath
        guard permission == .view || user.policy.allows(permission, at: campaign.regionPath) else {
            throw AccessDenied.notPermitted(campaign.name)
        }
        self.campaign = campaign
        return campaign
    }

    /// A campaign, from the cache while the data version is unchanged.
    func cachedCampaign(_ id: Int) async throws -> Campaign? {
        try await application.caches.campaigns.valueIfFound(String(id), at: try await dataVersion()) {
            try await CampaignStore.find(id, on: db)
        }
    }

    /// A campaign area (a division, or the country), from the cache while the data version is unchanged.
    func cachedArea(_ code: String) async throws -> CampaignArea? {
        try await application.caches.areas.valueIfFound(code, at: try await dataVersion()) {
            try await CampaignStore.area(code, on: db)
        }
    }

    /// The campaign the access middleware checked.
    func requireCampaign() throws -> Campaign {
        guard let campaign else { throw Abort(.internalServerError, reason: "route declares no campaign access") }
        return campaign
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
