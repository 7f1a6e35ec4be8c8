/// How a measured value becomes points out of an indicator's weight — written so a cadre can read it.
public enum ScoreCurve: Codable, Sendable, Equatable {
    /// At or below `floor` no points, at or above `full` full marks, straight line between (in the measure's unit: % or 个).
    case linear(floor: Double, full: Double)
    /// The best `top` units get full marks; every rank below them loses `step` points (never below 0).
    /// Equal values share the better rank.
    case rank(top: Int, step: Double)

    public var kindLabel: String {
        switch self {
        case .linear: "线性"
        case .rank: "名次"
        }
    }

    /// "不高于 60% 得 0 分，达到 100% 得满分 20 分，之间按比例计分" — the sentence the pages print; `unit` is the measure's ("%" or " 个").
    public func sentence(weight: Int, unit: String = "%") -> String {
        switch self {
        case .linear(let floor, let full):
            "不高于 \(Self.number(floor))\(unit) 得 0 分，达到 \(Self.number(full))\(unit) 得满分 \(weight) 分，之间按比例计分"
        case .rank(let top, let step):
            "前 \(top) 名得满分 \(weight) 分，此后每低一个名次减 \(Self.number(step)) 分，最低 0 分（数值相同名次相同）"
        }
    }

    /// Points out of `weight` for a value; `rank` is the unit's rank (1 = best) among those with a value.
    public func points(value: Double, rank: Int, weight: Int) -> AssessmentPoints {
        switch self {
        case .linear(let floor, let full):
            if value >= full { return AssessmentPoints(points: weight) }
            if value <= floor { return .zero }
            return AssessmentPoints(rounding: Double(weight) * (value - floor) / (full - floor))
        case .rank(let top, let step):
            guard rank > top else { return AssessmentPoints(points: weight) }
            let lost = AssessmentPoints(rounding: step).hundredths * (rank - top)
            return AssessmentPoints(hundredths: max(0, weight * 100 - lost))
        }
    }

    /// What is wrong with the curve, in the words of the form; nil when it is usable.
    public func problem(weight: Int, unit: String = "%") -> String? {
        switch self {
        case .linear(let floor, let full):
            let top = unit == "%" ? 1000.0 : 100_000
            guard floor.isFinite, full.isFinite, floor >= 0, full <= top else { return "下限和满分线应在 0\(unit) 到 \(Self.number(top))\(unit) 之间" }
            guard floor < full else {
                return "下限 \(Self.number(floor))\(unit) 不低于满分线 \(Self.number(full))\(unit)，请把下限改得比满分线低"
            }
            return nil
        case .rank(let top, let step):
            guard top >= 1 else { return "满分名次应至少为 1（现为 \(top)）" }
            guard step.isFinite, step >= 0, step <= Double(weight) else { return "每名次扣分应在 0 到该项满分 \(weight) 分之间（现为 \(Self.number(step))）" }
            return nil
        }
    }

    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(value)
    }
}
