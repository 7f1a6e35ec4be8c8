/// A unit's grade from its total score (对标定级): 5★ ≥ 90, 4★ 80–89, 3★ 70–79, 2★ 60–69;
/// below 60 it is unrated and listed for rectification (整改).
public enum StarGrade: Int, Codable, Sendable, CaseIterable, Comparable {
    case unrated = 0
    case two = 2
    case three = 3
    case four = 4
    case five = 5

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The band a total falls in.
    public init(total: AssessmentPoints) {
        switch total.hundredths {
        case 9000...: self = .five
        case 8000..<9000: self = .four
        case 7000..<8000: self = .three
        case 6000..<7000: self = .two
        default: self = .unrated
        }
    }

    public var label: String {
        switch self {
        case .five: "五星级"
        case .four: "四星级"
        case .three: "三星级"
        case .two: "二星级"
        case .unrated: "不定级（列入整改）"
        }
    }

    public var stars: String { self == .unrated ? "—" : String(repeating: "★", count: rawValue) }

    /// The band in words, for the page that explains the grading.
    public var band: String {
        switch self {
        case .five: "90 分及以上"
        case .four: "80 分至不满 90 分"
        case .three: "70 分至不满 80 分"
        case .two: "60 分至不满 70 分"
        case .unrated: "不满 60 分"
        }
    }

    /// The grade one step below (a demotion by a cap).
    public var lower: StarGrade {
        switch self {
        case .five: .four
        case .four: .three
        case .three: .two
        case .two, .unrated: .unrated
        }
    }
}
