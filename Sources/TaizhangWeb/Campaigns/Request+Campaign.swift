import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

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
              user.policy.scope(for: .view).overlaps(campaign.regionPath) else {
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
        try await application.campaignCaches.campaigns.valueIfFound(String(id), at: try await dataVersion()) {
            try await CampaignStore.find(id, on: db)
        }
    }

    /// A campaign area (a division, or the country), from the cache while the data version is unchanged.
    func cachedArea(_ code: String) async throws -> CampaignArea? {
        try await application.campaignCaches.areas.valueIfFound(code, at: try await dataVersion()) {
            try await CampaignStore.area(code, on: db)
        }
    }

    /// The campaign the access middleware checked.
    func requireCampaign() throws -> Campaign {
        guard let campaign else { throw Abort(.internalServerError, reason: "route declares no campaign access") }
        return campaign
    }
}
