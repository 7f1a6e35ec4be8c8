import Testing
import TaizhangCore

/// Red flags (数据预警) on hand-made records: each rule fires on the case it is for, says why with
/// its numbers, and stays quiet on the near misses.
@Suite struct RedFlagTests {
    let anhai = "35/3505/350582/350582101/"
    let cizao = "35/3505/350582/350582102/"
    let names = ["35/3505/350582/350582101/": "安海镇", "35/3505/350582/350582102/": "磁灶镇"]
    let today = CalendarDay(year: 2012, month: 12, day: 20)!

    func record(_ code: String, _ name: String, township: String? = nil, phone: String? = nil) -> RedFlagRecord {
        RedFlagRecord(code: code, name: name, townshipPath: township ?? anhai, stage: .founded,
                      preparationApprovedOn: CalendarDay(year: 2012, month: 10, day: 20), foundedOn: CalendarDay(year: 2012, month: 11, day: 5),
                      secretaryName: "陈晓", secretaryPhone: phone ?? "139\(code.suffix(8))", memberCount: 5, youthCount: 30)
    }

    @Test func normalizationFoldsWidthSpacesPunctuationAndSuffixes() {
        #expect(OrganizationNameKey.normalize("晋江 宏达鞋业有限责任公司团支部") == "晋江宏达鞋业")
        #expect(OrganizationNameKey.normalize("晋江宏达鞋业有限公司　团支部") == "晋江宏达鞋业")
        #expect(OrganizationNameKey.normalize("ＡＢＣ（晋江）鞋业公司团总支") == "abc晋江鞋业")
        #expect(OrganizationNameKey.normalize("财政所农技站联合团支部") == "财政所农技站")
        // A name that is only a suffix keeps it rather than becoming empty.
        #expect(OrganizationNameKey.normalize("团支部") == "团支部")
    }

    @Test func theTownshipsOwnNameDoesNotMakeItsOrganizationsAlike() {
        #expect(OrganizationNameKey.withoutTownship("安海宏达鞋业", township: "安海镇") == "宏达鞋业")
        #expect(OrganizationNameKey.withoutTownship("安海镇宏达鞋业", township: "安海镇") == "宏达鞋业")
        #expect(OrganizationNameKey.withoutTownship("宏达鞋业", township: "安海镇") == "宏达鞋业")
        let zone = "35/3505/350581/350581400/"
        let records = [
            record("350581400-0001", "石狮高新技术产业开发区业亿中心小学团支部", township: zone),
            record("350581400-0002", "石狮高新技术产业开发区亿中中心小学团支部", township: zone),
        ]
        // With the zone's name the two are 0.88 alike; without it, 业亿中心小学 / 亿中中心小学 share 3 of 5 bigrams.
        #expect(OrganizationNameKey.similarity(records[0].name, records[1].name) > 0.85)
        #expect(RedFlagDetector().flags(records: records, created: [], cutoffs: [], today: today,
                                        townshipNames: [zone: "石狮高新技术产业开发区"]).isEmpty)
    }

    @Test func similarityIsTheDiceOfCharacterBigrams() {
        // 宏达鞋业 has bigrams 宏达 达鞋 鞋业; 宏达鞋业厂 adds 业厂: 2·3 / (3 + 4).
        #expect(abs(OrganizationNameKey.similarity("宏达鞋业", "宏达鞋业厂") - 6.0 / 7.0) < 1e-12)
        // One character changed inside a name of 11 loses two of ten bigrams: 2·8 / 20.
        #expect(abs(OrganizationNameKey.similarity("安海宏达青年志愿者协会团支部", "安海通达青年志愿者协会团支部") - 0.8) < 1e-12)
        #expect(OrganizationNameKey.similarity("宏达鞋业有限公司团支部", "宏达鞋业 团支部") == 1)
    }

    @Test func theJoinFindsWhatComparingEveryPairFinds() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("安海宏达鞋业纺织青年志愿者协会石材陶瓷")
        var keys: [String] = []
        var groups: [Int] = []
        for _ in 0..<400 {
            let length = Int.random(in: 2...9, using: &generator)
            keys.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
            groups.append(Int.random(in: 0..<3, using: &generator))
        }
        for threshold in [0.6, 0.85] {
            let fast = NameSimilarityJoin.pairs(keys: keys, groups: groups, threshold: threshold)
            var slow: [(Int, Int)] = []
            for i in keys.indices {
                for j in keys.indices where i < j && groups[i] == groups[j] {
                    let d = 2 * Double(Set(OrganizationNameKey.bigrams(keys[i])).intersection(OrganizationNameKey.bigrams(keys[j])).count)
                        / Double(OrganizationNameKey.bigrams(keys[i]).count + OrganizationNameKey.bigrams(keys[j]).count)
                    if d >= threshold - 1e-9 { slow.append((i, j)) }
                }
            }
            #expect(fast.map { "\($0.first)-\($0.second)" } == slow.map { "\($0.0)-\($0.1)" })
            #expect(!slow.isEmpty)
        }
    }

    @Test func nearDuplicatesInATownshipAndSameNamesAcrossTownshipsAreFlagged() {
        let records = [
            record("350582101-0001", "安海宏达鞋业有限公司团支部"),
            record("350582101-0002", "安海宏达鞋业有限责任公司 团支部"),
            record("350582101-0003", "安海恒安纺织服装有限公司团支部"),
            record("350582101-0004", "安海恒安纺织服装厂团支部"),
            record("350582101-0005", "安海通达青年志愿者协会团支部"),
            record("350582101-0006", "安海宏达青年志愿者协会团支部"),
            record("350582102-0001", "安海宏达鞋业有限公司团支部", township: cizao),
        ]
        let flags = RedFlagDetector().flags(records: records, created: [], cutoffs: [], today: today, townshipNames: names)
        #expect(flags.map(\.kind) == [.nearDuplicateName, .nearDuplicateName, .duplicateAcrossTownships])
        #expect(flags[0].codes == ["350582101-0001", "350582101-0002"])
        #expect(flags[0].sentence.contains("完全相同（「安海宏达鞋业」）"))
        #expect(flags[1].codes == ["350582101-0003", "350582101-0004"])
        // Without 安海: 恒安纺织服装 / 恒安纺织服装厂, 5 and 6 bigrams, 5 shared → 10/11.
        #expect(flags[1].sentence.contains("为「恒安纺织服装」与「恒安纺织服装厂」，两字组相似度 0.91（预警阈值 0.90）"))
        #expect(flags[2].codes == ["350582101-0001", "350582101-0002", "350582102-0001"])
        #expect(flags[2].townshipPaths == [anhai, cizao])
        #expect(flags[2].sentence.contains("2 个乡镇"))
    }

    @Test func aPhoneBehindManyOrganizationsIsFlaggedFromItsThreshold() {
        let shared = (1...5).map { record("350582101-000\($0)", "安海第\($0)鞋业有限公司团支部", phone: $0 == 3 ? "+86 139-0595-1234" : "13905951234") }
        var four = Array(shared.prefix(4))
        four.append(record("350582101-0009", "安海第9鞋业有限公司团支部"))
        let detector = RedFlagDetector()
        #expect(detector.flags(records: four, created: [], cutoffs: [], today: today, townshipNames: names).isEmpty)
        let flags = detector.flags(records: shared, created: [], cutoffs: [], today: today, townshipNames: names)
        #expect(flags.map(\.kind) == [.sharedPhone])
        #expect(flags[0].codes.count == 5)
        #expect(flags[0].sentence.hasPrefix("电话 13905951234 是安海镇 5 个团组织的书记或代理书记电话（预警阈值 5 个）"))
        var strict = RedFlagSettings()
        strict.sharedPhoneMinimum = 4
        #expect(RedFlagDetector(settings: strict).flags(records: four, created: [], cutoffs: [], today: today, townshipNames: names).count == 1)
    }

    @Test func aBurstBeforeACutoffIsMeasuredAgainstTheTownshipsOwnBaseline() {
        let deadline = CalendarDay(year: 2012, month: 12, day: 15)!
        var created: [CreatedRecord] = []
        var number = 0
        func add(_ township: String, on day: CalendarDay, _ count: Int) {
            for _ in 0..<count {
                number += 1
                created.append(CreatedRecord(code: "x-\(number)", townshipPath: township, createdOn: day))
            }
        }
        // Both townships enter 2 a day for 28 days before the window (56: 6 expected in 3 days).
        for offset in 3..<31 {
            add(anhai, on: deadline.adding(days: -offset), 2)
            add(cizao, on: deadline.adding(days: -offset), 2)
        }
        add(anhai, on: deadline.adding(days: -1), 24)  // 24 ≥ 4 × 6
        add(cizao, on: deadline, 23)                    // 23 < 24
        let cutoffs = [RedFlagCutoff(day: deadline, label: "活动截止日")] + RedFlagCutoff.halfMonthEnds(from: deadline.adding(days: -40), through: today)
        let flags = RedFlagDetector().flags(records: [], created: created, cutoffs: cutoffs, today: today, townshipNames: names)
        #expect(flags.map(\.kind) == [.lateBurst])
        #expect(flags[0].codes.count == 24)
        #expect(flags[0].townshipPaths == [anhai])
        #expect(flags[0].sentence == "安海镇在活动截止日 2012-12-15 前 3 天（2012-12-13 至 2012-12-15）新录入 24 个团组织；此前 28 天（2012-11-15 至 2012-12-12）共录入 56 个，日均 2.00 个，按此 3 天应约 6.00 个，实为其 4.00 倍（预警条件：不少于 10 个，且不少于平常的 4.00 倍）。请核实是否突击录入。")
        // The identity is the township and the cut-off, not the records: one more late record keeps it.
        add(anhai, on: deadline, 1)
        let again = RedFlagDetector().flags(records: [], created: created, cutoffs: cutoffs, today: today, townshipNames: names)
        #expect(again.map(\.id) == flags.map(\.id))
        // Cut-offs after today do not count yet.
        #expect(RedFlagDetector().flags(records: [], created: created, cutoffs: cutoffs, today: deadline.adding(days: -1), townshipNames: names).isEmpty)
        #expect(RedFlagCutoff.halfMonthEnds(from: CalendarDay(year: 2012, month: 11, day: 16)!, through: deadline).map(\.day.description)
                == ["2012-11-30", "2012-12-15"])
    }

    @Test func recordChecksNameTheNumbers() {
        var thin = record("350582101-0001", "安海宏达鞋业有限公司团支部")
        thin.memberCount = 2
        thin.youthCount = 1
        var dates = record("350582101-0002", "安海恒安鞋业有限公司团支部")
        dates.preparationApprovedOn = CalendarDay(year: 2012, month: 11, day: 10)
        dates.foundedOn = CalendarDay(year: 2012, month: 11, day: 5)
        var future = record("350582101-0003", "安海华泰鞋业有限公司团支部")
        future.stage = .preparing
        future.foundedOn = CalendarDay(year: 2012, month: 12, day: 25)
        var noSecretary = record("350582101-0004", "安海金源鞋业有限公司团支部")
        noSecretary.secretaryName = " "
        var ended = thin
        ended.code = "350582101-0005"
        ended.name = "安海已撤销团支部"
        ended.stage = .dissolved
        var branch = record("350582101-0006", "安海工业园区团工委")
        branch.orgType = "团工委"
        branch.memberCount = 3
        let flags = RedFlagDetector().flags(records: [thin, dates, future, noSecretary, ended, branch], created: [], cutoffs: [], today: today,
                                            townshipNames: names)
        #expect(flags.map(\.kind) == [.tooFewMembers, .fewerYouthThanMembers, .datesOutOfOrder, .datesOutOfOrder, .foundedWithoutSecretary])
        #expect(flags[0].sentence == "「安海宏达鞋业有限公司团支部」是团支部，团员数 2 人，少于团支部至少应有的 3 人。")
        #expect(flags[1].sentence == "「安海宏达鞋业有限公司团支部」青年数 1 人少于团员数 2 人（团员都是青年，青年数应不少于团员数）。")
        #expect(flags[2].sentence == "「安海恒安鞋业有限公司团支部」成立日期 2012-11-05 早于筹建批复日期 2012-11-10。")
        #expect(flags[3].sentence == "「安海华泰鞋业有限公司团支部」成立日期 2012-12-25 晚于今天（2012-12-20）；建设阶段为「筹建」，却填了成立日期 2012-12-25。")
        #expect(flags[4].codes == ["350582101-0004"])
    }

    @Test func anIdentityDependsOnKindAndTheSortedCodesOnly() {
        let a = RedFlag(kind: .sharedPhone, codes: ["b", "a"], townshipPaths: [anhai], sentence: "一")
        let b = RedFlag(kind: .sharedPhone, codes: ["a", "b"], townshipPaths: [cizao], sentence: "二")
        let c = RedFlag(kind: .nearDuplicateName, codes: ["a", "b"], townshipPaths: [anhai], sentence: "一")
        #expect(a.id == b.id)
        #expect(a.id != c.id)
        #expect(a.id.count == 32)
    }

    @Test func settingsFollowTheSaveTimeBranchMinimum() {
        #expect(RedFlagSettings(checks: OrganizationChecks(minimumBranchMembers: 5)).minimumMembers["团支部"] == 5)
        #expect(RedFlagSettings(checks: OrganizationChecks(minimumBranchMembers: 0)).minimumMembers["团支部"] == nil)
    }
}
