import Testing
@testable import TaizhangCore

/// The frame of the redraw references: strata 350502 (7 records), 350521 (12), 350524 (4);
/// codes T<stratum><index>, every fifth record (index 0, 5, 10) flagged.
private func referenceFrame() -> [SpotCheckDraw.FrameRecord] {
    [("350502", 7), ("350521", 12), ("350524", 4)].flatMap { stratum, count in
        (0..<count).map { index in
            SpotCheckDraw.FrameRecord(code: "T\(stratum)\(String(index + 10_000).dropFirst())", stratumCode: stratum,
                                      stratumName: "区\(stratum)", flagged: index % 5 == 0)
        }
    }
}

private func generatedFrame(_ size: Int, strata: Int) -> [SpotCheckDraw.FrameRecord] {
    (0..<size).map { index in
        SpotCheckDraw.FrameRecord(code: "C\(100_000 + index * 7919 % size)", stratumCode: "35\(10 + index % strata)",
                                  stratumName: "县\(index % strata)", flagged: index % 11 == 0)
    }
}

@Suite struct SpotCheckDrawTests {
    @Test func sha256MatchesPublishedDigests() {
        // FIPS 180-4 examples and Python's hashlib.sha256 for the longer, multi-block text.
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "台账\n", count: 40)) == "d9b1843c0a0a232bf4e242e336639c411385095a1a6a493dbf3347c3b53f90f0")
        #expect(SpotCheckDraw.frameHash(["c", "a", "b"]) == "ea7fb08b7a2dc4619ffb7c7bb38d95a2047935fa165d71b12efd3852a2e6d0cc")
    }

    /// The expected samples come from scripts/spot-check-redraw.py, an independent Python
    /// implementation of the documented algorithm, run on the same frame written as CSV.
    @Test func drawMatchesTheIndependentRedrawScript() throws {
        let design = SpotCheckDesign(stratification: .county, size: .percent(25, minimum: 2))
        let result = try SpotCheckDraw.draw(frame: referenceFrame(), design: design, seed: SpotCheckSeed(20_261_201))
        #expect(result.frameHash == "d5e15f85e717bbc022b8273da376b3fcd60cdc4bc8cdec1e213c934449323cbf")
        #expect(result.sample.map { "\($0.stratumCode),\($0.position),\($0.code)" } == [
            "350502,1,T3505020002", "350502,2,T3505020001",
            "350521,1,T3505210008", "350521,2,T3505210006", "350521,3,T3505210000",
            "350524,1,T3505240000", "350524,2,T3505240001",
        ])
        #expect(result.strata.map(\.sampleSize) == [2, 3, 2])
        #expect(result.strata.map(\.frameSize) == [7, 12, 4])

        let weighted = SpotCheckDesign(stratification: .county, size: .fixed(3), flaggedFirst: true)
        let flaggedFirst = try SpotCheckDraw.draw(frame: referenceFrame(), design: weighted, seed: SpotCheckSeed(20_261_201))
        #expect(flaggedFirst.sample.map { "\($0.stratumCode),\($0.position),\($0.code)" } == [
            "350502,1,T3505020000", "350502,2,T3505020005", "350502,3,T3505020004",
            "350521,1,T3505210000", "350521,2,T3505210005", "350521,3,T3505210010",
            "350524,1,T3505240000", "350524,2,T3505240003", "350524,3,T3505240002",
        ])
        #expect(flaggedFirst.sample.filter(\.flagged).count == 6)
    }

    @Test func sameSeedAndFrameGiveTheSameSampleWhateverTheFrameOrder() throws {
        let frame = generatedFrame(5_000, strata: 12)
        let design = SpotCheckDesign(stratification: .county, size: .percent(3, minimum: 5))
        let first = try SpotCheckDraw.draw(frame: frame, design: design, seed: SpotCheckSeed(987_654_321))
        let again = try SpotCheckDraw.draw(frame: frame.reversed(), design: design, seed: SpotCheckSeed(987_654_321))
        #expect(first == again)
        #expect(Set(first.sample.map(\.code)).count == first.sample.count)
        #expect(first.sample.count == first.strata.map(\.sampleSize).reduce(0, +))
        let other = try SpotCheckDraw.draw(frame: frame, design: design, seed: SpotCheckSeed(987_654_322))
        #expect(other.frameHash == first.frameHash)
        #expect(other.sample.map(\.code) != first.sample.map(\.code))
    }

    @Test func changingTheFrameChangesItsFingerprint() throws {
        var frame = generatedFrame(300, strata: 3)
        let design = SpotCheckDesign(stratification: .township, size: .fixed(10))
        let before = try SpotCheckDraw.draw(frame: frame, design: design, seed: SpotCheckSeed(7))
        frame.removeLast()
        let after = try SpotCheckDraw.draw(frame: frame, design: design, seed: SpotCheckSeed(7))
        #expect(before.frameHash != after.frameHash)
    }

    @Test func everyRecordOfAStratumIsEquallyLikelyToBeDrawn() throws {
        // 20 records, 5 drawn, 4,000 seeds: each record is expected 1,000 times (sd ≈ 27).
        let frame = (0..<20).map { SpotCheckDraw.FrameRecord(code: "R\($0 + 10)", stratumCode: "1", stratumName: "一") }
        var hits: [String: Int] = [:]
        for seed in 0..<4_000 {
            let result = try SpotCheckDraw.draw(frame: frame, design: .init(stratification: .county, size: .fixed(5)),
                                                seed: SpotCheckSeed(UInt64(seed)))
            for drawn in result.sample { hits[drawn.code, default: 0] += 1 }
        }
        #expect(hits.count == 20)
        #expect(hits.values.allSatisfy { (880...1_120).contains($0) })
    }

    @Test func percentRuleTakesTheMinimumOrTheWholeStratum() throws {
        let design = SpotCheckDesign(stratification: .county, size: .percent(10, minimum: 5))
        #expect(try design.sampleSize(ofStratum: "甲", frameSize: 30) == 5)
        #expect(try design.sampleSize(ofStratum: "甲", frameSize: 3) == 3)
        #expect(try design.sampleSize(ofStratum: "甲", frameSize: 120) == 12)
        #expect(try design.sampleSize(ofStratum: "甲", frameSize: 121) == 13)
    }

    @Test func badDesignsAndSeedsAreRefusedByName() throws {
        let frame = referenceFrame()
        #expect(throws: InvalidInput(field: "每层样本量", reason: "「区350524」只有 4 个团组织，抽不出 5 个；请减少样本量或改用比例")) {
            _ = try SpotCheckDraw.draw(frame: frame, design: .init(stratification: .county, size: .fixed(5)), seed: SpotCheckSeed(1))
        }
        #expect(throws: InvalidInput(field: "抽样比例", reason: "不能为负数（填写了 -5）")) {
            try SpotCheckDesign(stratification: .county, size: .percent(-5, minimum: 1)).validate()
        }
        #expect(throws: InvalidInput(field: "抽样比例", reason: "不能超过 100%（填写了 120%）")) {
            try SpotCheckDesign(stratification: .county, size: .percent(120, minimum: 1)).validate()
        }
        #expect(throws: InvalidInput(field: "每层最少", reason: "不能为负数（填写了 -1）")) {
            try SpotCheckDesign(stratification: .county, size: .percent(5, minimum: -1)).validate()
        }
        #expect(throws: InvalidInput(field: "每层样本量", reason: "应为正整数（填写了 0）")) {
            try SpotCheckDesign(stratification: .county, size: .fixed(0)).validate()
        }
        #expect(throws: InvalidInput(field: "随机种子", reason: "应为 0 到 18446744073709551615 之间的整数（填写了「12ab」）")) {
            _ = try SpotCheckSeed(text: "12ab")
        }
        #expect(throws: InvalidInput.self) { _ = try SpotCheckSeed(text: "-3") }
        #expect(throws: InvalidInput.self) { _ = try SpotCheckSeed(text: "18446744073709551616") }
        #expect(throws: InvalidInput.self) { _ = try SpotCheckSeed(text: "１２３") }
        #expect(try SpotCheckSeed(text: " 18446744073709551615 ").value == .max)
        #expect(throws: InvalidInput(field: "抽样框", reason: "没有符合条件的团组织，无法抽样")) {
            _ = try SpotCheckDraw.draw(frame: [], design: .init(stratification: .county, size: .fixed(1)), seed: SpotCheckSeed(1))
        }
    }
}

@Suite struct SpotCheckStatisticsTests {
    /// References: scipy 1.17.1 `binomtest(x, n).proportion_ci(method="wilson")`, the same
    /// interval as R's `prop.test(x, n, correct = FALSE)$conf.int`.
    @Test func wilsonIntervalsMatchScipy() throws {
        let references: [(Int, Int, Double, Double)] = [
            (45, 50, 0.7863976856252034, 0.9565242350681095),
            (0, 10, 0.0, 0.27753279986288926),
            (10, 10, 0.7224672001371109, 1.0),
            (7, 9, 0.4525889691069889, 0.9367748928821533),
            (1, 1, 0.20654931437723745, 1.0),
            (118, 130, 0.8455752288750985, 0.9464065750740575),
            (3, 40, 0.025836025774588198, 0.19864233524310543),
        ]
        for (x, n, lower, upper) in references {
            let interval = try #require(SpotCheckStatistics.wilson(successes: x, trials: n))
            #expect(abs(interval.lower - lower) < 1e-12, "\(x)/\(n) lower")
            #expect(abs(interval.upper - upper) < 1e-12, "\(x)/\(n) upper")
            #expect(interval.estimate == Double(x) / Double(n))
        }
        #expect(SpotCheckStatistics.wilson(successes: 0, trials: 0) == nil)
    }

    /// By hand: A (N 200, n 20, x 18): 180, variance 200²·0.9·0.9·0.1/19 = 3240/19;
    /// B (N 50, n 10, x 7): 35, variance 50²·0.8·0.7·0.3/9 = 420/9; C checked whole (30 of 30,
    /// 27 real): 27, no variance. Total 242, SE √(3240/19 + 420/9) = 14.7374686583599.
    @Test func stratifiedEstimateMatchesAHandComputation() throws {
        let estimate = try #require(SpotCheckStatistics.stratifiedEstimate([
            .init(frameSize: 200, checked: 20, real: 18),
            .init(frameSize: 50, checked: 10, real: 7),
            .init(frameSize: 30, checked: 30, real: 27),
        ]))
        #expect(abs(estimate.count - 242) < 1e-9)
        let se = try #require(estimate.standardError)
        #expect(abs(se - 14.7374686583599) < 1e-9)
        #expect(abs(try #require(estimate.lower) - 213.11509220632678) < 1e-9)
        #expect(abs(try #require(estimate.upper) - 270.8849077936732) < 1e-9)
        #expect(estimate.coveredFrame == 280)
        #expect(estimate.uncoveredStrata == 0)
    }

    @Test func strataNotYetCheckedAreLeftOutAndSaidSo() throws {
        let estimate = try #require(SpotCheckStatistics.stratifiedEstimate([
            .init(frameSize: 100, checked: 10, real: 10),
            .init(frameSize: 40, checked: 0, real: 0),
        ]))
        #expect(estimate.count == 100)
        #expect(estimate.standardError == 0)
        #expect(estimate.coveredFrame == 100)
        #expect(estimate.uncoveredStrata == 1)
        let single = try #require(SpotCheckStatistics.stratifiedEstimate([.init(frameSize: 9, checked: 1, real: 1)]))
        #expect(single.standardError == nil)
        #expect(SpotCheckStatistics.stratifiedEstimate([.init(frameSize: 5, checked: 0, real: 0)]) == nil)
    }

    @Test func outcomesReadTheirChineseLabels() {
        #expect(SpotCheckOutcome(text: "信息有误") == .wrongDetails)
        #expect(SpotCheckOutcome(text: "not_real") == .notReal)
        #expect(SpotCheckOutcome(text: "存在") == nil)
        #expect(SpotCheckOutcome.allCases.filter(\.isReal) == [.real, .wrongDetails])
        #expect(!SpotCheckOutcome.unverifiable.isChecked)
    }
}
