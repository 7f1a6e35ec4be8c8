import Testing
import TaizhangCore

/// The comparisons across townships from kept keys (`RedFlagCrossKeys`) give exactly the flags of
/// comparing every record: random ledgers over three counties with few names and few phones, so
/// that names repeat inside and across townships and phones are written several ways.
@Suite struct RedFlagCrossKeysTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func keysGiveTheFlagsOfComparingEveryRecord(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let words = ["宏达", "鑫龙", "恒安", "安踏", "华侨", "青年", "志愿者", "鞋业", "陶瓷"]
        let suffixes = ["有限公司团支部", "有限责任公司 团支部", "团支部", "", "（晋江）团总支"]
        let phones = ["13800138000", "+86 138 0013 8000", "８６１３８００１３８０００", "0595-8512 3456", "05958512345",
                      "1390595000", "12345678901234567890", "1234567890123456789 0", nil, nil]
        var townships: [String: String] = [:]
        var byTownship: [[RedFlagRecord]] = []
        for county in 1...3 {
            for township in 1...4 {
                let path = "35/3505/35050\(county)/35050\(county)10\(township)/"
                townships[path] = "第\(county)县第\(township)镇"
                let count = Int.random(in: 0...12, using: &random)
                byTownship.append((0..<count).map { serial in
                    let name = (0..<2).map { _ in words.randomElement(using: &random)! }.joined() + suffixes.randomElement(using: &random)!
                    let secretary = phones.randomElement(using: &random)!
                    let acting = Bool.random(using: &random) ? secretary : phones.randomElement(using: &random)!
                    return RedFlagRecord(code: "35050\(county)10\(township)-\(1000 + serial)", name: name, townshipPath: path, stage: .founded,
                                         secretaryName: "陈晓", secretaryPhone: secretary, actingSecretaryPhone: acting, memberCount: 5, youthCount: 9)
                })
            }
        }
        for threshold in [2, 3, 5] {
            let detector = RedFlagDetector(settings: RedFlagSettings(sharedPhoneMinimum: threshold))
            let whole = RedFlagDetector.sorted(detector.crossTownshipFlags(records: byTownship.flatMap { $0 }, townshipNames: townships))
            let kept = RedFlagDetector.sorted(detector.crossTownshipFlags(townships: byTownship.map { ($0, RedFlagCrossKeys($0)) },
                                                                          townshipNames: townships))
            #expect(kept == whole, "seed \(seed), threshold \(threshold)")
            #expect(!whole.isEmpty, "seed \(seed), threshold \(threshold): the ledger should raise some flags across townships")
        }
    }
}
