/// The figures of a spot check's report: the share found real with its Wilson score interval,
/// and the stratified estimate of how many organizations in the frame are real.
public enum SpotCheckStatistics {
    /// The 97.5% point of the standard normal distribution (R's qnorm(0.975)).
    public static let z95 = 1.959963984540054

    public struct Interval: Sendable, Equatable, Codable {
        public var estimate: Double
        public var lower: Double
        public var upper: Double
    }

    /// The Wilson score interval for x successes in n trials (R's
    /// `prop.test(x, n, correct = FALSE)$conf.int`): with p̂ = x/n,
    /// centre (p̂ + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p̂(1−p̂)/n + z²/4n²).
    /// Nil when nothing was checked.
    public static func wilson(successes x: Int, trials n: Int, z: Double = z95) -> Interval? {
        guard n > 0, x >= 0, x <= n else { return nil }
        let nn = Double(n)
        let p = Double(x) / nn
        let z2 = z * z
        let denominator = 1 + z2 / nn
        let centre = (p + z2 / (2 * nn)) / denominator
        let half = z / denominator * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        return Interval(estimate: p, lower: max(0, centre - half), upper: min(1, centre + half))
    }

    /// One stratum's figures: N_h records in the frame, n_h checked, x_h of them real.
    public struct StratumCounts: Sendable, Equatable {
        public var frameSize: Int
        public var checked: Int
        public var real: Int

        public init(frameSize: Int, checked: Int, real: Int) {
            self.frameSize = frameSize
            self.checked = checked
            self.real = real
        }
    }

    public struct Estimate: Sendable, Equatable {
        /// Σ N_h·p̂_h over the strata with at least one checked record.
        public var count: Double
        /// √Σ N_h²(1 − n_h/N_h)·p̂_h(1 − p̂_h)/(n_h − 1); nil when a stratum has a single checked
        /// record out of several (its variance cannot be estimated).
        public var standardError: Double?
        public var lower: Double?
        public var upper: Double?
        /// Records of the frame in strata with checked records (the estimate covers these).
        public var coveredFrame: Int
        /// Strata with no checked record yet (left out of the estimate).
        public var uncoveredStrata: Int
    }

    /// The stratified estimate of the real records in the frame; nil when nothing was checked.
    public static func stratifiedEstimate(_ strata: [StratumCounts], z: Double = z95) -> Estimate? {
        var count = 0.0
        var variance: Double? = 0
        var covered = 0
        var uncovered = 0
        for stratum in strata where stratum.frameSize > 0 {
            guard stratum.checked > 0 else { uncovered += 1; continue }
            let bigN = Double(stratum.frameSize)
            let n = Double(stratum.checked)
            let p = Double(stratum.real) / n
            count += bigN * p
            covered += stratum.frameSize
            if stratum.checked >= stratum.frameSize { continue } // every record checked: no sampling error
            guard stratum.checked > 1 else { variance = nil; continue }
            variance = variance.map { $0 + bigN * bigN * (1 - n / bigN) * p * (1 - p) / (n - 1) }
        }
        guard covered > 0 else { return nil }
        let se = variance.map { $0.squareRoot() }
        return Estimate(count: count, standardError: se, lower: se.map { max(0, count - z * $0) },
                        upper: se.map { min(Double(covered), count + z * $0) }, coveredFrame: covered, uncoveredStrata: uncovered)
    }
}
