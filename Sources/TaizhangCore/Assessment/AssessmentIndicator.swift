/// One line of a rubric (考评方案): a name, its weight in points, and how it is scored — measured
/// from Taizhang's data through a curve, or checked (检查类) by an assessor who writes a note.
public struct AssessmentIndicator: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case measured
        case checked

        public var label: String { self == .measured ? "数据类" : "检查类" }
    }

    /// What a measured indicator scores when the unit has no figure (no report due, nothing spot-checked).
    public enum NoData: String, Codable, Sendable, CaseIterable {
        case fullMarks = "full_marks"
        case zero

        public var label: String { self == .fullMarks ? "无数据时得满分" : "无数据时得 0 分" }
    }

    /// Stable within a rubric ("i1", "i2" …): checked scores and appeals refer to it.
    public var key: String
    public var name: String
    public var weight: Int
    public var kind: Kind
    public var measure: MeasuredIndicator?
    public var curve: ScoreCurve?
    public var noData: NoData?
    /// For a checked indicator: what the assessor looks at (材料、现场 …).
    public var guidance: String?

    public init(key: String, name: String, weight: Int, kind: Kind, measure: MeasuredIndicator? = nil, curve: ScoreCurve? = nil,
                noData: NoData? = nil, guidance: String? = nil) {
        self.key = key
        self.name = name
        self.weight = weight
        self.kind = kind
        self.measure = measure
        self.curve = curve
        self.noData = noData
        self.guidance = guidance
    }

    public static func measured(_ key: String, _ name: String, weight: Int, _ measure: MeasuredIndicator, _ curve: ScoreCurve,
                                noData: NoData = .fullMarks) -> Self {
        Self(key: key, name: name, weight: weight, kind: .measured, measure: measure, curve: curve, noData: noData)
    }

    public static func checked(_ key: String, _ name: String, weight: Int, guidance: String) -> Self {
        Self(key: key, name: name, weight: weight, kind: .checked, guidance: guidance)
    }

    /// How the indicator is scored, in one sentence.
    public var scoring: String {
        switch kind {
        case .checked:
            return "由考评人员评分（0 至 \(weight) 分），须写明评分说明" + (guidance.map { "；检查内容：\($0)" } ?? "")
        case .measured:
            guard let measure, let curve else { return "" }
            return "\(measure.label) = \(measure.formula)。\(curve.sentence(weight: weight, unit: measure.unit))；\((noData ?? .fullMarks).label)"
        }
    }
}
