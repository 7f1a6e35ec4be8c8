import Foundation
import TaizhangCore

/// A township nominated as a demonstration township (示范乡镇) of a campaign, with the city's
/// decision, the acceptance visit and the evidence given per checklist item.
public struct Demonstration: Sendable, Hashable {
    public var id: Int
    public var campaignID: Int
    public var townshipCode: String
    public var townshipPath: String
    public var countyCode: String
    public var status: DemonstrationStatus
    public var reason: String
    public var nominatedBy: String
    public var nominatedAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionNote: String?
    public var acceptance: Acceptance?
    public var evidence: [Evidence]

    public struct Acceptance: Sendable, Hashable {
        public var day: CalendarDay
        public var team: String
        public var findings: String
        public var recordedBy: String
    }

    public struct Evidence: Sendable, Hashable {
        public var id: Int
        public var criterionID: Int
        public var note: String
        public var marksMet: Bool
        public var recordedBy: String
        public var recordedAt: Date
        public var files: [File]
    }

    public struct File: Sendable, Hashable {
        public var id: Int
        public var fileName: String
        public var kind: DocumentFileKind
        public var byteCount: Int
        public var sha256: String
    }

    /// The latest entry given for a checklist item, which decides whether it is met by evidence.
    public func latestEvidence(for criterionID: Int) -> Evidence? {
        evidence.filter { $0.criterionID == criterionID }.max { ($0.recordedAt, $0.id) < ($1.recordedAt, $1.id) }
    }
}

/// A demonstration township's checklist as of a day: each item with its outcome, and whether the
/// township is 待复核 (approved, but a measured item has fallen below its bar).
public struct DemonstrationChecklist: Sendable {
    public var demonstration: Demonstration
    public var items: [(criterion: DemonstrationCriterion, outcome: CriterionOutcome)]

    public var isUnderReview: Bool {
        demonstration.status == .approved && items.contains { $0.criterion.kind.isMeasured && $0.outcome.isNotMet }
    }

    public var metCount: Int { items.filter { $0.outcome.isMet }.count }

    public var statusLabel: String { isUnderReview ? "待复核" : demonstration.status.label }
}
