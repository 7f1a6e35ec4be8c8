import Foundation
import TaizhangCore

/// One annual assessment: a campaign's year at one level (a city scoring its counties, a county its
/// townships, a township rating its organizations), with its rubric and the day its figures are taken.
public struct Assessment: Sendable, Codable, Equatable {
    public var id: Int
    public var campaignID: Int
    public var scopeCode: String
    public var scopePath: String
    public var scopeName: String
    public var year: Int
    public var title: String
    public var asOf: CalendarDay
    public var rubric: AssessmentRubric
    /// Raised by every rubric save; a form carries the version it read.
    public var rubricVersion: Int
    public var createdBy: String
    public var createdAt: Date
    public var updatedBy: String
    public var updatedAt: Date

    /// A township rating its organizations (对标定级) rather than a city or county scoring its divisions.
    public var isOrganizationLevel: Bool { DivisionPath(scopePath).depth >= 4 }

    /// What the assessed units are called: 县（市、区） under a city, 乡镇（街道） under a county, 团组织 in a township.
    public var unitLabel: String {
        isOrganizationLevel ? "团组织" : DivisionPath(scopePath).depth <= 2 ? "县（市、区）" : "乡镇（街道）"
    }
}

/// A published result (考评结果第N号, version v): the content is copied in when published and never recomputed.
public struct AssessmentResult: Sendable, Codable, Equatable {
    public var id: Int
    public var assessmentID: Int
    public var number: Int
    public var version: Int
    public var content: AssessmentResultContent
    public var publishedBy: String
    public var publishedAt: Date
    /// The last day an appeal against this version may be filed.
    public var appealUntil: CalendarDay
}

/// Everything the published page, .docx and .xlsx print.
public struct AssessmentResultContent: Sendable, Codable, Equatable {
    public var title: String
    public var issuingBody: String
    public var scopeName: String
    public var unitLabel: String
    public var campaignName: String
    public var year: Int
    public var asOf: CalendarDay
    public var publishedOn: CalendarDay
    public var number: Int
    public var version: Int
    public var rubric: AssessmentRubric
    public var outcome: AssessmentOutcome
    /// From version 2 on: what changed against the previous version, one sentence per change.
    public var changes: [String]
}

/// An appeal (申诉) of one unit against one item of a published result, and its decision.
public struct AssessmentAppeal: Sendable, Codable, Equatable {
    public enum Decision: String, Codable, Sendable {
        case accepted
        case rejected

        public var label: String { self == .accepted ? "申诉成立" : "维持原评分" }
    }

    public var id: Int
    public var assessmentID: Int
    public var resultVersion: Int
    public var unitCode: String
    public var unitPath: String
    public var indicatorKey: String
    public var reason: String
    public var filedBy: String
    public var filedAt: Date
    public var decision: Decision?
    public var newPoints: AssessmentPoints?
    public var decisionNote: String?
    public var decidedBy: String?
    public var decidedAt: Date?
    public var appliedInVersion: Int?

    public var isOpen: Bool { decision == nil }
    /// Accepted and not yet in a published version.
    public var awaitsRepublication: Bool { decision == .accepted && appliedInVersion == nil }
}
