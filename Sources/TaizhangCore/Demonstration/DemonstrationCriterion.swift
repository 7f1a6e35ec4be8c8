import Foundation

/// One item of the city's checklist for a demonstration township (示范乡镇): measured from the
/// data where it can be, or met by evidence (a note and attachments) where it cannot.
public struct DemonstrationCriterion: Sendable, Hashable, Codable {
    public var id: Int
    public var campaignID: Int
    public var position: Int
    public var title: String
    public var kind: Kind
    /// The bar a measured figure must reach (members, percent, months); nil for evidence.
    public var threshold: Double?
    /// Marking the item met needs a note and at least one attachment.
    public var evidenceRequired: Bool

    public init(id: Int, campaignID: Int, position: Int, title: String, kind: Kind, threshold: Double?, evidenceRequired: Bool) {
        self.id = id
        self.campaignID = campaignID
        self.position = position
        self.title = title
        self.kind = kind
        self.threshold = threshold
        self.evidenceRequired = evidenceRequired
    }

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// 大团委班子配齐: a secretary and at least `threshold` members in all.
        case committeeStaffed = "committee_staffed"
        /// 完成率: the campaign's completion in percent.
        case completion
        /// 报送及时率: share of the reports due so far sent on time, in percent.
        case reportsOnTime = "reports_on_time"
        /// 联席会按月召开: the joint conference met in each of the last `threshold` months.
        case conferenceMonthly = "conference_monthly"
        /// 佐证材料: met by a note and attachments.
        case evidence

        public var label: String {
            switch self {
            case .committeeStaffed: "大团委班子配齐"
            case .completion: "目标完成率"
            case .reportsOnTime: "报送及时率"
            case .conferenceMonthly: "联席会按月召开"
            case .evidence: "佐证材料"
            }
        }

        public var isMeasured: Bool { self != .evidence }

        /// The bar when the city names none.
        public var defaultThreshold: Double? {
            switch self {
            case .committeeStaffed: 7
            case .completion: 100
            case .reportsOnTime: 95
            case .conferenceMonthly: 2
            case .evidence: nil
            }
        }

        /// How a figure and the bar read ("9 人 / 应 ≥ 7 人").
        public func figureText(_ value: Double) -> String {
            switch self {
            case .committeeStaffed: "\(Int(value)) 人"
            case .completion, .reportsOnTime: String(format: "%.1f%%", value)
            case .conferenceMonthly: "\(Int(value)) 个月"
            case .evidence: ""
            }
        }

        public init?(text: String) {
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let kind = Kind(rawValue: t) ?? Kind.allCases.first(where: { $0.label == t }) else { return nil }
            self = kind
        }
    }

    /// What the city types to add an item; `check` names every problem.
    public struct Draft: Sendable {
        public var title: String
        public var kind: Kind
        public var threshold: Double?
        public var evidenceRequired: Bool

        public init(title: String, kind: Kind, threshold: Double? = nil, evidenceRequired: Bool = false) {
            self.title = title
            self.kind = kind
            self.threshold = threshold
            self.evidenceRequired = evidenceRequired
        }

        public func check() -> [InvalidInput] {
            var problems: [InvalidInput] = []
            if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(.init(field: "条件名称", reason: "请填写")) }
            if title.count > 100 { problems.append(.init(field: "条件名称", reason: "不超过 100 个字")) }
            if let threshold, kind.isMeasured, threshold <= 0 || threshold > (kind == .committeeStaffed || kind == .conferenceMonthly ? 99 : 1000) {
                problems.append(.init(field: "达标线", reason: "「\(threshold)」不在合理范围内"))
            }
            return problems
        }
    }
}

/// A criterion's state for one township: met, not met, or not yet measurable (no data, or the
/// measurement is not built), with the figure it rests on.
public enum CriterionOutcome: Sendable, Hashable {
    case met(figure: String)
    case notMet(figure: String)
    case notMeasurable(reason: String)

    public var isMet: Bool { if case .met = self { true } else { false } }
    public var isNotMet: Bool { if case .notMet = self { true } else { false } }

    public var label: String {
        switch self {
        case .met: "达标"
        case .notMet: "未达标"
        case .notMeasurable: "暂无法测算"
        }
    }

    public var detail: String {
        switch self {
        case .met(let figure), .notMet(let figure): figure
        case .notMeasurable(let reason): reason
        }
    }

    /// The outcome of a measured figure against its bar.
    public static func measured(_ value: Double?, kind: DemonstrationCriterion.Kind, threshold: Double?, missing: String) -> CriterionOutcome {
        guard let value else { return .notMeasurable(reason: missing) }
        let bar = threshold ?? kind.defaultThreshold ?? 0
        let figure = "\(kind.figureText(value))（应 ≥ \(kind.figureText(bar))）"
        return value >= bar ? .met(figure: figure) : .notMet(figure: figure)
    }
}
