/// Points of a score in hundredths (87.35 分 is 8735), so totals add up and ties compare exactly
/// whatever order the indicators are summed in.
public struct AssessmentPoints: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var hundredths: Int

    public init(hundredths: Int) { self.hundredths = hundredths }

    /// Whole points (a weight, a band threshold).
    public init(points: Int) { self.hundredths = points * 100 }

    /// A typed or computed value rounded half up to the hundredth.
    public init(rounding value: Double) {
        self.hundredths = value.isFinite ? Int((value * 100).rounded(.toNearestOrAwayFromZero)) : 0
    }

    public static let zero = AssessmentPoints(hundredths: 0)

    public static func + (lhs: Self, rhs: Self) -> Self { Self(hundredths: lhs.hundredths + rhs.hundredths) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.hundredths < rhs.hundredths }

    /// "87.35", "90", "7.5": as a cadre writes a score.
    public var description: String {
        let sign = hundredths < 0 ? "-" : ""
        let whole = abs(hundredths) / 100, fraction = abs(hundredths) % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public var value: Double { Double(hundredths) / 100 }

    public init(from decoder: any Decoder) throws {
        hundredths = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hundredths)
    }
}
