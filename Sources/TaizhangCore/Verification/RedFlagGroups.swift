/// The flags that compare records with each other: near-duplicate names in a township, the same
/// name in different townships of a county, one phone behind many organizations.
public enum RedFlagGroups {
    /// `townshipNames` by township path, for the sentences.
    public static func nameFlags(_ records: [RedFlagRecord], townshipNames: [String: String], settings: RedFlagSettings) -> [RedFlag] {
        // Records with the same key in one township are one entry of the join, and one flag together.
        var entries: [String: [Int]] = [:]  // township path + "\u{0}" + key → record indexes
        var keys: [String] = []
        keys.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            let key = OrganizationNameKey.normalize(record.name)
            keys.append(key)
            entries[record.townshipPath + "\u{0}" + key, default: []].append(index)
        }
        let groupsSorted = entries.sorted { $0.key < $1.key }
        var flags: [RedFlag] = []
        var townshipIDs: [String: Int] = [:]
        var joinKeys: [String] = []
        var joinGroups: [Int] = []
        for (_, members) in groupsSorted {
            let first = records[members[0]]
            let township = townshipNames[first.townshipPath] ?? first.townshipPath
            if members.count > 1 {
                let names = members.map { "「\(records[$0].name)」" }.joined(separator: "")
                flags.append(RedFlag(kind: .nearDuplicateName, codes: members.map { records[$0].code }, townshipPaths: [first.townshipPath],
                                     sentence: "\(township)有 \(members.count) 个团组织名称去掉空格、全半角差别和“有限公司”“团支部”等后缀后完全相同（「\(keys[members[0]])」）：\(names)，请核实是否重复录入。"))
            }
            let id = townshipIDs[first.townshipPath] ?? townshipIDs.count
            townshipIDs[first.townshipPath] = id
            joinKeys.append(townshipNames[first.townshipPath].map { OrganizationNameKey.withoutTownship(keys[members[0]], township: $0) }
                            ?? keys[members[0]])
            joinGroups.append(id)
        }
        for pair in NameSimilarityJoin.pairs(keys: joinKeys, groups: joinGroups, threshold: settings.nameSimilarity) {
            let a = groupsSorted[pair.first].value, b = groupsSorted[pair.second].value
            let first = records[a[0]], second = records[b[0]]
            let township = townshipNames[first.townshipPath] ?? first.townshipPath
            flags.append(RedFlag(kind: .nearDuplicateName, codes: (a + b).map { records[$0].code }, townshipPaths: [first.townshipPath],
                                 sentence: "\(township)的「\(first.name)」与「\(second.name)」名称相近：去掉乡镇名、空格、全半角差别和后缀后为「\(joinKeys[pair.first])」与「\(joinKeys[pair.second])」，两字组相似度 \(decimal(pair.similarity))（预警阈值 \(decimal(settings.nameSimilarity))），请核实是否同一单位重复录入。"))
        }
        // The same key in different townships of one county.
        var byCounty: [String: [Int]] = [:]
        for (index, record) in records.enumerated() { byCounty[record.countyPath + "\u{0}" + keys[index], default: []].append(index) }
        for (_, members) in byCounty where Set(members.map { records[$0].townshipPath }).count > 1 {
            let townships = Set(members.map { records[$0].townshipPath }).sorted()
            let places = members.map { "\(townshipNames[records[$0].townshipPath] ?? records[$0].townshipPath)「\(records[$0].name)」" }.joined(separator: "、")
            flags.append(RedFlag(kind: .duplicateAcrossTownships, codes: members.map { records[$0].code }, townshipPaths: townships,
                                 sentence: "同一县内 \(townships.count) 个乡镇录入了规范化后同名（「\(keys[members[0]])」）的团组织：\(places)，请核实是否同一单位在多个乡镇重复计数。"))
        }
        return flags
    }

    /// A phone as secretary or acting secretary of at least `sharedPhoneMinimum` organizations.
    public static func phoneFlags(_ records: [RedFlagRecord], townshipNames: [String: String], settings: RedFlagSettings) -> [RedFlag] {
        var byPhone: [String: [Int]] = [:]
        for (index, record) in records.enumerated() {
            let phones = Set([record.secretaryPhone, record.actingSecretaryPhone].compactMap { $0.flatMap(normalizePhone) })
            for phone in phones { byPhone[phone, default: []].append(index) }
        }
        var flags: [RedFlag] = []
        for (phone, members) in byPhone where members.count >= max(2, settings.sharedPhoneMinimum) {
            let shown = members.prefix(10).map { "「\(records[$0].name)」" }.joined()
            let townships = Set(members.map { records[$0].townshipPath })
            let whose = townships.count == 1 ? "\(townshipNames[records[members[0]].townshipPath] ?? "") \(members.count) 个团组织"
                : " \(members.count) 个团组织（分布在 \(townships.count) 个乡镇）"
            flags.append(RedFlag(kind: .sharedPhone, codes: members.map { records[$0].code }, townshipPaths: Array(townships),
                                 sentence: "电话 \(phone) 是\(whose)的书记或代理书记电话（预警阈值 \(settings.sharedPhoneMinimum) 个）：\(shown)\(members.count > 10 ? "等" : "")，请核实是否真有其人、是否代填。"))
        }
        return flags
    }

    /// The digits of a phone number, without a leading +86 or 86 on a mobile number; nil when too short to mean one line.
    public static func normalizePhone(_ text: String) -> String? {
        var digits = String(text.unicodeScalars.compactMap { scalar -> Character? in
            var value = scalar.value
            if (0xFF10...0xFF19).contains(value) { value -= 0xFEE0 }
            return (0x30...0x39).contains(value) ? Character(Unicode.Scalar(value)!) : nil
        })
        if digits.count == 13, digits.hasPrefix("861") { digits.removeFirst(2) }
        return digits.count >= 7 ? digits : nil
    }

    static func decimal(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
