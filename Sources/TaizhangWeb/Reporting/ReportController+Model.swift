import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `ReportController` show: the models their templates read.
extension ReportController {
    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct StatusRow: Encodable {
        var code: String
        var name: String
        var status: String
        var statusCode: String
        var submittedAt: String
        var submittedBy: String
        var reportHref: String?
        var revisions: Int
        var counted: String
        var newInPeriod: String
        var townships: String
        /// The county's townships that have not reported, each with its lead liaison.
        var missingTownships: [TownshipWithLiaison]
        /// A township row's lead liaison.
        var lead: LeadLiaisonLabel?
        /// Open and overdue supervision items under the unit (weekly review only).
        var openItems: Int
        var overdueItems: Int
        var onTimeRate: String
        var review: String
        var reviewScore: String
        var reviewComment: String
    }

    struct RateRow: Encodable {
        var name: String
        var rates: [String]
    }

    struct Page: Encodable {
        var layout: LayoutContext
        var campaignLinks: CampaignLinks
        var campaignName: String
        var areaCode: String
        var areaName: String
        var frequencies: [Option]
        var periods: [Option]
        var periodKey: String
        var periodLabel: String
        var dueAt: String
        var rows: [StatusRow]
        var hasRows: Bool
        var childLabel: String
        var showTownships: Bool
        /// The rows are townships: each shows its lead liaison.
        var showLiaisons: Bool
        var own: StatusRow?
        var canSubmit: Bool
        var figures: ReportFigures?
        var childReports: [ChildReport]
        var canReview: Bool
        var isWeekly: Bool
        var rateHeaders: [String]
        var rates: [RateRow]
        var canManage: Bool
        var schedule: ScheduleForm
        var supervision: SupervisionPanel?
        var error: String?
        var notice: String?
        var narrative: ReportNarrative
    }

    struct ReportPage: Encodable {
        var layout: LayoutContext
        var campaignLinks: CampaignLinks
        var areaName: String
        var periodLabel: String
        var report: Report
        var submittedAt: String
        var revisions: [Revision]
    }
}
