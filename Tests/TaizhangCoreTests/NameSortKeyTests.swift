import TaizhangCore
import Testing

@Suite struct NameSortKeyTests {
    @Test func chineseNamesSortByTheirReading() {
        let expected = ["阿里巴巴团支部", "安海镇团委", "安海镇第2团支部", "陈埭镇团委", "蔡厝商会团支部", "李四团支部", "吕厝村团支部",
                        "卢厝村团支部", "王五团支部", "张三团支部"].sorted { NameSortKey.of($0) < NameSortKey.of($1) }
        #expect(expected == ["阿里巴巴团支部", "安海镇第2团支部", "安海镇团委", "蔡厝商会团支部", "陈埭镇团委", "李四团支部", "卢厝村团支部",
                             "吕厝村团支部", "王五团支部", "张三团支部"])
    }

    @Test func readingsCarryTheToneAndEndTheSyllable() {
        #expect(NameSortKey.of("安海") == "an1hai3")
        #expect(NameSortKey.of("阿") < NameSortKey.of("安"))     // a1 < an1
        #expect(NameSortKey.of("妈") < NameSortKey.of("马"))     // ma1 < ma3
        #expect(NameSortKey.of("绿") == "lv4")
    }

    @Test func otherLettersIgnoreCaseAndWidth() {
        // Filed among the readings: ABC under a, after 阿 (a1), before 安 (an1).
        #expect(NameSortKey.of("阿里") < NameSortKey.of("ABC") && NameSortKey.of("ABC") < NameSortKey.of("安平"))
        #expect(NameSortKey.of("ＡＢＣ公司") == NameSortKey.of("abc公司"))
        #expect(NameSortKey.of("ABC公司") == "abcgong1si1")
        // The same name always gives the same key (the readings are cached).
        #expect(NameSortKey.of("泉州市青年志愿者协会团支部") == NameSortKey.of("泉州市青年志愿者协会团支部"))
    }
}
