/// The two levels of the review: the county verifies its townships' records (县已核实), the
/// city confirms what its counties verified (市已确认) and signs off their ledgers.
public enum ReviewLevel: String, Codable, Sendable, CaseIterable, Hashable {
    case county
    case city

    public var label: String {
        switch self {
        case .county: "县级核实"
        case .city: "市级确认"
        }
    }

    /// The state a record must be in to be confirmed at this level, and the state it enters.
    public var confirmsFrom: ReviewState { self == .county ? .pending : .county }
    public var confirmsTo: ReviewState { self == .county ? .county : .city }

    /// The states a reviewer at this level may return (a county cannot undo the city's confirmation).
    public var mayReturn: Set<ReviewState> { self == .county ? [.pending, .county] : [.pending, .county, .city] }

    /// Whether a grant on a division at `depth` (1 province, 2 city, 3 county, 4 township) reviews at this level.
    func isHeld(atDepth depth: Int) -> Bool {
        self == .city ? depth <= 2 : depth >= 3
    }
}

extension AccessPolicy {
    /// The subtrees where the user reviews at `level`: county-level review is held on a county
    /// (or below), city-level on a city (or above), so one person never does both to a record.
    public func reviewScope(_ level: ReviewLevel) -> Scope {
        Scope(roots: grants.filter { $0.role.permissions.contains(.verify) && level.isHeld(atDepth: DivisionPath($0.divisionPath).depth) }
            .map(\.divisionPath))
    }
}
