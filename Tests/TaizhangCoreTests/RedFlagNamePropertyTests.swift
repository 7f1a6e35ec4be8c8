import Testing
import TaizhangCore

/// The fast name join and name flags against the plainest possible reference: compare every pair,
/// group with dictionaries of strings. Random names from a small alphabet, so that many are alike,
/// with the width, space, suffix and township-name variants the normalization folds.
@Suite struct RedFlagNamePropertyTests {
    static let alphabet = Array("安海宏达鞋业纺织青年志愿者协会石材陶瓷第一二三0123")

    static func randomName(_ generator: inout SeededGenerator, township: String) -> String {
        let length = Int.random(in: 1...12, using: &generator)
        var name = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: name = township + name
        case 1: name = String(township.dropLast()) + name
        case 2: name += ["有限公司", "有限责任公司", " 团支部", "（晋江）", "ＡＢ"].randomElement(using: &generator)!
        default: break
        }
        return name + ["团支部", "团总支", "", "联合团支部"].randomElement(using: &generator)!
    }

    static func bruteForceDice(_ a: String, _ b: String) -> Double {
        let x = Set(OrganizationNameKey.bigrams(a)), y = Set(OrganizationNameKey.bigrams(b))
        guard !x.isEmpty || !y.isEmpty else { return 1 }
        return 2 * Double(x.intersection(y).count) / Double(x.count + y.count)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func theJoinFindsExactlyWhatComparingEveryPairFinds(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        var keys: [String] = []
        var groups: [Int] = []
        for _ in 0..<600 {
            let key = OrganizationNameKey.normalize(Self.randomName(&generator, township: "安海镇"))
            let group = Int.random(in: 0..<4, using: &generator)
            // Each group's keys distinct, as the flags give them.
            if !zip(keys, groups).contains(where: { $0 == (key, group) }) {
                keys.append(key)
                groups.append(group)
            }
        }
        for threshold in [0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0] {
            let fast = NameSimilarityJoin.pairs(keys: keys, groups: groups, threshold: threshold)
            var slow: [String] = []
            for i in keys.indices {
                for j in keys.indices where i < j && groups[i] == groups[j] && Self.bruteForceDice(keys[i], keys[j]) >= threshold - 1e-9 {
                    slow.append("\(i)-\(j)")
                }
            }
            #expect(fast.map { "\($0.first)-\($0.second)" } == slow, "threshold \(threshold)")
            for pair in fast { #expect(abs(pair.similarity - Self.bruteForceDice(keys[pair.first], keys[pair.second])) < 1e-12) }
        }
    }

    @Test(arguments: [11, 12, 13, 14])
    func nameFlagsAreWhatGroupingAndComparingEveryPairGives(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let townships = ["35/3505/350582/350582101/": "安海镇", "35/3505/350582/350582102/": "磁灶镇",
                         "35/3505/350583/350583101/": "溪美街道", "35/3505/350583/350583102/": "柳城街道"]
        let paths = townships.keys.sorted()
        var records: [RedFlagRecord] = []
        for index in 0..<500 {
            let path = paths.randomElement(using: &generator)!
            let name = index > 0 && Int.random(in: 0..<5, using: &generator) == 0
                ? records.randomElement(using: &generator)!.name + " " : Self.randomName(&generator, township: townships[path]!)
            records.append(RedFlagRecord(code: "R\(1000 + index)", name: name, townshipPath: path))
        }
        let settings = RedFlagSettings()
        let fast = Set(RedFlagGroups.nameFlags(records.shuffled(using: &generator), townshipNames: townships, settings: settings)
            .map { "\($0.kind.rawValue) \($0.codes.joined(separator: ",")) \($0.townshipPaths.joined(separator: ","))" })

        var expected: Set<String> = []
        func add(_ kind: RedFlagKind, _ members: [RedFlagRecord]) {
            expected.insert("\(kind.rawValue) \(members.map(\.code).sorted().joined(separator: ",")) \(Set(members.map(\.townshipPath)).sorted().joined(separator: ","))")
        }
        let byKey = Dictionary(grouping: records) { "\($0.townshipPath)|\(OrganizationNameKey.normalize($0.name))" }
        for members in byKey.values where members.count > 1 { add(.nearDuplicateName, members) }
        let entries = Array(byKey.values)
        for i in entries.indices {
            for j in entries.indices where i < j && entries[i][0].townshipPath == entries[j][0].townshipPath {
                let township = townships[entries[i][0].townshipPath]!
                let a = OrganizationNameKey.withoutTownship(OrganizationNameKey.normalize(entries[i][0].name), township: township)
                let b = OrganizationNameKey.withoutTownship(OrganizationNameKey.normalize(entries[j][0].name), township: township)
                if Self.bruteForceDice(a, b) >= settings.nameSimilarity - 1e-9 { add(.nearDuplicateName, entries[i] + entries[j]) }
            }
        }
        let byCountyKey = Dictionary(grouping: records) { "\($0.countyPath)|\(OrganizationNameKey.normalize($0.name))" }
        for members in byCountyKey.values where Set(members.map(\.townshipPath)).count > 1 { add(.duplicateAcrossTownships, members) }

        #expect(fast == expected)
        #expect(expected.contains { $0.hasPrefix(RedFlagKind.duplicateAcrossTownships.rawValue) })
        #expect(expected.count > 20)
    }

    @Test func phoneFlagsGroupEveryWayOfWritingOneNumber() {
        let anhai = "35/3505/350582/350582101/"
        let writings = ["13905951234", "+86 139-0595-1234", "８６１３９０５９５１２３４", "139 0595 1234"]
        var records = writings.enumerated().map { RedFlagRecord(code: "A\($0.offset)", name: "甲\($0.offset)", townshipPath: anhai, secretaryPhone: $0.element) }
        // A landline keeps its leading zero: 0595… and 595… are different lines.
        records += (0..<4).map { RedFlagRecord(code: "B\($0)", name: "乙\($0)", townshipPath: anhai, secretaryPhone: $0 < 2 ? "0595-8888123" : "595-8888123") }
        // A number too long to pack (18 digits) still groups by its digits.
        records += (0..<4).map { RedFlagRecord(code: "C\($0)", name: "丙\($0)", townshipPath: anhai, secretaryPhone: "1234-5678-9012-3456-78", actingSecretaryPhone: "123456789012345678") }
        var settings = RedFlagSettings()
        settings.sharedPhoneMinimum = 3
        let flags = RedFlagGroups.phoneFlags(records, townshipNames: [anhai: "安海镇"], settings: settings).sorted { $0.codes[0] < $1.codes[0] }
        #expect(flags.map(\.codes) == [["A0", "A1", "A2", "A3"], ["C0", "C1", "C2", "C3"]])
        #expect(flags[0].sentence.hasPrefix("电话 13905951234 是安海镇 4 个团组织"))
        #expect(flags[1].sentence.hasPrefix("电话 123456789012345678 是"))
        settings.sharedPhoneMinimum = 2
        let pairs = RedFlagGroups.phoneFlags(records, townshipNames: [anhai: "安海镇"], settings: settings).map(\.sentence).filter { $0.contains("595") && !$0.contains("139") }
        #expect(pairs.count == 2)
        #expect(pairs.contains { $0.hasPrefix("电话 05958888123 ") } && pairs.contains { $0.hasPrefix("电话 5958888123 ") })
    }
}
