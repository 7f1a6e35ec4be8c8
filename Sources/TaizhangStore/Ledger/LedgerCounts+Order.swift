import TaizhangCore

extension LedgerCounts {
    /// A tally's changes at every division on each township's path, in key order: by each
    /// column's bytes in turn, the order every writer of the counts' rows locks them in and the
    /// order their primary key keeps them. Keys whose changes sum to nothing are left out.
    struct OrderedChanges: Sendable {
        var daily: [(key: DailyKey, count: Int)]
        var mix: [(key: MixKey, count: Int)]
    }

    /// A division code and, by its rank in byte order, the values of a key's other columns.
    private struct RankedKey: Hashable {
        var division: String
        var others: Int32
    }

    /// `byPath`'s changes (keyed by a township's path) added into every division on the path, in
    /// key order (`precedes`).
    ///
    /// A national tally holds a key per township, day and kind, and every key is counted at four
    /// or five divisions. The other columns take few values together, so they are numbered once
    /// and ranked in their byte order; then a key is a division code — a short string, stored
    /// inline — and a number, cheap to hash, compare and move. (Hashing, sorting and copying keys
    /// of five or six strings was 9% of an import's samples into a full national ledger.)
    static func rolledUpInOrder<Key: Hashable>(
        _ byPath: [Key: Int], division: WritableKeyPath<Key, String>, precedes: (Key, Key) -> Bool
    ) -> [(key: Key, count: Int)] {
        var numbers: [Key: Int32] = [:]
        var others: [Key] = []
        var byDivision: [RankedKey: Int] = [:]
        byDivision.reserveCapacity(byPath.count * 4)
        for (key, count) in byPath where count != 0 {
            var other = key
            other[keyPath: division] = ""
            let number: Int32
            if let known = numbers[other] {
                number = known
            } else {
                number = Int32(others.count)
                numbers[other] = number
                others.append(other)
            }
            for code in DivisionPath.codes(in: key[keyPath: division]) {
                byDivision[RankedKey(division: code, others: number), default: 0] += count
            }
        }
        let order = others.indices.sorted { precedes(others[$0], others[$1]) }
        var rank = [Int32](repeating: 0, count: others.count)
        for (position, index) in order.enumerated() { rank[index] = Int32(position) }
        var ranked: [(key: RankedKey, count: Int)] = []
        ranked.reserveCapacity(byDivision.count)
        for (key, count) in byDivision where count != 0 {
            ranked.append((RankedKey(division: key.division, others: rank[Int(key.others)]), count))
        }
        ranked.sort {
            let order = $0.key.division.utf8Compare($1.key.division)
            return order != 0 ? order < 0 : $0.key.others < $1.key.others
        }
        return ranked.map { entry in
            var key = others[order[Int(entry.key.others)]]
            key[keyPath: division] = entry.key.division
            return (key, entry.count)
        }
    }
}

extension LedgerCounts.DailyKey {
    /// Column by column, each by its bytes.
    func precedes(_ other: Self) -> Bool {
        var order = division.utf8Compare(other.division)
        if order == 0 { order = stage.utf8Compare(other.stage) }
        if order == 0 { order = guidance.utf8Compare(other.guidance) }
        if order == 0 { order = foundedOn.utf8Compare(other.foundedOn) }
        if order == 0 { order = review.utf8Compare(other.review) }
        return order < 0
    }
}

extension LedgerCounts.MixKey {
    /// Column by column, each by its bytes.
    func precedes(_ other: Self) -> Bool {
        var order = division.utf8Compare(other.division)
        if order == 0 { order = stage.utf8Compare(other.stage) }
        if order == 0 { order = guidance.utf8Compare(other.guidance) }
        if order == 0 { order = unitCategory.utf8Compare(other.unitCategory) }
        if order == 0 { order = buildMode.utf8Compare(other.buildMode) }
        if order == 0 { order = review.utf8Compare(other.review) }
        return order < 0
    }
}
