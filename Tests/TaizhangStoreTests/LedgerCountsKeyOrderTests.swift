@testable import TaizhangStore
import TaizhangCore
import Testing

/// The running counts are written in key order: column by column, each column by its bytes.
@Suite struct LedgerCountsKeyOrderTests {
    static let values = ["", "350502", "350502001", "已建立", "已建", "机关", "非公企业", "e\u{301}", "\u{e9}"]

    @Test func mixKeysSortColumnByColumnByTheirBytes() {
        var keys: [LedgerCounts.MixKey] = []
        for division in Self.values.prefix(4) {
            for stage in Self.values.suffix(5) {
                for category in ["机关", "机关事业单位", "e\u{301}", "\u{e9}"] {
                    keys.append(.init(division: division, stage: stage, guidance: "direct", unitCategory: category, buildMode: "独建", review: "none"))
                }
            }
        }
        let expected = keys.sorted { a, b in
            let columns = [(a.division, b.division), (a.stage, b.stage), (a.unitCategory, b.unitCategory)]
            for (x, y) in columns where Array(x.utf8) != Array(y.utf8) { return x.utf8.lexicographicallyPrecedes(y.utf8) }
            return false
        }
        // As bytes: `==` on the keys would take "e\u{301}" and "\u{e9}" for the same text.
        let bytes = { (key: LedgerCounts.MixKey) in [key.division, key.stage, key.unitCategory].map { Array($0.utf8) } }
        #expect(keys.shuffled().sorted { $0.precedes($1) }.map(bytes) == expected.map(bytes))
        #expect(!keys[0].precedes(keys[0]))
    }

    @Test func dailyKeysSortColumnByColumnByTheirBytes() {
        let keys = Self.values.flatMap { division in
            ["2012-12-01", "2012-12-15", ""].map { day in
                LedgerCounts.DailyKey(division: division, stage: "founded", guidance: "direct", foundedOn: day, review: "none")
            }
        }
        let expected = keys.sorted { a, b in
            if Array(a.division.utf8) != Array(b.division.utf8) { return a.division.utf8.lexicographicallyPrecedes(b.division.utf8) }
            return a.foundedOn.utf8.lexicographicallyPrecedes(b.foundedOn.utf8)
        }
        let bytes = { (key: LedgerCounts.DailyKey) in [key.division, key.foundedOn].map { Array($0.utf8) } }
        #expect(keys.reversed().sorted { $0.precedes($1) }.map(bytes) == expected.map(bytes))
    }

    /// A tally's changes at every level, in the order they are written: the same as adding each
    /// change into every division on its path and sorting the keys, as the counts were written before.
    @Test func aTallyRollsUpIntoEveryDivisionInKeyOrder() throws {
        let paths = ["35/3505/350582/350582100/", "35/3505/350582/350582101/", "35/3505/350503/350503001/", "44/4401/440103/440103001/"]
        let categories = ["非公企业", "机关", "e\u{301}x", "学校"]
        let days = try ["2012-12-01", "2012-12-15"].map { try #require(CalendarDay(iso: $0)) } + [nil]
        var generator = SystemRandomNumberGenerator()
        var tally = LedgerCounts.Tally()
        var expectedMix: [LedgerCounts.MixKey: Int] = [:]
        var expectedDaily: [LedgerCounts.DailyKey: Int] = [:]
        for step in 0..<2_000 {
            let path = paths.randomElement(using: &generator)!
            let stage: Stage = [.founded, .preparing, .youthGroup].randomElement(using: &generator)!
            let guidance = GuidanceKind.allCases.randomElement(using: &generator)!
            let day = days.randomElement(using: &generator)!
            let category = categories.randomElement(using: &generator)!
            let review = CountedReview.allCases.randomElement(using: &generator)!
            // Every third change takes one away, so some keys come to nothing and are left out.
            let count = step % 3 == 2 ? -1 : 1
            tally.add(path: path, stage: stage, guidance: guidance, foundedOn: day, unitCategory: category, buildMode: "独建",
                      review: review, count: count)
            for code in DivisionPath.codes(in: path) {
                expectedMix[.init(division: code, stage: stage.rawValue, guidance: guidance.rawValue, unitCategory: category,
                                  buildMode: "独建", review: review.rawValue), default: 0] += count
                expectedDaily[.init(division: code, stage: stage.rawValue, guidance: guidance.rawValue,
                                    foundedOn: stage == .founded ? day?.description ?? "" : "", review: review.rawValue), default: 0] += count
            }
        }
        let changes = tally.inKeyOrder
        let mix = expectedMix.filter { $0.value != 0 }.sorted { $0.key.precedes($1.key) }
        let daily = expectedDaily.filter { $0.value != 0 }.sorted { $0.key.precedes($1.key) }
        #expect(changes.mix.count == mix.count)
        #expect(changes.mix.map(\.key) == mix.map(\.key))
        #expect(changes.mix.map(\.count) == mix.map(\.value))
        #expect(changes.daily.map(\.key) == daily.map(\.key))
        #expect(changes.daily.map(\.count) == daily.map(\.value))
        #expect(changes.mix.contains { $0.count < 0 } && changes.mix.contains { $0.key.division == "35" })
    }
}
