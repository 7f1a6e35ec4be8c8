import Foundation
import TaizhangCore

/// A campaign as stored: its draft values plus identity, version and provenance.
public struct Campaign: Sendable, Codable, Equatable {
    public var id: Int
    public var name: String
    public var regionCode: String
    public var regionPath: String
    /// The campaign's region as a path, for containment checks.
    public var region: DivisionPath { DivisionPath(regionPath) }
    public var start: CalendarDay
    public var deadline: CalendarDay
    public var target: Int
    public var rule: CountingRule
    public var version: Int
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date

    public var draft: CampaignDraft {
        CampaignDraft(name: name, regionCode: regionCode, start: start, deadline: deadline, target: target, rule: rule)
    }

    /// The day figures are read for when none is asked for: today, kept inside the campaign's window.
    public var defaultAsOf: CalendarDay {
        min(max(CalendarDay.today(), start), deadline)
    }

    var auditSnapshot: [String: String] {
        ["名称": name, "地区": regionCode, "开始日期": start.description, "截止日期": deadline.description, "总指标": String(target),
         "计数口径": rule.description]
    }
}

/// A division as a campaign sees it — or the whole country ("CN"), which has no row of its own.
public struct CampaignArea: Sendable, Codable, Equatable, Hashable {
    public var code: String
    public var name: String
    public var path: String
    /// nil for the whole country.
    public var level: DivisionLevel?
    public var parentCode: String?

    public static let country = CampaignArea(code: DivisionTable.nationalRegion, name: "全国", path: "", level: nil, parentCode: nil)

    init(_ division: Division) {
        self.init(code: division.code, name: division.name, path: division.path, level: division.level, parentCode: division.parentCode)
    }

    public init(code: String, name: String, path: String, level: DivisionLevel?, parentCode: String?) {
        self.code = code
        self.name = name
        self.path = path
        self.level = level
        self.parentCode = parentCode
    }

    /// The divisions whose counts add up to this area's: itself, or every province for the country.
    func countedCodes(provinces: [String]) -> [String] {
        code == Self.country.code ? provinces : [code]
    }

    public func contains(path other: String) -> Bool { DivisionPath(path).contains(other) }
}

/// A target change on record: who set which division's target to what, when and why.
public struct TargetChange: Sendable, Codable, Equatable {
    public var divisionCode: String
    public var oldTarget: Int?
    public var newTarget: Int
    public var method: String
    public var reason: String?
    public var actorName: String
    public var changedAt: Date
}

/// A county's proposal to re-split its target over its townships, awaiting the city's decision.
public struct TargetProposal: Sendable, Codable, Equatable {
    public enum Status: String, Codable, Sendable {
        case pending, accepted, rejected

        public var label: String {
            switch self {
            case .pending: "待审核"
            case .accepted: "已采纳"
            case .rejected: "未采纳"
            }
        }
    }

    public var id: Int
    public var campaignID: Int
    public var divisionCode: String
    public var divisionPath: String
    public var shares: [String: Int]
    public var reason: String
    public var status: Status
    public var proposedBy: String
    public var proposedAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionNote: String?
}
