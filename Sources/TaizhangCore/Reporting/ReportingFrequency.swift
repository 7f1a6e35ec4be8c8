/// How often a report is asked for: the campaign's reporting rhythm (每天一报, 周报周评, 半月汇报).
public enum ReportingFrequency: String, Codable, Sendable, CaseIterable, Hashable {
    case daily = "daily"
    case weekly = "weekly"
    case halfMonthly = "half_monthly"

    public var label: String {
        switch self {
        case .daily: "日报"
        case .weekly: "周报"
        case .halfMonthly: "半月汇报"
        }
    }
}

/// Whether a report arrived by its deadline.
public enum Timeliness: String, Codable, Sendable, CaseIterable, Hashable {
    case onTime = "on_time"
    case late = "late"

    public var label: String {
        switch self {
        case .onTime: "按时"
        case .late: "逾期"
        }
    }
}
