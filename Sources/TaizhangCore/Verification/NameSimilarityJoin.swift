/// Finds every pair of names in the same group whose bigram Dice coefficient reaches a threshold,
/// without comparing every pair: the prefix filter of the "All-Pairs" similarity join (Bayardo,
/// Ma & Srikant 2007). Dice ≥ t is Jaccard ≥ t/(2−t); two sets that reach Jaccard j share a token
/// among the first n − ⌈j·n⌉ + 1 tokens of each (n its size) once every set lists its tokens rarest
/// first, so only names sharing a rare bigram are compared at all.
public enum NameSimilarityJoin {
    public struct Pair: Sendable, Equatable {
        public var first: Int
        public var second: Int
        public var similarity: Double
    }

    /// Pairs of indexes into `keys` (normalized names, each group's distinct) within one group, with
    /// their similarity, `first < second`.
    public static func pairs(keys: [String], groups: [Int], threshold: Double) -> [Pair] {
        pairs(tokens: keys.map(OrganizationNameKey.bigrams), groups: groups, threshold: threshold)
    }

    /// The same over each name's sorted distinct bigrams.
    public static func pairs(tokens: [[UInt64]], groups: [Int], threshold: Double) -> [Pair] {
        precondition(tokens.count == groups.count)
        let jaccard = threshold / (2 - threshold)
        var ids: [UInt64: Int32] = [:]
        var frequency: [Int32] = []
        // Each name's token ids, sorted by id (for the exact count) …
        var tokenLists: [[Int32]] = []
        tokenLists.reserveCapacity(tokens.count)
        for list in tokens {
            var mapped: [Int32] = []
            mapped.reserveCapacity(list.count)
            for token in list {
                if let id = ids[token] {
                    frequency[Int(id)] += 1
                    mapped.append(id)
                } else {
                    let id = Int32(frequency.count)
                    ids[token] = id
                    frequency.append(1)
                    mapped.append(id)
                }
            }
            mapped.sort()
            tokenLists.append(mapped)
        }
        // … and its prefix, rarest first (then by id).
        let prefixes: [[Int32]] = tokenLists.map { list in
            let sorted = list.sorted { frequency[Int($0)] != frequency[Int($1)] ? frequency[Int($0)] < frequency[Int($1)] : $0 < $1 }
            return Array(sorted.prefix(prefixLength(list.count, jaccard)))
        }
        let order = tokens.indices.sorted {
            groups[$0] != groups[$1] ? groups[$0] < groups[$1]
                : tokenLists[$0].count != tokenLists[$1].count ? tokenLists[$0].count < tokenLists[$1].count : $0 < $1
        }
        var found: [Pair] = []
        var index: [Int32: [Int]] = [:]
        var lastSeen = [Int](repeating: -1, count: tokens.count)
        var start = 0
        while start < order.count {
            var end = start
            while end < order.count, groups[order[end]] == groups[order[start]] { end += 1 }
            index.removeAll(keepingCapacity: true)
            for x in order[start..<end] {
                let size = tokenLists[x].count
                let smallest = jaccard * Double(size) - 1e-9
                for token in prefixes[x] {
                    if let candidates = index[token] {
                        for y in candidates where lastSeen[y] != x {
                            lastSeen[y] = x
                            // y is no longer than x (sizes ascending); Jaccard ≥ j needs |y| ≥ j·|x|.
                            guard Double(tokenLists[y].count) >= smallest else { continue }
                            let similarity = OrganizationNameKey.dice(tokenLists[x], tokenLists[y])
                            if similarity >= threshold - 1e-9 {
                                found.append(Pair(first: min(x, y), second: max(x, y), similarity: similarity))
                            }
                        }
                    }
                    index[token, default: []].append(x)
                }
            }
            start = end
        }
        return found.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    static func prefixLength(_ size: Int, _ jaccard: Double) -> Int {
        guard size > 0 else { return 0 }
        let needed = Int((jaccard * Double(size) - 1e-9).rounded(.up))
        return max(1, min(size, size - needed + 1))
    }
}
