/// Where a supervision item came from; the item links back to it.
public enum SupervisionSource: String, Codable, Sendable, CaseIterable, Hashable {
    case visit
    case weeklyReview = "weekly_review"
    case spotCheck = "spot_check"
    case redFlag = "red_flag"
    case meeting
    case interview
    case inspection
    case other

    public var label: String {
        switch self {
        case .visit: "实地走访"
        case .weeklyReview: "每周评比"
        case .spotCheck: "数据抽查"
        case .redFlag: "疑点数据"
        case .meeting: "会议决定"
        case .interview: "工作约谈"
        case .inspection: "督导"
        case .other: "其他"
        }
    }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let source = SupervisionSource(rawValue: t) { self = source; return }
        guard let source = SupervisionSource.allCases.first(where: { $0.label == t }) else { return nil }
        self = source
    }
}
