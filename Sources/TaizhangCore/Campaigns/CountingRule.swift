/// Which organizations count toward a campaign's target. Always those 已建立; optionally only
/// those the township founded itself (新建, not 联系指导), and only those founded inside the
/// campaign's window; optionally only those the county (or the city) has confirmed; never one a
/// spot check found 不属实.
public struct CountingRule: Codable, Sendable, Equatable {
    /// Leave out 联系指导 organizations (a county department's, only guided by the township).
    public var newOnly: Bool
    /// Count only organizations founded between the campaign's start and its deadline.
    public var withinWindow: Bool
    /// How far the review must have come.
    public var confirmation: ConfirmationRule

    public init(newOnly: Bool = true, withinWindow: Bool = true, confirmation: ConfirmationRule = .none) {
        self.newOnly = newOnly
        self.withinWindow = withinWindow
        self.confirmation = confirmation
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        newOnly = try container.decode(Bool.self, forKey: .newOnly)
        withinWindow = try container.decode(Bool.self, forKey: .withinWindow)
        confirmation = try container.decodeIfPresent(ConfirmationRule.self, forKey: .confirmation) ?? .none
    }

    /// The review keys of the running counts that count.
    public var countedReviews: [CountedReview] { confirmation.countedReviews }

    /// The guidance kinds that count.
    public var guidanceKinds: [GuidanceKind] { newOnly ? [.newlyBuilt] : GuidanceKind.allCases }

    /// Whether an organization with these fields counts on `day` for a campaign running from `start`.
    public func counts(_ fields: OrganizationFields, review: CountedReview = .pending, on day: CalendarDay, start: CalendarDay) -> Bool {
        guard confirmation.counts(review) else { return false }
        guard fields.stage == .founded, let founded = fields.foundedOn, founded <= day else { return false }
        if newOnly, fields.guidance != .newlyBuilt { return false }
        if withinWindow, founded < start { return false }
        return true
    }

    public var description: String {
        var parts = ["已建立"]
        if newOnly { parts.append("新建（不含联系指导）") }
        if withinWindow { parts.append("活动期内成立") }
        if confirmation != .none { parts.append(confirmation.label) }
        return parts.joined(separator: "、")
    }
}
