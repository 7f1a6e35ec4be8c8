/// Splitting a parent's target over its children so the shares always add up exactly
/// (report 一.3: the city's 5,000 over its counties, each county's over its townships).
public enum TargetAllocation {
    /// How a parent's target is split.
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// The same share for every child.
        case equal
        /// Shares in proportion to weights (key areas, youth population, committee size) above a floor.
        case weighted
        /// Shares entered by hand; they must add up to the parent's target.
        case manual

        public var label: String {
            switch self {
            case .equal: "平均分配"
            case .weighted: "按权重分配"
            case .manual: "手工分配"
            }
        }
    }

    /// What one child brings to a weighted split.
    public struct Child: Sendable, Equatable {
        public var code: String
        public var weight: Double
        /// The least the child gets (a weighted split's floor, summed over its townships).
        public var floor: Int

        public init(code: String, weight: Double, floor: Int = 0) {
            self.code = code
            self.weight = weight
            self.floor = floor
        }
    }

    /// Largest remainder (Hamilton): each child gets its floor, the rest is split in proportion
    /// to the weights, rounded down, and the units left over go to the largest fractions (ties to
    /// the earlier child). All-zero weights split the rest equally. The result adds up to `total`.
    public static func largestRemainder(total: Int, children: [Child]) throws -> [Int] {
        guard !children.isEmpty else { return [] }
        guard total >= 0 else { throw InvalidInput(field: "指标", reason: "不能为负数（\(total)）") }
        for child in children where !(child.weight.isFinite && child.weight >= 0) {
            throw InvalidInput(field: "权重", reason: "「\(child.code)」的权重 \(child.weight) 不是非负数")
        }
        let floors = children.reduce(0) { $0 + $1.floor }
        guard floors <= total else {
            throw InvalidInput(field: "保底数", reason: "保底合计 \(floors) 超过了要分配的指标 \(total)")
        }
        let rest = total - floors
        let weightSum = children.reduce(0.0) { $0 + $1.weight }
        let weights = weightSum > 0 ? children.map(\.weight) : Array(repeating: 1.0, count: children.count)
        let sum = weightSum > 0 ? weightSum : Double(children.count)
        var shares: [Int] = []
        var fractions: [(index: Int, fraction: Double)] = []
        for (index, weight) in weights.enumerated() {
            let quota = Double(rest) * weight / sum
            let whole = min(rest, Int(quota.rounded(.down)))
            shares.append(whole)
            fractions.append((index, quota - Double(whole)))
        }
        var left = rest - shares.reduce(0, +)
        // Floating error can leave the sum a unit over; take it back from the smallest fractions.
        fractions.sort { $0.fraction != $1.fraction ? $0.fraction > $1.fraction : $0.index < $1.index }
        var position = 0
        while left > 0 {
            shares[fractions[position % fractions.count].index] += 1
            left -= 1
            position += 1
        }
        position = fractions.count - 1
        while left < 0 {
            let index = fractions[position].index
            if shares[index] > 0 { shares[index] -= 1; left += 1 }
            position = position == 0 ? fractions.count - 1 : position - 1
        }
        return zip(shares, children).map { $0 + $1.floor }
    }

    /// Checks shares entered by hand: none negative, and they add up to the parent's target.
    public static func checkManual(total: Int, shares: [(name: String, target: Int)]) throws {
        for share in shares where share.target < 0 {
            throw InvalidInput(field: share.name, reason: "指标不能为负数（\(share.target)）")
        }
        let sum = shares.reduce(0) { $0 + $1.target }
        guard sum == total else {
            throw InvalidInput(field: "手工分配", reason: "各单位指标合计 \(sum)，与上级指标 \(total) 不符（相差 \(sum - total)）")
        }
    }
}

/// How a township's weight is made up in a weighted split; a county's weight is the sum of
/// its townships'. Defaults follow the report: a larger share for key areas, 2 per committee member.
public struct WeightRule: Codable, Sendable, Equatable {
    /// Every township's weight starts here.
    public var base: Double
    /// Added per 大团委 member.
    public var perCommitteeMember: Double
    /// Added per 1,000 young people (the division's youth population).
    public var perThousandYouth: Double
    /// Added for each key-area tag the township carries.
    public var countySeat: Double
    public var smallTown: Double
    public var developed: Double
    /// The least each township gets.
    public var floorPerTownship: Int

    public init(base: Double = 1, perCommitteeMember: Double = 2, perThousandYouth: Double = 0, countySeat: Double = 10,
                smallTown: Double = 5, developed: Double = 5, floorPerTownship: Int = 0) {
        self.base = base
        self.perCommitteeMember = perCommitteeMember
        self.perThousandYouth = perThousandYouth
        self.countySeat = countySeat
        self.smallTown = smallTown
        self.developed = developed
        self.floorPerTownship = floorPerTownship
    }

    /// What a township with these attributes weighs.
    public func weight(tags: Set<KeyAreaTag>, committeeMembers: Int, youthPopulation: Int?) -> Double {
        var weight = base + perCommitteeMember * Double(committeeMembers) + perThousandYouth * Double(youthPopulation ?? 0) / 1000
        if tags.contains(.countySeat) { weight += countySeat }
        if tags.contains(.smallTown) { weight += smallTown }
        if tags.contains(.developed) { weight += developed }
        return weight
    }

    /// Refuses negative or non-numeric parts, naming the field.
    public func validate() throws {
        let parts: [(String, Double)] = [("基础权重", base), ("每名委员", perCommitteeMember), ("每千名青年", perThousandYouth),
                                         ("城关镇加权", countySeat), ("小城镇加权", smallTown), ("经济发达乡镇加权", developed)]
        for (name, value) in parts where !(value.isFinite && value >= 0) {
            throw InvalidInput(field: name, reason: "应为不小于 0 的数（现为 \(value)）")
        }
        guard floorPerTownship >= 0 else { throw InvalidInput(field: "每乡镇保底", reason: "不能为负数（\(floorPerTownship)）") }
    }
}
