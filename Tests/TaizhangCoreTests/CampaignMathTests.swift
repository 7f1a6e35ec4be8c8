import Testing
@testable import TaizhangCore

private func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

@Suite struct TargetAllocationTests {
    @Test func largestRemainderAlwaysAddsUpAndHonoursFloors() throws {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...40, using: &random)
            let floor = Int.random(in: 0...5, using: &random)
            let children = (0..<count).map { index in
                TargetAllocation.Child(code: "c\(index)", weight: Int.random(in: 0..<4, using: &random) == 0 ? 0 : Double.random(in: 0...100, using: &random),
                                       floor: floor)
            }
            let total = floor * count + Int.random(in: 0...10_000, using: &random)
            let shares = try TargetAllocation.largestRemainder(total: total, children: children)
            #expect(shares.reduce(0, +) == total)
            #expect(shares.allSatisfy { $0 >= floor })
            // No share is more than one unit away from its exact quota.
            let weightSum = children.reduce(0) { $0 + $1.weight }
            if weightSum > 0 {
                for (share, child) in zip(shares, children) {
                    let quota = Double(total - floor * count) * child.weight / weightSum + Double(floor)
                    #expect(abs(Double(share) - quota) < 1.000001)
                }
            }
        }
    }

    @Test func equalSplitGivesTheRemainderToTheFirst() throws {
        let children = (1...3).map { TargetAllocation.Child(code: "c\($0)", weight: 1) }
        #expect(try TargetAllocation.largestRemainder(total: 10, children: children) == [4, 3, 3])
        #expect(try TargetAllocation.largestRemainder(total: 0, children: children) == [0, 0, 0])
    }

    @Test func badWeightsAndFloorsAreRefusedByName() {
        #expect(throws: InvalidInput.self) {
            _ = try TargetAllocation.largestRemainder(total: 10, children: [.init(code: "晋江", weight: -1)])
        }
        #expect(throws: InvalidInput.self) {
            _ = try TargetAllocation.largestRemainder(total: 10, children: [.init(code: "a", weight: .nan)])
        }
        let floors = #expect(throws: InvalidInput.self) {
            _ = try TargetAllocation.largestRemainder(total: 30, children: [.init(code: "a", weight: 1, floor: 20), .init(code: "b", weight: 1, floor: 20)])
        }
        #expect(floors?.message == "保底数：保底合计 40 超过了要分配的指标 30")
        #expect(throws: InvalidInput.self) { try WeightRule(perCommitteeMember: -2).validate() }
        #expect(throws: InvalidInput.self) { try TargetAllocation.checkManual(total: 10, shares: [("a", 4), ("b", 5)]) }
        #expect(throws: Never.self) { try TargetAllocation.checkManual(total: 10, shares: [("a", 4), ("b", 6)]) }
    }

    @Test func weightsFollowTheRule() {
        let rule = WeightRule(base: 1, perCommitteeMember: 2, perThousandYouth: 1, countySeat: 10, smallTown: 5, developed: 5)
        #expect(rule.weight(tags: [.countySeat], committeeMembers: 3, youthPopulation: 4_000) == 1 + 6 + 4 + 10)
        #expect(rule.weight(tags: [], committeeMembers: 0, youthPopulation: nil) == 1)
    }
}

@Suite struct AreaProgressTests {
    let start = day("2012-10-15")
    let deadline = day("2012-12-15")

    @Test func figuresFromADailySeries() {
        // 10 a day from 10-15 to 11-30 (47 days).
        var daily: [CalendarDay: Int] = [:]
        var d = start
        while d <= day("2012-11-30") { daily[d] = 10; d = d.adding(days: 1) }
        let p = AreaProgress(target: 1000, baseline: 0, daily: daily, start: start, deadline: deadline, asOf: day("2012-11-30"))
        #expect(p.counted == 470)
        #expect(p.newToday == 10)
        #expect(p.newThisWeek == 50)  // 2012-11-26 is a Monday; Mon–Fri
        #expect(p.lastSevenDays == 70)
        #expect(p.remaining == 530)
        #expect(p.neededPerDay == 530.0 / 15)
        #expect(p.actualPerDay == 10)
        #expect(p.projectedCompletion == day("2012-12-30").adding(days: 23))
        #expect(p.isBehindPace)
        #expect(!p.isStalled)
        // The straight line: 47 of 62 days.
        #expect(p.expected == Int((1000.0 * 47 / 62).rounded()))
    }

    @Test func doneStalledAndPastTheDeadline() {
        let done = AreaProgress(target: 5, baseline: 0, daily: [day("2012-11-01"): 6], start: start, deadline: deadline, asOf: day("2012-12-01"))
        #expect(done.isComplete && !done.isBehindPace && done.projectedCompletion == nil && done.remaining == 0)
        let stalled = AreaProgress(target: 50, baseline: 0, daily: [day("2012-11-01"): 6], start: start, deadline: deadline, asOf: day("2012-12-01"))
        #expect(stalled.isStalled && stalled.isBehindPace && stalled.projectedCompletion == nil)
        let late = AreaProgress(target: 50, baseline: 0, daily: [day("2012-12-15"): 6], start: start, deadline: deadline, asOf: day("2012-12-20"))
        #expect(late.neededPerDay == nil)
        #expect(late.counted == 6)
        let ignoresFuture = AreaProgress(target: 50, baseline: 3, daily: [day("2012-12-15"): 6], start: start, deadline: deadline, asOf: day("2012-12-01"))
        #expect(ignoresFuture.counted == 3)
    }

    @Test func calendarArithmeticRoundTrips() {
        var d = day("1999-12-25")
        for _ in 0..<1_000 {
            #expect(CalendarDay(dayNumber: d.dayNumber) == d)
            #expect(d.adding(days: 1).dayNumber == d.dayNumber + 1)
            d = d.adding(days: 3)
        }
        #expect(day("2012-11-26").weekdayFromMonday == 0)
        #expect(day("2012-12-02").weekdayFromMonday == 6)
        #expect(day("2012-02-28").adding(days: 1) == day("2012-02-29"))
        #expect(day("2100-02-28").adding(days: 1) == day("2100-03-01"))
        #expect(day("2012-12-31").adding(days: 1) == day("2013-01-01"))
        #expect(day("2012-10-15").days(until: day("2012-12-15")) == 61)
    }

    @Test func countingRuleMatchesTheCampaignDefinition() {
        var fields = OrganizationFields(name: "x", townshipCode: "t", orgType: "团支部", unitCategory: "学校", buildMode: "单独建团", stage: .founded,
                                        foundedOn: day("2012-10-20"))
        let rule = CountingRule()
        #expect(rule.counts(fields, on: day("2012-10-20"), start: start))
        #expect(!rule.counts(fields, on: day("2012-10-19"), start: start))
        fields.guidance = .guidedOnly
        #expect(!rule.counts(fields, on: deadline, start: start))
        #expect(CountingRule(newOnly: false).counts(fields, on: deadline, start: start))
        fields.foundedOn = day("2012-09-01")
        #expect(!CountingRule(newOnly: false).counts(fields, on: deadline, start: start))
        #expect(CountingRule(newOnly: false, withinWindow: false).counts(fields, on: deadline, start: start))
        fields.stage = .preparing
        #expect(!CountingRule(newOnly: false, withinWindow: false).counts(fields, on: deadline, start: start))
    }
}
