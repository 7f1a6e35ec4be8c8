/// What a campaign is set up with: a name, the region it covers, its window and total target,
/// and the rule that decides which organizations count.
public struct CampaignDraft: Sendable, Equatable, Codable {
    public var name: String
    /// A division code, or "CN" for the whole country.
    public var regionCode: String
    public var start: CalendarDay
    public var deadline: CalendarDay
    public var target: Int
    public var rule: CountingRule

    public init(name: String, regionCode: String, start: CalendarDay, deadline: CalendarDay, target: Int, rule: CountingRule = .init()) {
        self.name = name
        self.regionCode = regionCode
        self.start = start
        self.deadline = deadline
        self.target = target
        self.rule = rule
    }

    /// A campaign runs for months; five years bounds every day-by-day series drawn for it.
    public static let longestWindowInDays = 5 * 366

    /// Everything wrong with the draft, each naming its field.
    public var problems: [InvalidInput] {
        var problems: [InvalidInput] = []
        let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { problems.append(InvalidInput(field: "活动名称", reason: "不能为空")) }
        if name.count > 100 { problems.append(InvalidInput(field: "活动名称", reason: "不能超过 100 个字（现有 \(name.count) 个）")) }
        if deadline < start {
            problems.append(InvalidInput(field: "截止日期", reason: "\(deadline) 早于开始日期 \(start)"))
        }
        if deadline.dayNumber - start.dayNumber > Self.longestWindowInDays {
            problems.append(InvalidInput(field: "截止日期", reason: "活动期限不能超过 5 年（\(start) 至 \(deadline)）"))
        }
        if target <= 0 { problems.append(InvalidInput(field: "总指标", reason: "应为正整数（现为 \(target)）")) }
        return problems
    }
}
