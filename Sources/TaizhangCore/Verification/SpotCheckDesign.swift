import Foundation

/// How a spot check (数据抽查) draws its sample from the frame: the strata, how many records
/// each stratum gives, and whether records with open red flags are drawn first.
public struct SpotCheckDesign: Codable, Sendable, Equatable {
    /// One stratum per county (a city's check) or per township (a county's check).
    public enum Stratification: String, Codable, Sendable, CaseIterable {
        case county
        case township

        public var label: String { self == .county ? "按县（市、区）分层" : "按乡镇（街道）分层" }
        /// The level of the stratum's division in a division path (县 = 3, 乡镇 = 4).
        public var level: Int { self == .county ? 3 : 4 }
    }

    /// How many records each stratum gives.
    public enum SizeRule: Codable, Sendable, Equatable {
        /// ⌈percent·N_h/100⌉ records, but at least `minimum` (or the whole stratum if it is smaller).
        case percent(Double, minimum: Int)
        /// Exactly `n` records from every stratum (refused if a stratum has fewer).
        case fixed(Int)

        public var label: String {
            switch self {
            case .percent(let p, let minimum): "每层抽 \(SpotCheckDesign.format(p))%，每层至少 \(minimum) 个"
            case .fixed(let n): "每层固定抽 \(n) 个"
            }
        }
    }

    public var stratification: Stratification
    public var size: SizeRule
    /// Records with open red flags (数据预警) are drawn first within their stratum.
    public var flaggedFirst: Bool

    public init(stratification: Stratification, size: SizeRule, flaggedFirst: Bool = false) {
        self.stratification = stratification
        self.size = size
        self.flaggedFirst = flaggedFirst
    }

    public var label: String {
        ([stratification.label, size.label] + (flaggedFirst ? ["有预警的记录优先抽取"] : [])).joined(separator: "；")
    }

    /// The design's own mistakes (before any frame is known), each naming the field.
    public func validate() throws {
        switch size {
        case .percent(let p, let minimum):
            guard p.isFinite, p >= 0 else { throw InvalidInput(field: "抽样比例", reason: "不能为负数（填写了 \(Self.format(p))）") }
            guard p <= 100 else { throw InvalidInput(field: "抽样比例", reason: "不能超过 100%（填写了 \(Self.format(p))%）") }
            guard minimum >= 0 else { throw InvalidInput(field: "每层最少", reason: "不能为负数（填写了 \(minimum)）") }
            guard p > 0 || minimum > 0 else { throw InvalidInput(field: "抽样比例", reason: "比例和每层最少数都为 0，抽不出样本") }
        case .fixed(let n):
            guard n > 0 else { throw InvalidInput(field: "每层样本量", reason: "应为正整数（填写了 \(n)）") }
        }
    }

    /// The sample size of a stratum of `frameSize` records; refused when a fixed size exceeds it.
    public func sampleSize(ofStratum name: String, frameSize: Int) throws -> Int {
        switch size {
        case .percent(let p, let minimum):
            // Integer arithmetic on hundredths of a percent, so 10% of 30 is exactly 3.
            let hundredths = Int((p * 100).rounded())
            let share = (hundredths * frameSize + 9_999) / 10_000
            return min(frameSize, max(minimum, share))
        case .fixed(let n):
            guard n <= frameSize else {
                throw InvalidInput(field: "每层样本量", reason: "「\(name)」只有 \(frameSize) 个团组织，抽不出 \(n) 个；请减少样本量或改用比例")
            }
            return n
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// The random seed of a draw: a whole number from 0 to 18446744073709551615, kept as text.
public struct SpotCheckSeed: Sendable, Equatable, Codable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Digits only (spaces around are ignored); anything else is refused by name.
    public init(text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw InvalidInput(field: "随机种子", reason: "不能为空") }
        guard t.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt64(t) else {
            throw InvalidInput(field: "随机种子", reason: "应为 0 到 18446744073709551615 之间的整数（填写了「\(t)」）")
        }
        self.value = value
    }

    /// A fresh seed for the draw form (shown, so the draw can be repeated).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> SpotCheckSeed {
        SpotCheckSeed(UInt64.random(in: 1...9_999_999_999, using: &generator))
    }

    public var description: String { String(value) }
}
