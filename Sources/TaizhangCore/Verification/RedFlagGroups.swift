/// The flags that compare records with each other: near-duplicate names in a township, the same
/// name in different townships of a county, one phone behind many organizations.
public enum RedFlagGroups {
    /// `townshipNames` by township path, for the sentences.
    public static func nameFlags(_ records: [RedFlagRecord], townshipNames: [String: String], settings: RedFlagSettings) -> [RedFlag] {
        // Townships and counties as numbers, worked out once per township.
        var townshipIDs: [String: Int] = [:]
        var townshipPaths: [String] = []
        var countyOf: [Int] = []
        var prefixes: [[[UInt32]]] = []
        var countyIDs: [String: Int] = [:]
        var townshipOf: [Int] = []
        var keys: [[UInt32]] = []
        townshipOf.reserveCapacity(records.count)
        keys.reserveCapacity(records.count)
        for record in records {
            let township: Int
            if let known = townshipIDs[record.townshipPath] {
                township = known
            } else {
                township = townshipPaths.count
                townshipIDs[record.townshipPath] = township
                townshipPaths.append(record.townshipPath)
                let county = record.countyPath
                let countyID = countyIDs[county] ?? countyIDs.count
                countyIDs[county] = countyID
                countyOf.append(countyID)
                prefixes.append(townshipNames[record.townshipPath].map(OrganizationNameKey.townshipPrefixes) ?? [])
            }
            townshipOf.append(township)
            keys.append(OrganizationNameKey.scalars(record.name))
        }
        func byCode(_ members: [Int]) -> [Int] { members.sorted { records[$0].code < records[$1].code } }
        func townshipName(_ index: Int) -> String { townshipNames[records[index].townshipPath] ?? records[index].townshipPath }

        // Records with the same key in one township are one entry of the join, and one flag together.
        /// A key in a township or county, hashed once (FNV-1a over the scalars) rather than scalar by scalar.
        struct Place: Hashable {
            var area: Int
            var key: [UInt32]
            var digest: UInt64

            init(area: Int, key: [UInt32]) {
                self.area = area
                self.key = key
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: area)
                for value in key { hash = (hash ^ UInt64(value)) &* 0x100_0000_01b3 }
                digest = hash
            }

            func hash(into hasher: inout Hasher) { hasher.combine(digest) }
            static func == (a: Place, b: Place) -> Bool { a.digest == b.digest && a.area == b.area && a.key == b.key }
        }
        var entryOf: [Place: Int] = [:]
        var entries: [[Int]] = []
        for index in records.indices {
            let place = Place(area: townshipOf[index], key: keys[index])
            if let entry = entryOf[place] { entries[entry].append(index) } else {
                entryOf[place] = entries.count
                entries.append([index])
            }
        }
        entries = entries.map(byCode)
        var flags: [RedFlag] = []
        for members in entries where members.count > 1 {
            let names = members.map { "「\(records[$0].name)」" }.joined()
            flags.append(RedFlag(kind: .nearDuplicateName, codes: members.map { records[$0].code }, townshipPaths: [records[members[0]].townshipPath],
                                 sentence: "\(townshipName(members[0]))有 \(members.count) 个团组织名称去掉空格、全半角差别和“有限公司”“团支部”等后缀后完全相同（「\(OrganizationNameKey.text(keys[members[0]]))」）：\(names)，请核实是否重复录入。"))
        }
        let joinKeys = entries.map { OrganizationNameKey.withoutPrefixes(keys[$0[0]], prefixes[townshipOf[$0[0]]]) }
        let pairs = NameSimilarityJoin.pairs(tokens: joinKeys.map { OrganizationNameKey.bigrams(scalars: $0) },
                                             groups: entries.map { townshipOf[$0[0]] }, threshold: settings.nameSimilarity)
        for pair in pairs {
            let (a, b) = records[entries[pair.first][0]].code < records[entries[pair.second][0]].code ? (pair.first, pair.second) : (pair.second, pair.first)
            let first = records[entries[a][0]], second = records[entries[b][0]]
            flags.append(RedFlag(kind: .nearDuplicateName, codes: (entries[a] + entries[b]).map { records[$0].code }, townshipPaths: [first.townshipPath],
                                 sentence: "\(townshipName(entries[a][0]))的「\(first.name)」与「\(second.name)」名称相近：去掉乡镇名、空格、全半角差别和后缀后为「\(OrganizationNameKey.text(joinKeys[a]))」与「\(OrganizationNameKey.text(joinKeys[b]))」，两字组相似度 \(decimal(pair.similarity))（预警阈值 \(decimal(settings.nameSimilarity))），请核实是否同一单位重复录入。"))
        }
        // The same key in different townships of one county.
        var inCounty: [Place: [Int]] = [:]
        for members in entries {
            inCounty[Place(area: countyOf[townshipOf[members[0]]], key: keys[members[0]]), default: []].append(contentsOf: members)
        }
        for (place, members) in inCounty where Set(members.map { townshipOf[$0] }).count > 1 {
            let sorted = byCode(members)
            let townships = Set(sorted.map { records[$0].townshipPath }).sorted()
            let places = sorted.map { "\(townshipName($0))「\(records[$0].name)」" }.joined(separator: "、")
            flags.append(RedFlag(kind: .duplicateAcrossTownships, codes: sorted.map { records[$0].code }, townshipPaths: townships,
                                 sentence: "同一县内 \(townships.count) 个乡镇录入了规范化后同名（「\(OrganizationNameKey.text(place.key))」）的团组织：\(places)，请核实是否同一单位在多个乡镇重复计数。"))
        }
        return flags
    }

    /// A phone as secretary or acting secretary of at least `sharedPhoneMinimum` organizations.
    public static func phoneFlags(_ records: [RedFlagRecord], townshipNames: [String: String], settings: RedFlagSettings) -> [RedFlag] {
        var byPhone: [String: [Int]] = [:]
        for (index, record) in records.enumerated() {
            let secretary = record.secretaryPhone.flatMap(normalizePhone)
            let acting = record.actingSecretaryPhone.flatMap(normalizePhone)
            if let secretary { byPhone[secretary, default: []].append(index) }
            if let acting, acting != secretary { byPhone[acting, default: []].append(index) }
        }
        var flags: [RedFlag] = []
        for (phone, members) in byPhone where members.count >= max(2, settings.sharedPhoneMinimum) {
            let members = members.sorted { records[$0].code < records[$1].code }
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
        var digits: [UInt8] = []
        digits.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if value >= 0xFF10 && value <= 0xFF19 { value -= 0xFEE0 }
            if value >= 0x30 && value <= 0x39 { digits.append(UInt8(value)) }
        }
        if digits.count == 13, digits[0] == UInt8(ascii: "8"), digits[1] == UInt8(ascii: "6"), digits[2] == UInt8(ascii: "1") { digits.removeFirst(2) }
        return digits.count >= 7 ? String(decoding: digits, as: UTF8.self) : nil
    }

    static func decimal(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
