/// Scoring a rubric over units: eligibility, each indicator's points (measured through its curve,
/// checked from the assessors' entries), totals and bands; then `StarQuotaRating` applies the caps.
public enum AssessmentScoring {
    public static func assess(_ units: [AssessmentUnit], rubric: AssessmentRubric, asOf: CalendarDay) -> AssessmentOutcome {
        let reasons = Dictionary(uniqueKeysWithValues: units.map {
            ($0.code, rubric.eligibility.ineligibility(code: $0.code, target: $0.target, establishedOn: $0.establishedOn, asOf: asOf))
        })
        let eligible = units.filter { reasons[$0.code] ?? nil == nil }
        var lines: [String: [AssessmentLine]] = [:]
        for indicator in rubric.indicators {
            let ranks = indicator.measure.map { ranking(eligible, by: $0) } ?? [:]
            for unit in eligible { lines[unit.code, default: []].append(line(indicator, unit, rank: ranks[unit.code])) }
        }
        let assessed = units.map { unit in
            let unitLines = lines[unit.code] ?? []
            let total = unitLines.map(\.points).reduce(.zero, +)
            let reason = reasons[unit.code] ?? nil
            let band = reason == nil ? StarGrade(total: total) : .unrated
            return AssessedUnit(code: unit.code, name: unit.name, ineligibleReason: reason, lines: unitLines, total: total, band: band,
                                grade: band, position: nil, demotions: [], measured: unit.measured)
        }
        return StarQuotaRating.rate(assessed, rubric: rubric)
    }

    /// Competition ranks ("1224") of the units with a value, highest value first.
    static func ranking(_ units: [AssessmentUnit], by measure: MeasuredIndicator) -> [String: Int] {
        let values = units.compactMap { unit in unit.value(measure).map { (unit.code, $0) } }
        var ranks: [String: Int] = [:]
        for (code, value) in values { ranks[code] = 1 + values.filter { $0.1 > value }.count }
        return ranks
    }

    static func line(_ indicator: AssessmentIndicator, _ unit: AssessmentUnit, rank: Int?) -> AssessmentLine {
        var line = AssessmentLine(key: indicator.key, name: indicator.name, weight: indicator.weight, kind: indicator.kind,
                                  measure: indicator.measure, value: nil, rank: nil, points: .zero, basis: "", isUnscored: false)
        switch indicator.kind {
        case .checked:
            let own = unit.selfAssessed[indicator.key]
            line.selfPoints = own?.points
            let selfPart = own.map { "自评 \($0.points) 分（\($0.note)）；" } ?? ""
            if let score = unit.checked[indicator.key] {
                line.points = min(score.points, AssessmentPoints(points: indicator.weight))
                line.basis = own == nil ? "\(score.scoredBy)评分：\(score.note)" : "\(selfPart)\(score.scoredBy)审核：\(score.note)"
            } else {
                line.isUnscored = true
                line.basis = own == nil ? "尚未评分（暂计 0 分）" : "\(selfPart)待审核（暂计 0 分）"
            }
            if let files = unit.evidence[indicator.key], !files.isEmpty {
                line.evidence = files
                line.basis += "；佐证材料：\(files.joined(separator: "、"))"
            }
        case .measured:
            guard let measure = indicator.measure, let curve = indicator.curve else { break }
            guard let value = unit.value(measure) else {
                let noData = indicator.noData ?? .fullMarks
                line.points = noData == .fullMarks ? AssessmentPoints(points: indicator.weight) : .zero
                line.basis = "无\(measure.label)数据，\(noData.label)"
                break
            }
            line.value = value
            line.rank = rank
            line.points = curve.points(value: value, rank: rank ?? 1, weight: indicator.weight)
            switch curve {
            case .linear: line.basis = "\(measure.label) \(measure.figure(value))，按线性计分"
            case .rank: line.basis = "\(measure.label) \(measure.figure(value))，第 \(rank ?? 1) 名，按名次计分"
            }
        }
        return line
    }


    /// A published unit re-totalled after an appeal changed one line's points (the figures stay as frozen).
    public static func adjusting(_ unit: AssessedUnit, line key: String, to points: AssessmentPoints, note: String) -> AssessedUnit {
        var unit = unit
        guard let index = unit.lines.firstIndex(where: { $0.key == key }) else { return unit }
        if unit.lines[index].adjustedFrom == nil { unit.lines[index].adjustedFrom = unit.lines[index].points }
        unit.lines[index].points = points
        unit.lines[index].isUnscored = false
        unit.lines[index].basis += "；申诉改定：\(note)"
        unit.total = unit.lines.map(\.points).reduce(.zero, +)
        unit.band = unit.isEligible ? StarGrade(total: unit.total) : .unrated
        return unit
    }
}

/// The quota caps (对标定级): grades from the bands, then at most floor(p5% × eligible) five-star and
/// floor(p4% × eligible) four-star-or-better units; those over a cap are demoted one grade in rating
/// order — total, then the rubric's declared tie-break, then code — and each demotion says why.
public enum StarQuotaRating {
    public static func rate(_ units: [AssessedUnit], rubric: AssessmentRubric) -> AssessmentOutcome {
        var eligible = units.filter(\.isEligible).sorted { precedes($0, $1, tieBreak: rubric.tieBreak) }
        let others = units.filter { !$0.isEligible }.map { unit -> AssessedUnit in
            var unit = unit
            unit.grade = .unrated
            unit.position = nil
            unit.demotions = []
            return unit
        }
        let n = eligible.count
        let cap5 = rubric.quotas.fiveStarCap(eligible: n), cap45 = rubric.quotas.fourOrBetterCap(eligible: n)
        var fives = 0, fourOrBetter = 0
        for index in eligible.indices {
            eligible[index].position = index + 1
            eligible[index].grade = eligible[index].band
            eligible[index].demotions = []
            if eligible[index].grade == .five {
                fives += 1
                if fives > cap5 {
                    demote(&eligible[index], reason: "五星级名额 \(cap5) 个（\(n) × \(rubric.quotas.fiveStarPercent)% 向下取整），"
                           + "本单位总分 \(eligible[index].total) 分，按排序列五星级第 \(fives) 位，超出名额")
                }
            }
            if eligible[index].grade >= .four {
                fourOrBetter += 1
                if fourOrBetter > cap45 {
                    demote(&eligible[index], reason: "四星级及以上名额 \(cap45) 个（\(n) × \(rubric.quotas.fourOrBetterPercent)% 向下取整），"
                           + "本单位按排序列四星级及以上第 \(fourOrBetter) 位，超出名额")
                }
            }
        }
        return AssessmentOutcome(units: eligible + others, eligibleCount: n, fiveStarCap: cap5, fourOrBetterCap: cap45)
    }

    static func demote(_ unit: inout AssessedUnit, reason: String) {
        let from = unit.grade
        unit.grade = from.lower
        unit.demotions.append(Demotion(from: from, to: unit.grade, reason: "\(reason)，由\(from.label)降为\(unit.grade.label)"))
    }

    /// Rating order: higher total; then each tie-break figure, higher first (no figure is lowest); then the lower code.
    public static func precedes(_ a: AssessedUnit, _ b: AssessedUnit, tieBreak: [MeasuredIndicator]) -> Bool {
        if a.total != b.total { return a.total > b.total }
        for measure in tieBreak {
            let x = a.measured[measure.rawValue] ?? -.infinity, y = b.measured[measure.rawValue] ?? -.infinity
            if x != y { return x > y }
        }
        return a.code < b.code
    }
}
