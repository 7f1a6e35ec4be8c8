/// What the scoring needs to know about one assessed unit on the assessment date: its target and
/// establishment (for eligibility), its measured figures (percentages to a tenth, rounded down, as
/// every page shows them; a missing key means no figure) and the assessors' checked scores.
public struct AssessmentUnit: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var target: Int
    public var establishedOn: CalendarDay?
    /// By `MeasuredIndicator.rawValue`.
    public var measured: [String: Double]
    /// By indicator key: the reviewed (审核) scores that count.
    public var checked: [String: CheckedScore]
    /// By indicator key: an organization's own scores (自评) in 对标定级, which the committee reviews.
    public var selfAssessed: [String: CheckedScore]
    /// By indicator key: the names of the evidence files (佐证材料) uploaded for the item.
    public var evidence: [String: [String]]

    public init(code: String, name: String, target: Int, establishedOn: CalendarDay? = nil, measured: [MeasuredIndicator: Double] = [:],
                checked: [String: CheckedScore] = [:], selfAssessed: [String: CheckedScore] = [:], evidence: [String: [String]] = [:]) {
        self.code = code
        self.name = name
        self.target = target
        self.establishedOn = establishedOn
        self.measured = Dictionary(uniqueKeysWithValues: measured.map { ($0.key.rawValue, $0.value) })
        self.checked = checked
        self.selfAssessed = selfAssessed
        self.evidence = evidence
    }

    public func value(_ measure: MeasuredIndicator) -> Double? { measured[measure.rawValue] }
}

/// An assessor's score of a checked item, with the note that justifies it.
public struct CheckedScore: Codable, Sendable, Equatable {
    public var points: AssessmentPoints
    public var note: String
    public var scoredBy: String

    public init(points: AssessmentPoints, note: String, scoredBy: String) {
        self.points = points
        self.note = note
        self.scoredBy = scoredBy
    }

    /// Checks a typed score against its indicator: within 0…weight, to a hundredth, with a note.
    /// `stage` names the score in refusals: 评分 (the assessors') or 自评 (an organization's own).
    public static func validated(_ text: String, note: String, for indicator: AssessmentIndicator, by scorer: String,
                                 stage: String = "评分") throws -> CheckedScore {
        let place = "「\(indicator.name)」\(stage == "评分" ? "" : stage)"
        guard indicator.kind == .checked else { throw InvalidInput(field: place, reason: "是数据类指标，由系统计算，不能手工评分") }
        let typed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Double(typed), value.isFinite else {
            throw InvalidInput(field: "\(place)得分", reason: "「\(typed)」不是数字")
        }
        let points = AssessmentPoints(rounding: value)
        guard abs(points.value - value) < 1e-9 else { throw InvalidInput(field: "\(place)得分", reason: "最多保留两位小数（现为 \(typed)）") }
        guard points >= .zero, points <= AssessmentPoints(points: indicator.weight) else {
            throw InvalidInput(field: "\(place)得分", reason: "应在 0 到 \(indicator.weight) 分之间（现为 \(typed)）")
        }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        let notePlace = "「\(indicator.name)」\(stage)说明"
        guard !note.isEmpty else { throw InvalidInput(field: notePlace, reason: "检查类指标须写明评分依据（看了哪些材料、扣分原因）") }
        guard note.count <= 500 else { throw InvalidInput(field: notePlace, reason: "不能超过 500 字（现有 \(note.count) 字）") }
        return CheckedScore(points: points, note: note, scoredBy: scorer)
    }
}
