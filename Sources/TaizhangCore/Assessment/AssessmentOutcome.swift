/// A scored and rated assessment: what the preview shows and what publication freezes.
public struct AssessmentOutcome: Codable, Sendable, Equatable {
    /// Eligible units in rating order (total, then the declared tie-break), then the others.
    public var units: [AssessedUnit]
    public var eligibleCount: Int
    public var fiveStarCap: Int
    public var fourOrBetterCap: Int

    public var eligible: [AssessedUnit] { units.filter(\.isEligible) }
    public var demoted: [AssessedUnit] { units.filter { !$0.demotions.isEmpty } }
    public var rectification: [AssessedUnit] { units.filter(\.needsRectification) }
    /// Checked items still without a score, as "单位：指标".
    public var unscored: [String] {
        eligible.flatMap { unit in unit.lines.filter(\.isUnscored).map { "\(unit.name)：\($0.name)" } }
    }

    public func count(_ grade: StarGrade) -> Int { eligible.filter { $0.grade == grade }.count }
}

/// One unit's result: its line per indicator, total, band, final grade after the caps, and why it
/// was demoted if it was.
public struct AssessedUnit: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    /// nil when eligible.
    public var ineligibleReason: String?
    public var lines: [AssessmentLine]
    public var total: AssessmentPoints
    /// The grade its total alone gives.
    public var band: StarGrade
    /// The grade after the quota caps.
    public var grade: StarGrade
    /// 1-based place in rating order among the eligible.
    public var position: Int?
    public var demotions: [Demotion]
    /// The measured figures by `MeasuredIndicator.rawValue` (the tie-break reads them).
    public var measured: [String: Double]

    public var isEligible: Bool { ineligibleReason == nil }
    public var needsRectification: Bool { isEligible && grade == .unrated }

    public func line(_ key: String) -> AssessmentLine? { lines.first { $0.key == key } }
}

/// How one indicator scored for one unit, with the figure it came from.
public struct AssessmentLine: Codable, Sendable, Equatable {
    public var key: String
    public var name: String
    public var weight: Int
    public var kind: AssessmentIndicator.Kind
    public var measure: MeasuredIndicator?
    /// The measured figure (%), nil for checked items and for no data.
    public var value: Double?
    /// Rank of the value among the eligible units (rank curves).
    public var rank: Int?
    public var points: AssessmentPoints
    /// How the points came about, in words: "完成率 98.5%，按线性计分" or the assessor's note.
    public var basis: String
    /// A checked item nobody has scored yet (counts 0 until scored).
    public var isUnscored: Bool
    /// Set when an appeal changed the points: what they were before.
    public var adjustedFrom: AssessmentPoints?
    /// 对标定级: the organization's own score (自评) of a checked item, beside the reviewed points that count.
    public var selfPoints: AssessmentPoints?
    /// The names of the evidence files uploaded for a checked item, as they stood when scored or published.
    public var evidence: [String]?
}

/// A demotion by a quota cap, with its reason as the published result prints it.
public struct Demotion: Codable, Sendable, Equatable {
    public var from: StarGrade
    public var to: StarGrade
    public var reason: String
}
