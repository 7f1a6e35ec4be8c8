extension RedFlagGroups {
    /// Near-duplicate names in a township, and the same name in different townships of one county.
    /// `townshipNames` by township path, for the sentences.
    ///
    /// Works on numbers and flat buffers: every name is normalized once into one buffer and hashed
    /// once; records with the same key in a township are found by sorting (township, hash, key),
    /// and the same key across a county's townships by sorting those entries again by county.
    public static func nameFlags(_ records: [RedFlagRecord], townshipNames: [String: String], settings: RedFlagSettings) -> [RedFlag] {
        let keys = NameKeys(records, townshipNames: townshipNames)
        let entries = keys.sameKeyEntries(records)
        return townshipNameFlags(records, keys, entries, townshipNames: townshipNames, settings: settings)
            + countyDuplicateFlags(records, keys, entries, townshipNames: townshipNames)
    }

    /// Only the names inside each township (the same key, or near-duplicates): what one township's records alone decide.
    public static func townshipNameFlags(_ records: [RedFlagRecord], townshipNames: [String: String], settings: RedFlagSettings) -> [RedFlag] {
        let keys = NameKeys(records, townshipNames: townshipNames)
        return townshipNameFlags(records, keys, keys.sameKeyEntries(records), townshipNames: townshipNames, settings: settings)
    }

    /// Only the same name in different townships of one county.
    public static func countyDuplicateFlags(_ records: [RedFlagRecord], townshipNames: [String: String]) -> [RedFlag] {
        let keys = NameKeys(records, townshipNames: townshipNames)
        return countyDuplicateFlags(records, keys, keys.sameKeyEntries(records), townshipNames: townshipNames)
    }

    private static func townshipNameFlags(_ records: [RedFlagRecord], _ keys: NameKeys, _ entries: [[Int]], townshipNames: [String: String],
                                          settings: RedFlagSettings) -> [RedFlag] {
        func townshipName(_ index: Int) -> String { townshipNames[records[index].townshipPath] ?? records[index].townshipPath }
        var flags: [RedFlag] = []
        for members in entries where members.count > 1 {
            let names = members.map { "「\(records[$0].name)」" }.joined()
            flags.append(RedFlag(kind: .nearDuplicateName, codes: members.map { records[$0].code }, townshipPaths: [records[members[0]].townshipPath],
                                 sentence: "\(townshipName(members[0]))有 \(members.count) 个团组织名称去掉空格、全半角差别和“有限公司”“团支部”等后缀后完全相同（「\(OrganizationNameKey.text(Array(keys.key(members[0]))))」）：\(names)，请核实是否重复录入。"))
        }

        // Near-duplicates: the join over each entry's key without the township's name in front.
        var lists = NameSimilarityJoin.TokenLists()
        var joinKeys: [ArraySlice<UInt32>] = []
        joinKeys.reserveCapacity(entries.count)
        for members in entries {
            let key = keys.key(members[0])
            let joinKey = key.dropFirst(OrganizationNameKey.prefixLength(key, keys.prefixes[Int(keys.townshipOf[members[0]])]))
            joinKeys.append(joinKey)
            lists.appendBigrams(of: joinKey)
        }
        let pairs = NameSimilarityJoin.pairs(lists, groups: entries.map { Int(keys.townshipOf[$0[0]]) }, threshold: settings.nameSimilarity)
        for pair in pairs {
            let (a, b) = records[entries[pair.first][0]].code < records[entries[pair.second][0]].code ? (pair.first, pair.second) : (pair.second, pair.first)
            let first = records[entries[a][0]], second = records[entries[b][0]]
            flags.append(RedFlag(kind: .nearDuplicateName, codes: (entries[a] + entries[b]).map { records[$0].code }, townshipPaths: [first.townshipPath],
                                 sentence: "\(townshipName(entries[a][0]))的「\(first.name)」与「\(second.name)」名称相近：去掉乡镇名、空格、全半角差别和后缀后为「\(OrganizationNameKey.text(Array(joinKeys[a])))」与「\(OrganizationNameKey.text(Array(joinKeys[b])))」，两字组相似度 \(decimal(pair.similarity))（预警阈值 \(decimal(settings.nameSimilarity))），请核实是否同一单位重复录入。"))
        }

        return flags
    }

    private static func countyDuplicateFlags(_ records: [RedFlagRecord], _ keys: NameKeys, _ entries: [[Int]],
                                             townshipNames: [String: String]) -> [RedFlag] {
        func byCode(_ members: [Int]) -> [Int] { members.sorted { records[$0].code < records[$1].code } }
        func townshipName(_ index: Int) -> String { townshipNames[records[index].townshipPath] ?? records[index].townshipPath }
        var flags: [RedFlag] = []
        // The same key in different townships of one county: entries sorted by (county, hash, key).
        func county(_ entry: Int) -> Int32 { keys.countyOf[Int(keys.townshipOf[entries[entry][0]])] }
        var byCounty = Array(entries.indices)
        byCounty.sort { a, b in
            let (x, y) = (entries[a][0], entries[b][0])
            if county(a) != county(b) { return county(a) < county(b) }
            if keys.digest[x] != keys.digest[y] { return keys.digest[x] < keys.digest[y] }
            let (first, second) = (keys.key(x), keys.key(y))
            if first != second { return first.lexicographicallyPrecedes(second) }
            return a < b
        }
        var start = 0
        while start < byCounty.count {
            var end = start + 1
            while end < byCounty.count, county(byCounty[end]) == county(byCounty[start]), keys.sameKey(entries[byCounty[end]][0], entries[byCounty[start]][0]) { end += 1 }
            if end - start > 1 {
                let members = byCode(byCounty[start..<end].flatMap { entries[$0] })
                let townships = Set(members.map { records[$0].townshipPath }).sorted()
                let places = members.map { "\(townshipName($0))「\(records[$0].name)」" }.joined(separator: "、")
                flags.append(RedFlag(kind: .duplicateAcrossTownships, codes: members.map { records[$0].code }, townshipPaths: townships,
                                     sentence: "同一县内 \(townships.count) 个乡镇录入了规范化后同名（「\(OrganizationNameKey.text(Array(keys.key(members[0]))))」）的团组织：\(places)，请核实是否同一单位在多个乡镇重复计数。"))
            }
            start = end
        }
        return flags
    }
}

/// Every record's normalized name in one buffer, hashed, with its township and county as numbers.
struct NameKeys {
    var scalars: [UInt32] = []
    var starts: [Int] = [0]
    /// FNV-1a over the key's scalars.
    var digest: [UInt64] = []
    var townshipOf: [Int32] = []
    var countyOf: [Int32] = []
    /// Each township's name and short forms, normalized (`OrganizationNameKey.townshipPrefixes`).
    var prefixes: [[[UInt32]]] = []

    init(_ records: [RedFlagRecord], townshipNames: [String: String]) {
        var townshipIDs: [String: Int32] = [:]
        var countyIDs: [String: Int32] = [:]
        scalars.reserveCapacity(records.count * 12)
        starts.reserveCapacity(records.count + 1)
        digest.reserveCapacity(records.count)
        townshipOf.reserveCapacity(records.count)
        var lastPath: String?
        var lastTownship: Int32 = 0
        for record in records {
            if record.townshipPath != lastPath {
                if let known = townshipIDs[record.townshipPath] {
                    lastTownship = known
                } else {
                    lastTownship = Int32(prefixes.count)
                    townshipIDs[record.townshipPath] = lastTownship
                    let county = record.countyPath
                    let countyID = countyIDs[county] ?? Int32(countyIDs.count)
                    countyIDs[county] = countyID
                    countyOf.append(countyID)
                    prefixes.append(townshipNames[record.townshipPath].map(OrganizationNameKey.townshipPrefixes) ?? [])
                }
                lastPath = record.townshipPath
            }
            townshipOf.append(lastTownship)
            let from = scalars.count
            OrganizationNameKey.append(record.name, to: &scalars)
            starts.append(scalars.count)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for value in scalars[from...] { hash = (hash ^ UInt64(value)) &* 0x100_0000_01b3 }
            digest.append(hash)
        }
    }

    func key(_ index: Int) -> ArraySlice<UInt32> { scalars[starts[index]..<starts[index + 1]] }

    func sameKey(_ a: Int, _ b: Int) -> Bool { digest[a] == digest[b] && key(a) == key(b) }

    /// Records with the same key in one township, as one entry each, in the order of their first
    /// record; an entry's records by code.
    func sameKeyEntries(_ records: [RedFlagRecord]) -> [[Int]] {
        var sorted = Array(records.indices)
        sorted.sort { a, b in
            if townshipOf[a] != townshipOf[b] { return townshipOf[a] < townshipOf[b] }
            if digest[a] != digest[b] { return digest[a] < digest[b] }
            let (first, second) = (key(a), key(b))
            if first != second { return first.lexicographicallyPrecedes(second) }
            return a < b
        }
        var entries: [[Int]] = []
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count, townshipOf[sorted[end]] == townshipOf[sorted[start]], sameKey(sorted[end], sorted[start]) { end += 1 }
            entries.append(Array(sorted[start..<end]))
            start = end
        }
        // (first record, entry) packed in one number to sort by.
        return entries.indices.map { UInt64(entries[$0][0]) << 32 | UInt64($0) }.sorted()
            .map { let members = entries[Int($0 & 0xFFFF_FFFF)]; return members.count > 1 ? members.sorted { records[$0].code < records[$1].code } : members }
    }
}
