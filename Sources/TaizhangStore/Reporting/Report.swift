import Foundation
import TaizhangCore

/// A division's figures for a reporting period, taken from the ledger at the period's close.
public struct ReportFigures: Codable, Sendable, Equatable {
    public var target: Int
    public var counted: Int
    /// Counted organizations founded inside the period.
    public var newInPeriod: Int
    public var percent: Double
    public var expected: Int
    public var isBehindPace: Bool
}

/// One submission of a report (a later revision amends it; both are kept).
public struct Report: Codable, Sendable, Equatable {
    public var id: Int
    public var campaignID: Int
    public var divisionCode: String
    public var divisionPath: String
    public var periodKey: String
    public var revision: Int
    public var figures: ReportFigures
    public var workProgress: String
    public var problems: String
    public var nextSteps: String
    public var submittedBy: String
    public var submittedAt: Date
    public var timeliness: Timeliness
}

/// What a reporter writes: 工作进展, 存在问题, 下步打算.
public struct ReportNarrative: Codable, Sendable, Equatable {
    public var workProgress: String
    public var problems: String
    public var nextSteps: String

    public init(workProgress: String, problems: String, nextSteps: String) {
        self.workProgress = workProgress
        self.problems = problems
        self.nextSteps = nextSteps
    }
}

/// Whether a division has reported for a period, and how.
public enum ReportStatus: Sendable, Equatable {
    case onTime(Report)
    case late(Report)
    case missing

    public var label: String {
        switch self {
        case .onTime: "按时报送"
        case .late: "逾期报送"
        case .missing: "未报送"
        }
    }

    public var code: String {
        switch self {
        case .onTime: "on_time"
        case .late: "late"
        case .missing: "missing"
        }
    }

    public var report: Report? {
        switch self {
        case .onTime(let report), .late(let report): report
        case .missing: nil
        }
    }
}

/// The city's score and comment on a county's week, kept for the annual assessment.
public struct WeeklyReview: Codable, Sendable, Equatable {
    public var divisionCode: String
    public var periodKey: String
    public var score: Int
    public var comment: String
    public var reviewer: String
    public var reviewedAt: Date
}
