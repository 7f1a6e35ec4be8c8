@testable import TaizhangStore
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
}
