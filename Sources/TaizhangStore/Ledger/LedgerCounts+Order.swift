import TaizhangCore

extension LedgerCounts {
    /// A tally's changes at every division on each township's path, in key order: by each
    /// column's bytes in turn, the order every writer of the counts' rows locks them in and the
    /// order their primary key keeps them. Keys whose changes sum to nothing are left out.
    struct OrderedChanges {
        var daily: OrderedKeys<DailyKey>
        var mix: OrderedKeys<MixKey>
    }

    /// One table's changes in key order, each kept as a division code and the rank of its other
    /// columns' values (32 bytes, where a whole key of five or six strings takes ~100): an import
    /// holds them for 100,000 keys or more while its last statement runs.
    struct OrderedKeys<Key>: RandomAccessCollection {
        fileprivate struct Entry {
            var division: String
            var others: Int32
            var count: Int
        }
        /// Every key's other columns (its division ""), in their byte order.
        fileprivate var others: [Key]
        fileprivate var entries: [Entry]
        fileprivate let division: WritableKeyPath<Key, String>

        var startIndex: Int { entries.startIndex }
        var endIndex: Int { entries.endIndex }

        subscript(position: Int) -> (key: Key, count: Int) {
            let entry = entries[position]
            var key = others[Int(entry.others)]
            key[keyPath: division] = entry.division
            return (key, entry.count)
        }
    }

    /// A division code and the number of a key's other columns' values.
    private struct NumberedKey: Hashable {
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
    ) -> OrderedKeys<Key> {
        var numbers: [Key: Int32] = [:]
        var others: [Key] = []
        var byDivision: [NumberedKey: Int] = [:]
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
                byDivision[NumberedKey(division: code, others: number), default: 0] += count
            }
        }
        let order = others.indices.sorted { precedes(others[$0], others[$1]) }
        var rank = [Int32](repeating: 0, count: others.count)
        for (position, number) in order.enumerated() { rank[number] = Int32(position) }
        var entries: [OrderedKeys<Key>.Entry] = []
        entries.reserveCapacity(byDivision.count)
        for (key, count) in byDivision where count != 0 {
            entries.append(.init(division: key.division, others: rank[Int(key.others)], count: count))
        }
        entries.sort {
            let order = $0.division.utf8Compare($1.division)
            return order != 0 ? order < 0 : $0.others < $1.others
        }
        return OrderedKeys(others: order.map { others[$0] }, entries: entries, division: division)
    }
}

extension LedgerCounts {
    /// Whether the first pair of columns that differ sorts lower by its bytes (`utf8Compare`).
    static func precedes(_ columns: (String, String)...) -> Bool {
        for (left, right) in columns {
            let order = left.utf8Compare(right)
            if order != 0 { return order < 0 }
        }
        return false
    }
}

extension LedgerCounts.DailyKey {
    /// Column by column, each by its bytes.
    func precedes(_ other: Self) -> Bool {
        LedgerCounts.precedes((division, other.division), (stage, other.stage), (guidance, other.guidance),
                              (foundedOn, other.foundedOn), (review, other.review))
    }
}

extension LedgerCounts.MixKey {
    /// Column by column, each by its bytes.
    func precedes(_ other: Self) -> Bool {
        LedgerCounts.precedes((division, other.division), (stage, other.stage), (guidance, other.guidance),
                              (unitCategory, other.unitCategory), (buildMode, other.buildMode), (review, other.review))
    }
}
