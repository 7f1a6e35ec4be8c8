/// A rank in the administrative hierarchy. A management zone (管委会) is county-level.
public enum DivisionLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case province
    case city
    case county
    case township

    public var label: String {
        switch self {
        case .province: "省（自治区、直辖市）"
        case .city: "市（地区、州）"
        case .county: "县（市、区）"
        case .township: "乡镇（街道）"
        }
    }

    /// Short label for table headers and breadcrumbs.
    public var shortLabel: String {
        switch self {
        case .province: "省"
        case .city: "市"
        case .county: "县"
        case .township: "乡镇"
        }
    }

    public var depth: Int {
        switch self {
        case .province: 0
        case .city: 1
        case .county: 2
        case .township: 3
        }
    }

    public var childLevel: DivisionLevel? {
        switch self {
        case .province: .city
        case .city: .county
        case .county: .township
        case .township: nil
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.depth < rhs.depth }
}
