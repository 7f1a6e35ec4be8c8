import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `CampaignTargetsController` show: the models their templates read.
extension CampaignTargetsController {
    struct ShareRow: Encodable {
        var code: String
        var name: String
        var href: String?
        var target: String
        var proposed: String
        var previous: String
        var changed: Bool
        var parentName: String
        /// Left out of equal and weighted splits (不参与).
        var excluded: Bool = false
    }

    struct ProposalRow: Encodable {
        var id: Int
        var decisionAction: String
        var area: String
        var reason: String
        var status: String
        var isPending: Bool
        var proposedBy: String
        var proposedAt: String
        var decision: String
        var shares: String
    }

    struct ChangeRow: Encodable {
        var area: String
        var change: String
        var method: String
        var reason: String
        var actor: String
        var at: String
    }

    struct Page: Encodable {
        var layout: LayoutContext
        var campaignLinks: CampaignLinks
        var campaignName: String
        var version: Int
        var settings: Settings
        var parentCode: String
        var parentAreaHref: String
        var parentName: String
        var parentTarget: String
        var childrenSum: Int
        var breadcrumbs: [Link]
        var rows: [ShareRow]
        var preview: [ShareRow]
        var hasPreview: Bool
        var previewNote: String
        var canManage: Bool
        var canPropose: Bool
        var proposals: [ProposalRow]
        var changes: [ChangeRow]
        var weights: WeightRule
        var method: String
        var cascade: Bool
        var reason: String
        /// The previewed plan's fingerprint: saving refuses a plan that is not the one previewed.
        var planDigest: String
        var error: String?
    }
}
