/// What the comparisons across townships need from one township's records, computed once with them:
/// each record's normalized name as a hash, and each record's phones as numbers. Comparing
/// townships then sorts numbers, and only the records whose hash or phone turns up often enough
/// go through the rules themselves (`RedFlagDetector.crossTownshipFlags(townships:townshipNames:)`).
public struct RedFlagCrossKeys: Sendable {
    /// FNV-1a of each record's normalized name (`OrganizationNameKey`), in the records' order.
    public private(set) var nameDigests: [UInt64] = []
    /// Each record's distinct phones (secretary's, acting secretary's) as numbers: packed digits, or
    /// a hash of the normalized text of a phone too long to pack; (phone, record index).
    public private(set) var phones: [(phone: UInt64, record: Int32)] = []

    public init(_ records: [RedFlagRecord]) {
        nameDigests.reserveCapacity(records.count)
        var scalars: [UInt32] = []
        for (index, record) in records.enumerated() {
            scalars.removeAll(keepingCapacity: true)
            OrganizationNameKey.append(record.name, to: &scalars)
            nameDigests.append(Self.fnv(scalars))
            let secretary = record.secretaryPhone.flatMap(RedFlagGroups.PhoneKey.init)
            let acting = record.actingSecretaryPhone.flatMap(RedFlagGroups.PhoneKey.init)
            if let secretary { phones.append((Self.number(secretary), Int32(index))) }
            if let acting, acting != secretary { phones.append((Self.number(acting), Int32(index))) }
        }
    }

    static func fnv(_ scalars: some Sequence<UInt32>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in scalars { hash = (hash ^ UInt64(value)) &* 0x100_0000_01b3 }
        return hash
    }

    /// A packed phone as it is (its low five bits count its digits, never 31); a long one hashed with those bits set to 31.
    static func number(_ key: RedFlagGroups.PhoneKey) -> UInt64 {
        switch key {
        case .packed(let value): value
        case .text(let text): fnv(text.unicodeScalars.map(\.value)) | 31
        }
    }
}

extension RedFlagDetector {
    /// `crossTownshipFlags(records:townshipNames:)` over townships given with their keys: the same
    /// flags, found by sorting the keys and running the rules only over the records whose name hash
    /// is in two townships of one county, or whose phone is behind enough records. A record taken
    /// for one phone brings its other phone too, but that one's group can only reach the threshold
    /// if all its records are taken, so nothing is flagged that the whole computation would not flag.
    public func crossTownshipFlags(townships: [(records: [RedFlagRecord], keys: RedFlagCrossKeys)], townshipNames: [String: String]) -> [RedFlag] {
        // Name hashes: (county, hash, township) sorted; a hash in two townships of one county is a candidate.
        var counties: [String: UInt32] = [:]
        var names: [(county: UInt32, digest: UInt64, township: Int32)] = []
        names.reserveCapacity(townships.reduce(0) { $0 + $1.records.count })
        for (index, township) in townships.enumerated() {
            guard let first = township.records.first else { continue }
            let county = counties[first.countyPath] ?? UInt32(counties.count)
            counties[first.countyPath] = county
            for digest in township.keys.nameDigests { names.append((county, digest, Int32(index))) }
        }
        names.sort { ($0.county, $0.digest, $0.township) < ($1.county, $1.digest, $1.township) }
        var nameCandidates = Set<UInt64>()
        var start = 0
        while start < names.count {
            var end = start + 1
            while end < names.count, names[end].county == names[start].county, names[end].digest == names[start].digest { end += 1 }
            if names[end - 1].township != names[start].township { nameCandidates.insert(names[start].digest) }
            start = end
        }

        // Phones: every (phone, record) number sorted; a phone behind at least the threshold is a candidate.
        let minimum = max(2, settings.sharedPhoneMinimum)
        var phones = townships.flatMap { $0.keys.phones.map(\.phone) }
        phones.sort()
        var phoneCandidates = Set<UInt64>()
        start = 0
        while start < phones.count {
            var end = start + 1
            while end < phones.count, phones[end] == phones[start] { end += 1 }
            if end - start >= minimum { phoneCandidates.insert(phones[start]) }
            start = end
        }

        var byName: [RedFlagRecord] = [], byPhone: [RedFlagRecord] = []
        for township in townships {
            if !nameCandidates.isEmpty {
                for (index, digest) in township.keys.nameDigests.enumerated() where nameCandidates.contains(digest) {
                    byName.append(township.records[index])
                }
            }
            if !phoneCandidates.isEmpty {
                var last: Int32 = -1
                for (phone, record) in township.keys.phones where record != last && phoneCandidates.contains(phone) {
                    byPhone.append(township.records[Int(record)])
                    last = record
                }
            }
        }
        return RedFlagGroups.countyDuplicateFlags(byName, townshipNames: townshipNames)
            + RedFlagGroups.phoneFlags(byPhone, townshipNames: townshipNames, settings: settings)
    }
}
