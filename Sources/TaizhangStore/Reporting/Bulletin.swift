import Foundation
import TaizhangCore

/// A bulletin's content as issued (第N期): the figures are copied in when it is issued and never
/// recomputed, so later ledger edits cannot change it.
public struct BulletinContent: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var target: Int
        public var counted: Int
        public var percent: Double
        public var newInPeriod: Int
        public var rank: Int
        /// 按时报送, 逾期报送, 未报送
        public var reporting: String
        public var isBehindPace: Bool
    }

    public struct Missing: Codable, Sendable, Equatable {
        public var county: String
        /// The county itself did not report.
        public var countyMissing: Bool
        public var townships: [String]
    }

    /// A township named in the 未报送 or behind-pace list, with its lead liaison as of the
    /// period's last day (nil: none assigned, shown as 未指定).
    public struct TownshipLine: Codable, Sendable, Equatable {
        public var county: String
        public var code: String
        public var name: String
        /// 完成率 (behind-pace list only).
        public var percent: Double?
        public var liaison: String?
        public var liaisonPhone: String?

        public init(county: String, code: String, name: String, percent: Double?, liaison: LiaisonCadre?) {
            self.county = county
            self.code = code
            self.name = name
            self.percent = percent
            self.liaison = liaison?.name
            self.liaisonPhone = liaison?.phone
        }
    }

    public var campaignName: String
    public var regionName: String
    public var kind: ReportingFrequency
    public var number: Int
    public var periodKey: String
    public var periodLabel: String
    public var issuingBody: String
    public var issuedOn: CalendarDay
    public var title: String
    public var total: Row
    public var rows: [Row]
    public var behind: [String]
    public var notReported: [Missing]
    /// The townships that have not reported and those behind pace, each with its lead liaison;
    /// nil in bulletins issued before liaisons were named in them.
    public var notReportedTownships: [TownshipLine]?
    public var behindTownships: [TownshipLine]?
    public var text: String
    public var deadline: CalendarDay
    /// 已建立 organizations found 不属实 by spot checks up to the period's last day, which none of
    /// the figures counts, per county with any (nil in bulletins issued before they were named).
    public var refuted: [Refuted]?

    public struct Refuted: Codable, Sendable, Equatable {
        public var county: String
        public var count: Int

        public init(county: String, count: Int) {
            self.county = county
            self.count = count
        }
    }
}

/// An issued bulletin as listed.
public struct Bulletin: Codable, Sendable, Equatable {
    public var id: Int
    public var campaignID: Int
    public var kind: ReportingFrequency
    public var number: Int
    public var periodKey: String
    public var title: String
    public var issuedBy: String
    public var issuedAt: Date
    public var content: BulletinContent
    /// Set when withdrawn (作废): the bulletin stays on record, shown as withdrawn.
    public var withdrawal: Withdrawal?

    public struct Withdrawal: Codable, Sendable, Equatable {
        public var at: Date
        public var by: String
        public var reason: String
    }
}
