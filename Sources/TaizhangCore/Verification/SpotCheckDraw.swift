/// The reproducible draw of a spot check. Anyone holding the frame and the seed can redo it:
///
/// 1. Sort the frame's organization codes (18-character 统一社会信用代码-like codes, compared
///    byte by byte). The frame's fingerprint is the SHA-256 of those codes joined by "\n"
///    (no newline at the end), in lowercase hex.
/// 2. Start one SplitMix64 generator (`SeededGenerator`) from the seed; every stratum below
///    draws from it in turn.
/// 3. Take the strata in ascending order of their division code. A stratum's records are in
///    code order; when flagged records go first, they form a first group and the rest a
///    second, each in code order, and the stratum's sample takes min(n_h, flagged) from the
///    first group and the remainder from the second.
/// 4. From a group of m records take k by a partial Fisher–Yates shuffle: for i = 0 … k−1,
///    pick j = i + uniform(m − i) and swap records i and j; the sample is records 0 … k−1 in
///    that order (the position is i + 1, counted on through the stratum).
/// 5. uniform(r) draws without bias by rejection: with t = (2⁶⁴ − r) mod r, take the next
///    64-bit output x until x ≥ t, then return x mod r.
public enum SpotCheckDraw {
    /// One record of the frame: its code, its stratum (a county's or township's code and
    /// name) and whether it has an open red flag.
    public struct FrameRecord: Sendable, Equatable, Codable {
        public var code: String
        public var stratumCode: String
        public var stratumName: String
        public var flagged: Bool

        public init(code: String, stratumCode: String, stratumName: String, flagged: Bool = false) {
            self.code = code
            self.stratumCode = stratumCode
            self.stratumName = stratumName
            self.flagged = flagged
        }
    }

    /// A stratum's size in the frame and in the sample.
    public struct Stratum: Sendable, Equatable, Codable {
        public var code: String
        public var name: String
        public var frameSize: Int
        /// Records in the frame with an open red flag (0 when the design does not weight them).
        public var flaggedSize: Int
        public var sampleSize: Int

        public init(code: String, name: String, frameSize: Int, flaggedSize: Int, sampleSize: Int) {
            self.code = code
            self.name = name
            self.frameSize = frameSize
            self.flaggedSize = flaggedSize
            self.sampleSize = sampleSize
        }
    }

    /// A drawn record: its stratum, its place in the stratum's draw (from 1), and whether it
    /// was drawn from the flagged group.
    public struct Drawn: Sendable, Equatable, Codable {
        public var code: String
        public var stratumCode: String
        public var position: Int
        public var flagged: Bool

        public init(code: String, stratumCode: String, position: Int, flagged: Bool) {
            self.code = code
            self.stratumCode = stratumCode
            self.position = position
            self.flagged = flagged
        }
    }

    public struct Result: Sendable, Equatable {
        public var frameHash: String
        public var strata: [Stratum]
        public var sample: [Drawn]
    }

    /// SHA-256 of the frame's codes in order, joined by "\n".
    public static func frameHash(_ codes: [String]) -> String {
        SHA256.hex(codes.sorted(by: codeOrder).joined(separator: "\n"))
    }

    /// Draws the sample; refused when the frame is empty, a code appears twice, or a fixed
    /// size exceeds a stratum.
    public static func draw(frame: [FrameRecord], design: SpotCheckDesign, seed: SpotCheckSeed) throws -> Result {
        try design.validate()
        guard !frame.isEmpty else { throw InvalidInput(field: "抽样框", reason: "没有符合条件的团组织，无法抽样") }
        let records = frame.sorted { codeOrder($0.code, $1.code) }
        for (a, b) in zip(records, records.dropFirst()) where a.code == b.code {
            throw InvalidInput(field: "抽样框", reason: "团组织 \(a.code) 出现了两次")
        }
        var byStratum: [String: [FrameRecord]] = [:]
        for record in records { byStratum[record.stratumCode, default: []].append(record) }
        var generator = SeededGenerator(seed: seed.value)
        var strata: [Stratum] = []
        var sample: [Drawn] = []
        for code in byStratum.keys.sorted(by: codeOrder) {
            let members = byStratum[code]!
            let name = members[0].stratumName
            let n = try design.sampleSize(ofStratum: name, frameSize: members.count)
            let flagged = design.flaggedFirst ? members.filter(\.flagged) : []
            let rest = design.flaggedFirst ? members.filter { !$0.flagged } : members
            let fromFlagged = min(n, flagged.count)
            var drawn = partialShuffle(flagged.map(\.code), take: fromFlagged, using: &generator).map { ($0, true) }
            drawn += partialShuffle(rest.map(\.code), take: n - fromFlagged, using: &generator).map { ($0, false) }
            strata.append(Stratum(code: code, name: name, frameSize: members.count, flaggedSize: flagged.count, sampleSize: n))
            sample += drawn.enumerated().map { Drawn(code: $1.0, stratumCode: code, position: $0 + 1, flagged: $1.1) }
        }
        return Result(frameHash: SHA256.hex(records.map(\.code).joined(separator: "\n")), strata: strata, sample: sample)
    }

    /// The first `k` records of a partial Fisher–Yates shuffle of `items`.
    static func partialShuffle<G: RandomNumberGenerator>(_ items: [String], take k: Int, using generator: inout G) -> [String] {
        var items = items
        for i in 0..<k {
            let j = i + Int(uniform(UInt64(items.count - i), using: &generator))
            items.swapAt(i, j)
        }
        return Array(items.prefix(k))
    }

    /// A uniform number below `bound` (> 0), by rejection so no value is favoured.
    static func uniform<G: RandomNumberGenerator>(_ bound: UInt64, using generator: inout G) -> UInt64 {
        let threshold = (0 &- bound) % bound
        while true {
            let x = generator.next()
            if x >= threshold { return x % bound }
        }
    }

    /// Codes compare byte by byte (their UTF-8), as `sort` does in the C locale.
    static func codeOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
