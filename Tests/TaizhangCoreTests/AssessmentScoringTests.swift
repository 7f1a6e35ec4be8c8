import Testing
@testable import TaizhangCore

private let asOf = CalendarDay(iso: "2012-12-31")!

/// A rubric of one checked item worth 100, so each unit's total is exactly what the test gives it.
private let oneItem = AssessmentRubric(indicators: [.checked("c", "综合评价", weight: 100, guidance: "材料")])

private func unit(_ code: String, total: Double, completion: Double? = nil, onTime: Double? = nil, target: Int = 100) -> AssessmentUnit {
    var measured: [MeasuredIndicator: Double] = [:]
    if let completion { measured[.completion] = completion }
    if let onTime { measured[.reportsOnTime] = onTime }
    return AssessmentUnit(code: code, name: "单位\(code)", target: target, measured: measured,
                          checked: ["c": CheckedScore(points: AssessmentPoints(rounding: total), note: "材料齐全", scoredBy: "考评组")])
}

@Suite struct AssessmentScoringTests {
    @Test func bandsFollowTheDeclaredThresholds() {
        #expect(StarGrade(total: AssessmentPoints(points: 90)) == .five)
        #expect(StarGrade(total: AssessmentPoints(hundredths: 8999)) == .four)
        #expect(StarGrade(total: AssessmentPoints(points: 80)) == .four)
        #expect(StarGrade(total: AssessmentPoints(hundredths: 7999)) == .three)
        #expect(StarGrade(total: AssessmentPoints(points: 70)) == .three)
        #expect(StarGrade(total: AssessmentPoints(points: 60)) == .two)
        #expect(StarGrade(total: AssessmentPoints(hundredths: 5999)) == .unrated)
    }

    @Test func linearCurveScoresBetweenFloorAndFullMarks() {
        let curve = ScoreCurve.linear(floor: 60, full: 100)
        #expect(curve.points(value: 100, rank: 1, weight: 40) == AssessmentPoints(points: 40))
        #expect(curve.points(value: 130, rank: 1, weight: 40) == AssessmentPoints(points: 40))
        #expect(curve.points(value: 60, rank: 1, weight: 40) == .zero)
        #expect(curve.points(value: 12, rank: 1, weight: 40) == .zero)
        #expect(curve.points(value: 80, rank: 1, weight: 40) == AssessmentPoints(points: 20))
        // 40 × (87.5 − 60) / 40 = 27.5
        #expect(curve.points(value: 87.5, rank: 1, weight: 40).description == "27.5")
    }

    @Test func rankCurveGivesTheTopFullMarksThenLosesAStepPerRank() {
        let curve = ScoreCurve.rank(top: 3, step: 0.5)
        #expect(curve.points(value: 0, rank: 1, weight: 5) == AssessmentPoints(points: 5))
        #expect(curve.points(value: 0, rank: 3, weight: 5) == AssessmentPoints(points: 5))
        #expect(curve.points(value: 0, rank: 4, weight: 5).description == "4.5")
        #expect(curve.points(value: 0, rank: 12, weight: 5).description == "0.5")
        #expect(curve.points(value: 0, rank: 40, weight: 5) == .zero)
    }

    @Test func aCountIndicatorIsScoredAndPrintedAsACount() {
        // 示范乡镇验收数: 0 个 gives nothing, 2 个 full marks, 1 个 half.
        let indicator = AssessmentIndicator.measured("d", "示范乡镇建设", weight: 10, .demonstrationAccepted, .linear(floor: 0, full: 2))
        #expect(indicator.scoring.contains("不高于 0 个 得 0 分，达到 2 个 得满分 10 分"))
        #expect(!indicator.scoring.contains("%"))
        let rubric = AssessmentRubric(indicators: [indicator, .checked("c", "综合评价", weight: 90, guidance: "材料")], tieBreak: [])
        #expect(rubric.problems().isEmpty)
        let one = AssessmentUnit(code: "1", name: "甲", target: 10, measured: [.demonstrationAccepted: 1])
        let line = AssessmentScoring.assess([one], rubric: rubric, asOf: asOf).units[0].lines[0]
        #expect(line.points == AssessmentPoints(points: 5))
        #expect(line.basis == "示范乡镇验收数 1 个，按线性计分")
        // Its bounds are counts: 2000 个 is a usable full-marks line where 2000% would not be.
        var wide = rubric
        wide.indicators[0].curve = .linear(floor: 0, full: 2000)
        #expect(wide.problems().isEmpty)
        wide.indicators[0].curve = .linear(floor: 3, full: 2)
        #expect(wide.problems().map(\.message).joined().contains("下限 3 个 不低于满分线 2 个"))
        #expect(MeasuredIndicator.completion.figure(87.5) == "87.5%")
    }

    @Test func equalValuesShareTheBetterRank() {
        let units = [unit("1", total: 0, completion: 90), unit("2", total: 0, completion: 95), unit("3", total: 0, completion: 90),
                     unit("4", total: 0, completion: 80)]
        #expect(AssessmentScoring.ranking(units, by: .completion) == ["2": 1, "1": 2, "3": 2, "4": 4])
    }

    @Test func elevenEligibleAllowAtMostTwoFiveStarsAndSixFourOrBetter() {
        // Eleven units at 95 (all in the five-star band): floor(2.2) = 2 five-star, floor(6.6) = 6 four-or-better.
        let units = (1...11).map { unit(String(100 + $0), total: 95, completion: Double($0)) }
        let outcome = AssessmentScoring.assess(units, rubric: oneItem, asOf: asOf)
        #expect(outcome.fiveStarCap == 2)
        #expect(outcome.fourOrBetterCap == 6)
        #expect(outcome.count(.five) == 2)
        #expect(outcome.count(.four) == 4)
        #expect(outcome.count(.three) == 5)
        // All tie on the total: the higher completion wins, so 111 and 110 keep five stars.
        #expect(outcome.eligible.prefix(2).map(\.code) == ["111", "110"])
        let third = outcome.eligible[2]
        #expect(third.code == "109")
        #expect(third.demotions.map(\.to) == [.four])
        #expect(third.demotions[0].reason.contains("五星级名额 2 个（11 × 20% 向下取整）"))
        // The seventh is over both caps: demoted twice, each recorded.
        #expect(outcome.eligible[6].demotions.map(\.to) == [.four, .three])
    }

    @Test func tiesAtTheBoundaryAreBrokenAsDeclared() {
        // Ten eligible: two five-star places. Three tie at 92.00; completion decides, then on-time, then the code.
        let units = [
            unit("350583", total: 92, completion: 98.5, onTime: 90),
            unit("350582", total: 92, completion: 98.5, onTime: 90),
            unit("350581", total: 92, completion: 98.5, onTime: 80),
            unit("350524", total: 93, completion: 70),
        ] + (1...6).map { unit("3505\(90 + $0)", total: 70, completion: 50) }
        let outcome = AssessmentScoring.assess(units, rubric: oneItem, asOf: asOf)
        #expect(outcome.eligible.prefix(4).map(\.code) == ["350524", "350582", "350583", "350581"])
        #expect(outcome.eligible.filter { $0.grade == .five }.map(\.code) == ["350524", "350582"])
        #expect(outcome.eligible[2].grade == .four)
        #expect(outcome.eligible[3].grade == .four)
        #expect(outcome.demoted.map(\.code) == ["350583", "350581"])
    }

    @Test func ineligibleUnitsTakeNoPlaceAndDoNotWidenTheQuota() {
        var units = (1...5).map { unit("10\($0)", total: 95) }
        units.append(unit("199", total: 99, target: 0))
        var rubric = oneItem
        rubric.eligibility.exclusions = [.init(code: "105", reason: "管委会新设")]
        let outcome = AssessmentScoring.assess(units, rubric: rubric, asOf: asOf)
        #expect(outcome.eligibleCount == 4)
        #expect(outcome.fiveStarCap == 0)
        #expect(outcome.count(.five) == 0)
        #expect(outcome.units.first { $0.code == "199" }?.ineligibleReason == "未分配目标任务（不参与本次建设）")
        #expect(outcome.units.first { $0.code == "105" }?.ineligibleReason == "不参评：管委会新设")
    }

    @Test func aUnitEstablishedLessThanSixMonthsBeforeIsNotAssessed() {
        let rule = AssessmentEligibility()
        #expect(rule.ineligibility(code: "1", target: 5, establishedOn: CalendarDay(iso: "2012-07-01"), asOf: asOf) != nil)
        #expect(rule.ineligibility(code: "1", target: 5, establishedOn: CalendarDay(iso: "2012-06-30"), asOf: asOf) == nil)
        #expect(CalendarDay(iso: "2012-08-31")!.addingMonths(-6) == CalendarDay(iso: "2012-02-29"))
    }

    @Test func belowSixtyIsUnratedAndListedForRectification() {
        let units = [unit("1", total: 59.99), unit("2", total: 60), unit("3", total: 75)]
        let outcome = AssessmentScoring.assess(units, rubric: oneItem, asOf: asOf)
        #expect(outcome.rectification.map(\.code) == ["1"])
        #expect(outcome.units.first { $0.code == "2" }?.grade == .two)
    }

    @Test func measuredAndCheckedLinesAddUpToTheTotal() {
        let rubric = AssessmentRubric.standard
        let units = [
            AssessmentUnit(code: "A", name: "甲县", target: 400, measured: [.completion: 100, .reportsOnTime: 75, .verificationPass: 65, .spotCheckReal: 95],
                           checked: ["i6": CheckedScore(points: AssessmentPoints(points: 9), note: "材料齐全", scoredBy: "考评组"),
                                     "i7": CheckedScore(points: AssessmentPoints(rounding: 8.5), note: "阵地一处待完善", scoredBy: "考评组")]),
            AssessmentUnit(code: "B", name: "乙县", target: 300, measured: [.completion: 80, .reportsOnTime: 100, .verificationPass: 90]),
        ]
        let outcome = AssessmentScoring.assess(units, rubric: rubric, asOf: asOf)
        let a = try! #require(outcome.units.first { $0.code == "A" })
        // 40 + 7.5 + 5 + 7.5 + 5 (first) + 9 + 8.5
        #expect(a.total.description == "82.5")
        let b = try! #require(outcome.units.first { $0.code == "B" })
        // 20 + 15 + 10 + 10 (no spot check: full marks) + 5 (second of two, top 3) + 0 + 0 unscored
        #expect(b.total.description == "60")
        #expect(b.line("i4")?.basis == "无抽查属实率数据，无数据时得满分")
        #expect(outcome.unscored == ["乙县：组织领导与工作机制", "乙县：阵地建设与品牌活动"])
    }

    @Test func badRubricsAreRefusedNamingTheField() {
        var rubric = AssessmentRubric.standard
        rubric.indicators[0].weight = 35
        rubric.indicators[1].curve = .linear(floor: 90, full: 60)
        rubric.quotas = StarQuotas(fiveStarPercent: 70, fourOrBetterPercent: 60)
        let messages = rubric.problems().map(\.message)
        #expect(messages.contains("指标分值合计：各项分值合计应为 100 分，现为 95 分"))
        #expect(messages.contains("第 2 项指标「按时报送情况」计分方式：下限 90% 不低于满分线 60%，请把下限改得比满分线低"))
        #expect(messages.contains("星级名额：五星级比例 70% 不能高于四星级及以上比例 60%"))
        #expect(AssessmentRubric.standard.problems() == [])
    }

    @Test func aCheckedScoreNeedsANoteAndStaysWithinItsWeight() throws {
        let indicator = AssessmentRubric.standard.indicators[5]
        #expect(throws: InvalidInput(field: "「组织领导与工作机制」评分说明", reason: "检查类指标须写明评分依据（看了哪些材料、扣分原因）")) {
            try CheckedScore.validated("8", note: "  ", for: indicator, by: "甲")
        }
        #expect(throws: InvalidInput(field: "「组织领导与工作机制」得分", reason: "应在 0 到 10 分之间（现为 12）")) {
            try CheckedScore.validated("12", note: "好", for: indicator, by: "甲")
        }
        #expect(try CheckedScore.validated("7.25", note: "材料缺一份", for: indicator, by: "甲").points.hundredths == 725)
    }

    @Test func appealAdjustmentRetotalsAndRerates() {
        let units = (1...5).map { unit("10\($0)", total: 85 + Double($0)) }
        let outcome = AssessmentScoring.assess(units, rubric: oneItem, asOf: asOf)
        #expect(outcome.count(.five) == 1)
        let lowest = outcome.units.first { $0.code == "101" }!
        let adjusted = AssessmentScoring.adjusting(lowest, line: "c", to: AssessmentPoints(points: 99), note: "补交材料")
        let again = StarQuotaRating.rate(outcome.units.map { $0.code == "101" ? adjusted : $0 }, rubric: oneItem)
        #expect(again.eligible.first?.code == "101")
        #expect(again.eligible.first?.grade == .five)
        #expect(again.units.first { $0.code == "105" }?.demotions.count == 1)
        #expect(adjusted.line("c")?.adjustedFrom == AssessmentPoints(points: 86))
    }

    /// For any scores: the caps hold, grades never rise above the band, never increase down the
    /// order, and every unit below its band has a recorded demotion per step.
    @Test(arguments: 0..<40)
    func quotaPropertiesHoldForRandomScores(_ seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed + 1))
        let count = Int.random(in: 1...40, using: &generator)
        let units = (0..<count).map { index in
            unit(String(1000 + index), total: Double(Int.random(in: 8000...10000, using: &generator) / 50) / 2,
                 completion: Double(Int.random(in: 0...3, using: &generator)) * 10, onTime: Double(Int.random(in: 0...2, using: &generator)))
        }
        var rubric = oneItem
        rubric.quotas = StarQuotas(fiveStarPercent: Int.random(in: 0...40, using: &generator), fourOrBetterPercent: Int.random(in: 40...100, using: &generator))
        let outcome = AssessmentScoring.assess(units, rubric: rubric, asOf: asOf)
        #expect(outcome.count(.five) <= rubric.quotas.fiveStarPercent * count / 100)
        #expect(outcome.count(.five) + outcome.count(.four) <= rubric.quotas.fourOrBetterPercent * count / 100)
        for (earlier, later) in zip(outcome.eligible, outcome.eligible.dropFirst()) {
            #expect(earlier.grade >= later.grade)
            #expect(earlier.total >= later.total)
        }
        for unit in outcome.eligible {
            #expect(unit.grade <= unit.band)
            let steps = [StarGrade.five, .four, .three, .two, .unrated]
            #expect(unit.demotions.count == steps.firstIndex(of: unit.grade)! - steps.firstIndex(of: unit.band)!)
        }
        // The order is the declared one whatever order the units came in.
        let shuffled = AssessmentScoring.assess(units.shuffled(using: &generator), rubric: rubric, asOf: asOf)
        #expect(shuffled.units.map(\.code) == outcome.units.map(\.code))
    }
}
