import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// What the pages of `CampaignController` show: the models their templates read.
extension CampaignController {
    struct CampaignRow: Encodable {
        var links: CampaignLinks
        var name: String
        var region: String
        var window: String
        var target: Int
        var counted: Int
        var percent: String
        var status: String
    }

    struct ListPage: Encodable {
        var layout: LayoutContext
        var campaigns: [CampaignRow]
        var canCreate: Bool
        var regions: [Link]
        var error: String?
        var form: CampaignForm?
    }

    struct RankRow: Encodable {
        var rank: Int
        var name: String
        var href: String?
        var target: Int
        var counted: Int
        var percent: String
        var remaining: Int
        var newToday: Int
        var newThisWeek: Int
        var neededPerDay: String
        var actualPerDay: String
        var projected: String
        var status: String
        var isBehind: Bool
        /// The unit it belongs to (on the ranking of a level: two 官桥镇 told apart by their county).
        var parentName: String = ""
        /// A township's lead liaison (rows of townships only).
        var lead: LeadLiaisonLabel?
    }

    struct CountRow: Encodable {
        var label: String
        var count: Int
    }

    struct AreaPage: Encodable {
        var layout: LayoutContext
        var campaignLinks: CampaignLinks
        var campaignName: String
        var window: String
        var rule: String
        var areaName: String
        var areaCode: String
        var breadcrumbs: [Link]
        var asOf: String
        var asOfChinese: String
        var headline: Headline
        var childrenTitle: String
        var children: [RankRow]
        var hasChildren: Bool
        /// The children are townships: the table names each one's lead liaison.
        var showLiaisons: Bool
        var progressChart: String
        var cumulativeChart: String
        var stageChart: String
        var categoryChart: String
        var modeChart: String
        var stages: [CountRow]
        var categories: [CountRow]
        var modes: [CountRow]
        var days: [DayRow]
        var baseHref: String
        /// Each chart's spreadsheet, by `CampaignDashboard.TableName`.
        var tables: [String: String]
        var canManage: Bool
        var otherCampaigns: [Link]
        /// On the home page of whoever reports for the area: today's report, due or sent.
        var reportNotice: ReportNotice?
    }

    struct DayRow: Encodable {
        var day: String
        var new: Int
        var cumulative: Int
        var expected: Int
    }

    struct RankingPage: Encodable {
        var layout: LayoutContext
        var campaignLinks: CampaignLinks
        var campaignName: String
        var levelLabel: String
        var level: String
        var levels: [Link]
        var asOf: String
        var asOfChinese: String
        var parentHeader: String?
        var rows: [RankRow]
        var showLiaisons: Bool
    }
}
