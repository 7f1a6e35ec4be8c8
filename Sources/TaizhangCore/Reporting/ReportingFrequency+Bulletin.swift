/// How a bulletin of each rhythm is named: a bulletin is a 通报, not a report (日报).
extension ReportingFrequency {
    /// 日通报, 周通报, 半月通报
    public var bulletinLabel: String {
        switch self {
        case .daily: "日通报"
        case .weekly: "周通报"
        case .halfMonthly: "半月通报"
        }
    }

    /// The bulletin's own period in a sentence: 当日, 本周, 本期.
    public var periodWord: String {
        switch self {
        case .daily: "当日"
        case .weekly: "本周"
        case .halfMonthly: "本期"
        }
    }
}
