/// Where a nominated township stands: nominated by its county, approved (or not) by the city.
/// An approved township whose measured criteria fall below the bar is not demoted: it is shown
/// 待复核 (under review) until the city looks again.
public enum DemonstrationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case nominated
    case approved
    case rejected

    public var label: String {
        switch self {
        case .nominated: "县级推荐"
        case .approved: "市级认定"
        case .rejected: "未获认定"
        }
    }

    /// Whether the nomination counts toward the county's limit.
    public var holdsPlace: Bool { self != .rejected }
}

/// How many townships a county may nominate per campaign unless the city sets another number.
public enum NominationLimit {
    public static let standard = 2
    public static let range = 1...10
}
