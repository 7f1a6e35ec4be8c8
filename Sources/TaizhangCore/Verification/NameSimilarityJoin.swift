/// Finds every pair of names in the same group whose bigram Dice coefficient reaches a threshold,
/// without comparing every pair: the prefix filter of the "All-Pairs" similarity join (Bayardo,
/// Ma & Srikant 2007). Dice ≥ t is Jaccard ≥ t/(2−t); two sets that reach Jaccard j share a token
/// among the first n − ⌈j·n⌉ + 1 tokens of each (n its size) once every set lists its tokens in one
/// order, rarest first, so only names sharing a rare bigram are compared at all.
///
/// Each group is joined on its own (token order by the group's own frequencies), over flat
/// buffers reused from group to group: the inverted index is a linked list in two arrays, a
/// name's tokens are numbered by sorting the group's (token, name) pairs, and nothing is
/// allocated per name — a city's 150,000 names are joined in a few tens of milliseconds.
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
        var flat = TokenLists()
        for list in tokens { flat.append(list) }
        return pairs(flat, groups: groups, threshold: threshold)
    }

    /// Every name's sorted distinct tokens in one buffer: name i's are `tokens[starts[i]..<starts[i + 1]]`.
    public struct TokenLists: Sendable {
        public private(set) var tokens: [UInt64] = []
        public private(set) var starts: [Int] = [0]

        public init() {}

        public var count: Int { starts.count - 1 }
        func size(_ i: Int) -> Int { starts[i + 1] - starts[i] }

        public mutating func append<C: Collection>(_ list: C) where C.Element == UInt64 {
            tokens.append(contentsOf: list)
            starts.append(tokens.count)
        }

        /// Appends the distinct bigrams of a normalized name (as `OrganizationNameKey.bigrams`).
        mutating func appendBigrams(of scalars: ArraySlice<UInt32>) {
            let first = tokens.count
            if scalars.count > 1 {
                var i = scalars.startIndex
                while i + 1 < scalars.endIndex {
                    tokens.append(UInt64(scalars[i]) << 32 | UInt64(scalars[i + 1]))
                    i += 1
                }
                tokens[first...].sort()
                var kept = first
                for j in first..<tokens.count where j == first || tokens[j] != tokens[kept - 1] {
                    tokens[kept] = tokens[j]
                    kept += 1
                }
                tokens.removeLast(tokens.count - kept)
            } else {
                tokens.append(contentsOf: scalars.map { UInt64($0) })
            }
            starts.append(tokens.count)
        }
    }

    /// The join over token lists held in one buffer.
    public static func pairs(_ lists: TokenLists, groups: [Int], threshold: Double) -> [Pair] {
        precondition(lists.count == groups.count)
        let jaccard = threshold / (2 - threshold)
        let order = (0..<lists.count).sorted {
            groups[$0] != groups[$1] ? groups[$0] < groups[$1] : lists.size($0) != lists.size($1) ? lists.size($0) < lists.size($1) : $0 < $1
        }
        var join = GroupJoin(threshold: threshold, jaccard: jaccard)
        var found: [Pair] = []
        var start = 0
        while start < order.count {
            var end = start
            while end < order.count, groups[order[end]] == groups[order[start]] { end += 1 }
            join.run(order[start..<end], lists, into: &found)
            start = end
        }
        return found.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// The buffers of one group's join, kept from group to group.
    struct GroupJoin {
        let threshold: Double
        let jaccard: Double
        /// (token, member) of the group packed in one number (a token is two scalars of 21 bits,
        /// the member the low 22 bits), sorted: numbers the group's tokens densely, in token order.
        var occurrences: [UInt64] = []
        var frequency: [Int32] = []
        /// Each member's token numbers (ascending) at `idStarts[m]`, and its prefix (rarest first) at `prefixStarts[m]`.
        var ids: [Int32] = []
        var idStarts: [Int] = []
        var filled: [Int] = []
        var prefixes: [Int32] = []
        var prefixStarts: [Int] = []
        /// The inverted index: the last posting of each token, and each posting's member and the posting before it.
        var head: [Int32] = []
        var postingMember: [Int32] = []
        var postingNext: [Int32] = []
        var postingPosition: [Int32] = []
        var lastSeen: [Int32] = []

        init(threshold: Double, jaccard: Double) {
            self.threshold = threshold
            self.jaccard = jaccard
        }

        /// Joins one group's names (`members`: indexes into `lists`, by size ascending).
        mutating func run(_ members: ArraySlice<Int>, _ lists: TokenLists, into found: inout [Pair]) {
            let count = members.count
            guard count > 1 else { return }
            precondition(count < 1 << 22, "a group of more than 4,194,303 names")
            occurrences.removeAll(keepingCapacity: true)
            idStarts.removeAll(keepingCapacity: true)
            var total = 0
            for (m, name) in members.enumerated() {
                idStarts.append(total)
                for t in lists.starts[name]..<lists.starts[name + 1] {
                    let token = lists.tokens[t]
                    occurrences.append((token >> 32) << 43 | (token & 0x1F_FFFF) << 22 | UInt64(m))
                }
                total += lists.size(name)
            }
            idStarts.append(total)
            occurrences.sort()
            ids = [Int32](repeating: 0, count: total)
            filled = idStarts
            frequency.removeAll(keepingCapacity: true)
            var previous: UInt64? = nil
            for occurrence in occurrences {
                let token = occurrence >> 22, member = occurrence & 0x3F_FFFF
                if token != previous {
                    frequency.append(0)
                    previous = token
                }
                let id = Int32(frequency.count - 1)
                frequency[Int(id)] += 1
                ids[filled[Int(member)]] = id
                filled[Int(member)] += 1
            }
            prefixes.removeAll(keepingCapacity: true)
            prefixStarts.removeAll(keepingCapacity: true)
            for m in 0..<count {
                prefixStarts.append(prefixes.count)
                let from = prefixes.count, size = idStarts[m + 1] - idStarts[m]
                prefixes.append(contentsOf: ids[idStarts[m]..<idStarts[m + 1]])
                prefixes[from...].sort { frequency[Int($0)] != frequency[Int($1)] ? frequency[Int($0)] < frequency[Int($1)] : $0 < $1 }
                prefixes.removeLast(size - prefixLength(size, jaccard))
            }
            prefixStarts.append(prefixes.count)
            head = [Int32](repeating: -1, count: frequency.count)
            postingMember.removeAll(keepingCapacity: true)
            postingNext.removeAll(keepingCapacity: true)
            lastSeen = [Int32](repeating: -1, count: count)
            postingPosition.removeAll(keepingCapacity: true)
            for x in 0..<count {
                let size = idStarts[x + 1] - idStarts[x]
                let smallest = jaccard * Double(size) - 1e-9
                for p in prefixStarts[x]..<prefixStarts[x + 1] {
                    let token = Int(prefixes[p]), position = p - prefixStarts[x]
                    var posting = head[token]
                    while posting >= 0 {
                        let y = Int(postingMember[Int(posting)]), at = Int(postingPosition[Int(posting)])
                        posting = postingNext[Int(posting)]
                        guard lastSeen[y] != Int32(x) else { continue }
                        lastSeen[y] = Int32(x)
                        // y is no longer than x (sizes ascending); Jaccard ≥ j needs |y| ≥ j·|x|.
                        let other = idStarts[y + 1] - idStarts[y]
                        guard Double(other) >= smallest else { continue }
                        // This is the first token they share (in the group's order): what follows it in
                        // either list bounds how many more they can share (PPJoin's positional filter).
                        let least = needed(size + other)
                        guard 1 + min(size - position - 1, other - at - 1) >= least else { continue }
                        let similarity = 2 * Double(shared(x, y, least)) / Double(size + other)
                        if similarity >= threshold - 1e-9 {
                            let a = members[members.startIndex + x], b = members[members.startIndex + y]
                            found.append(Pair(first: min(a, b), second: max(a, b), similarity: similarity))
                        }
                    }
                    // Names after x are no shorter, so a pair with x needs Dice ≥ t of x's own size
                    // in shared tokens: x is indexed under the first n − ⌈t·n⌉ + 1 of its prefix only.
                    guard position < indexLength(size) else { continue }
                    postingMember.append(Int32(x))
                    postingPosition.append(Int32(position))
                    postingNext.append(head[token])
                    head[token] = Int32(postingMember.count - 1)
                }
            }
        }

        /// The fewest shared tokens that can reach the threshold for two lists of `sizes` tokens together (rounded down a hair).
        func needed(_ sizes: Int) -> Int {
            Int(((threshold - 1e-9) * Double(sizes) / 2 - 1e-6).rounded(.up))
        }

        /// How much of a name's prefix is indexed (a hair longer than n − ⌈t·n⌉ + 1 rather than shorter).
        func indexLength(_ size: Int) -> Int {
            max(1, min(size, size - Int((threshold * Double(size) - 1e-6).rounded(.up)) + 1))
        }

        /// How many token numbers members x and y share (both lists ascending), or 0 as soon as
        /// what is left cannot bring it to `least`.
        func shared(_ x: Int, _ y: Int, _ least: Int) -> Int {
            var i = idStarts[x], j = idStarts[y], count = 0
            let iEnd = idStarts[x + 1], jEnd = idStarts[y + 1]
            while i < iEnd, j < jEnd {
                guard count + min(iEnd - i, jEnd - j) >= least else { return 0 }
                if ids[i] == ids[j] { count += 1; i += 1; j += 1 } else if ids[i] < ids[j] { i += 1 } else { j += 1 }
            }
            return count
        }
    }

    static func prefixLength(_ size: Int, _ jaccard: Double) -> Int {
        guard size > 0 else { return 0 }
        let needed = Int((jaccard * Double(size) - 1e-9).rounded(.up))
        return max(1, min(size, size - needed + 1))
    }
}
