/// Where an organization's record stands in the two-level review (核查): the township enters
/// it (待县核实), the county checks it (县已核实), the city confirms it (市已确认); either level
/// may send it back (已退回) with a reason, and correcting it sends it to the county again.
public enum ReviewState: String, Codable, Sendable, CaseIterable, Hashable {
    case pending
    case returned
    case county
    case city

    public var label: String {
        switch self {
        case .pending: "待县核实"
        case .returned: "已退回"
        case .county: "县已核实"
        case .city: "市已确认"
        }
    }

    /// Confirmed at some level: a change to what the count uses sends it back to 待县核实.
    public var isConfirmed: Bool { self == .county || self == .city }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let state = ReviewState(rawValue: t) { self = state; return }
        guard let state = Self.allCases.first(where: { $0.label == t }) else { return nil }
        self = state
    }
}

/// The review key of the running counts: the review state, or `refuted` once a spot check
/// found the organization 不属实 (then it never counts, whatever the rule).
public enum CountedReview: String, Codable, Sendable, CaseIterable, Hashable {
    case pending, returned, county, city, refuted

    public init(_ state: ReviewState, refuted: Bool) {
        if refuted { self = .refuted; return }
        switch state {
        case .pending: self = .pending
        case .returned: self = .returned
        case .county: self = .county
        case .city: self = .city
        }
    }
}

/// How far a record must be reviewed before it counts toward a campaign's target.
public enum ConfirmationRule: String, Codable, Sendable, CaseIterable, Hashable {
    /// Every 已建立 record counts (the rule before review existed).
    case none
    /// Only records the county has verified (县已核实 or 市已确认).
    case county
    /// Only records the city has confirmed (市已确认).
    case city

    public var label: String {
        switch self {
        case .none: "不论核实状态"
        case .county: "仅计县已核实"
        case .city: "仅计市已确认"
        }
    }

    /// The review keys that count under this rule; a refuted record never counts.
    public var countedReviews: [CountedReview] {
        switch self {
        case .none: [.pending, .returned, .county, .city]
        case .county: [.county, .city]
        case .city: [.city]
        }
    }

    public func counts(_ review: CountedReview) -> Bool { countedReviews.contains(review) }
}
