import FluentKit
import TaizhangCore

/// A spot check's results: per stratum and for the whole frame, how many were checked and
/// found real, the share with its Wilson interval, and the estimated number of real
/// organizations (stratified estimator) with its standard error and 95% interval.
public struct SpotCheckReport: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var code: String
        public var name: String
        public var frameSize: Int
        public var sampleSize: Int
        /// Findings recorded so far, by outcome.
        public var outcomes: [SpotCheckOutcome: Int]
        /// 属实 + 信息有误 + 不属实 (无法核实 is not checked).
        public var checked: Int
        /// 属实 + 信息有误.
        public var real: Int
        public var share: SpotCheckStatistics.Interval?
        public var estimate: SpotCheckStatistics.Estimate?

        public var pending: Int { sampleSize - outcomes.values.reduce(0, +) }
    }

    public var strata: [Line]
    public var total: Line

    /// The report from the stored sample. With flagged records drawn first, each stratum's
    /// flagged and other records are estimated as strata of their own (each drawn at random within itself).
    public init(_ spotCheck: SpotCheck, samples: [SpotCheckSample]) {
        var lines: [Line] = []
        var parts: [SpotCheckStatistics.StratumCounts] = []
        for stratum in spotCheck.strata {
            let mine = samples.filter { $0.stratumCode == stratum.code }
            let groups: [(size: Int, samples: [SpotCheckSample])] = spotCheck.design.flaggedFirst
                ? [(stratum.flaggedSize, mine.filter(\.flagged)), (stratum.frameSize - stratum.flaggedSize, mine.filter { !$0.flagged })]
                : [(stratum.frameSize, mine)]
            let counts = groups.map { Self.counts(size: $0.size, $0.samples) }
            parts += counts
            lines.append(Self.line(code: stratum.code, name: stratum.name, frameSize: stratum.frameSize, sampleSize: stratum.sampleSize,
                                   samples: mine, parts: counts))
        }
        strata = lines
        total = Self.line(code: spotCheck.scopeCode, name: spotCheck.scopeName, frameSize: spotCheck.frameSize,
                          sampleSize: spotCheck.sampleSize, samples: samples, parts: parts)
    }

    static func counts(size: Int, _ samples: [SpotCheckSample]) -> SpotCheckStatistics.StratumCounts {
        let outcomes = samples.compactMap(\.finding?.outcome)
        return .init(frameSize: size, checked: outcomes.filter(\.isChecked).count, real: outcomes.filter(\.isReal).count)
    }

    static func line(code: String, name: String, frameSize: Int, sampleSize: Int, samples: [SpotCheckSample],
                     parts: [SpotCheckStatistics.StratumCounts]) -> Line {
        var outcomes: [SpotCheckOutcome: Int] = [:]
        for outcome in samples.compactMap(\.finding?.outcome) { outcomes[outcome, default: 0] += 1 }
        let checked = outcomes.filter { $0.key.isChecked }.values.reduce(0, +)
        let real = outcomes.filter { $0.key.isReal }.values.reduce(0, +)
        return Line(code: code, name: name, frameSize: frameSize, sampleSize: sampleSize, outcomes: outcomes, checked: checked, real: real,
                    share: SpotCheckStatistics.wilson(successes: real, trials: checked),
                    estimate: SpotCheckStatistics.stratifiedEstimate(parts))
    }
}

extension SpotCheckStore {
    public static func report(_ spotCheck: SpotCheck, on db: any Database) async throws -> SpotCheckReport {
        SpotCheckReport(spotCheck, samples: try await samples(spotCheck, on: db))
    }
}
