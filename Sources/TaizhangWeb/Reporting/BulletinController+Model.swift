import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// What the pages of `BulletinController` show: the models their templates read.
extension BulletinController {
    struct ListRow: Encodable {
        var href: String
        var docxHref: String
        var xlsxHref: String
        var title: String
        var number: String
        var kind: String
        var period: String
        var issuedAt: String
        var issuedBy: String
        var percent: String
        /// 已作废（原因）, or empty.
        var withdrawn: String
    }

    struct Page: Encodable {
        var layout: LayoutContext
        var campaignLinks: CampaignLinks
        var campaignName: String
        var bulletins: [ListRow]
        var hasBulletins: Bool
        var trajectoryHeaders: [String]
        var trajectories: [Trajectory]
        var canIssue: Bool
        var kinds: [ReportController.Option]
        var periods: [ReportController.Option]
        var issuingBody: String
        var text: String
        var bulletin: BulletinLayout?
        var previewKey: String
        var error: String?
    }

    struct BulletinPage: Encodable {
        var layout: LayoutContext
        var campaignLinks: CampaignLinks
        var docxHref: String
        var xlsxHref: String
        var withdrawAction: String
        var bulletin: BulletinLayout
        var rows: [Row]
        var withdrawal: Bulletin.Withdrawal?
        var withdrawnAt: String
        var canWithdraw: Bool
        var error: String?
    }

    struct Row: Encodable {
        var cells: [String]
        var behind: Bool
    }
}
