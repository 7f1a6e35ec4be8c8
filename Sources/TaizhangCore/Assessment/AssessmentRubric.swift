/// A rubric (考评方案) for one year and level: the indicators (weights summing to 100), who is
/// eligible, the star quotas, the declared tie-break and the appeal window. Everything a
/// published ranking needs to be reproduced is in here.
public struct AssessmentRubric: Codable, Sendable, Equatable {
    public var indicators: [AssessmentIndicator]
    public var eligibility: AssessmentEligibility
    public var quotas: StarQuotas
    /// After the total: these measured values, highest first, then the unit code (lowest first).
    public var tieBreak: [MeasuredIndicator]
    /// Days after publication within which a unit may appeal (申诉).
    public var appealDays: Int

    public init(indicators: [AssessmentIndicator], eligibility: AssessmentEligibility = .init(), quotas: StarQuotas = .init(),
                tieBreak: [MeasuredIndicator] = [.completion, .reportsOnTime], appealDays: Int = 7) {
        self.indicators = indicators
        self.eligibility = eligibility
        self.quotas = quotas
        self.tieBreak = tieBreak
        self.appealDays = appealDays
    }

    /// The rubric a new assessment starts from (the city's scorecard of its counties in 2012).
    public static let standard = AssessmentRubric(indicators: [
        .measured("i1", "目标任务完成情况", weight: 40, .completion, .linear(floor: 60, full: 100)),
        .measured("i2", "按时报送情况", weight: 15, .reportsOnTime, .linear(floor: 50, full: 100)),
        .measured("i3", "两级核查情况", weight: 10, .verificationPass, .linear(floor: 40, full: 90)),
        .measured("i4", "数据抽查情况", weight: 10, .spotCheckReal, .linear(floor: 80, full: 100)),
        .measured("i5", "工作进度排名", weight: 5, .completion, .rank(top: 3, step: 0.5)),
        .checked("i6", "组织领导与工作机制", weight: 10, guidance: "领导小组、挂钩联系、调度会和推进会的材料"),
        .checked("i7", "阵地建设与品牌活动", weight: 10, guidance: "大团委阵地、青年文明号、青年突击队、志愿服务的现场和材料"),
    ])

    /// The rubric an organizations' rating (对标定级) in a township starts from: checked items only — each
    /// organization scores itself, the committee reviews — eligible after six months, no target needed.
    public static let organizationStandard = AssessmentRubric(indicators: [
        .checked("o1", "组织设置", weight: 15, guidance: "按期换届、组织关系清晰、批复文件齐全"),
        .checked("o2", "班子建设", weight: 20, guidance: "书记和委员配齐、分工明确、联系方式有效"),
        .checked("o3", "团员管理", weight: 20, guidance: "团员信息完整、按时交纳团费、团籍注册和组织关系转接"),
        .checked("o4", "组织生活", weight: 20, guidance: "“三会两制一课”和主题团日的记录"),
        .checked("o5", "作用发挥", weight: 25, guidance: "服务青年、志愿服务、参与本单位中心工作的事例和材料"),
    ], eligibility: AssessmentEligibility(requiresTarget: false, minimumMonths: 6), tieBreak: [])

    public var totalWeight: Int { indicators.map(\.weight).reduce(0, +) }

    public func indicator(_ key: String) -> AssessmentIndicator? { indicators.first { $0.key == key } }

    /// The tie-break in words: "总分相同时依次比较目标完成率、按时报送率（高者在前），再按单位代码".
    public var tieBreakSentence: String {
        let values = tieBreak.map(\.label)
        return values.isEmpty ? "总分相同时按单位代码（小者在前）排序"
            : "总分相同时依次比较\(values.joined(separator: "、"))（高者在前），仍相同按单位代码（小者在前）排序"
    }

    /// Every problem, each naming the field it is in; empty when the rubric can be saved. Organizations
    /// (对标定级) have no measured figures: their rubric holds checked items only and no data tie-break.
    public func problems(forOrganizations: Bool = false) -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if forOrganizations {
            for (index, indicator) in indicators.enumerated() where indicator.kind == .measured {
                problems.append(.init(field: "第 \(index + 1) 项指标「\(indicator.name)」类型",
                                      reason: "团组织对标定级只用检查类指标（自评、审核），团组织没有目标完成率等数据"))
            }
            if !tieBreak.isEmpty { problems.append(.init(field: "并列规则", reason: "团组织对标定级总分相同时按组织编码排序，不比较数据")) }
            if eligibility.requiresTarget { problems.append(.init(field: "参评条件", reason: "团组织没有目标任务，请取消“须分配了目标任务”")) }
        }
        if indicators.isEmpty { problems.append(.init(field: "指标", reason: "至少需要一项指标")) }
        if indicators.count > 30 { problems.append(.init(field: "指标", reason: "最多 30 项（现有 \(indicators.count) 项）")) }
        var keys: Set<String> = []
        for (index, indicator) in indicators.enumerated() {
            let place = "第 \(index + 1) 项指标"
            if indicator.name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init(field: "\(place)名称", reason: "不能为空"))
            } else if indicator.name.count > 60 {
                problems.append(.init(field: "\(place)名称", reason: "不能超过 60 字"))
            }
            if indicator.key.isEmpty || !keys.insert(indicator.key).inserted {
                problems.append(.init(field: "\(place)编号", reason: "编号「\(indicator.key)」重复或为空"))
            }
            if !(1...100).contains(indicator.weight) {
                problems.append(.init(field: "\(place)「\(indicator.name)」分值", reason: "应在 1 到 100 之间（现为 \(indicator.weight)）"))
            }
            if indicator.kind == .measured {
                if indicator.measure == nil { problems.append(.init(field: "\(place)「\(indicator.name)」数据来源", reason: "请选择一项可计算的数据")) }
                if let curve = indicator.curve {
                    if let problem = curve.problem(weight: indicator.weight, unit: indicator.measure?.unit ?? "%") {
                        problems.append(.init(field: "\(place)「\(indicator.name)」计分方式", reason: problem))
                    }
                } else {
                    problems.append(.init(field: "\(place)「\(indicator.name)」计分方式", reason: "请选择线性或名次计分"))
                }
            }
        }
        if !indicators.isEmpty && totalWeight != 100 {
            problems.append(.init(field: "指标分值合计", reason: "各项分值合计应为 100 分，现为 \(totalWeight) 分"))
        }
        if let problem = quotas.problem { problems.append(.init(field: "星级名额", reason: problem)) }
        if let problem = eligibility.problem { problems.append(.init(field: "参评条件", reason: problem)) }
        if !(1...90).contains(appealDays) { problems.append(.init(field: "申诉期限", reason: "应在 1 到 90 天之间（现为 \(appealDays) 天）")) }
        if Set(tieBreak).count != tieBreak.count { problems.append(.init(field: "并列规则", reason: "同一项数据不能重复比较")) }
        return problems
    }
}

/// The quota caps on stars, as whole percentages of the eligible units, rounded down.
public struct StarQuotas: Codable, Sendable, Equatable {
    public var fiveStarPercent: Int
    public var fourOrBetterPercent: Int

    public init(fiveStarPercent: Int = 20, fourOrBetterPercent: Int = 60) {
        self.fiveStarPercent = fiveStarPercent
        self.fourOrBetterPercent = fourOrBetterPercent
    }

    /// floor(20% × eligible), computed in whole numbers so that 20% of 10 is exactly 2.
    public func fiveStarCap(eligible: Int) -> Int { fiveStarPercent * eligible / 100 }
    public func fourOrBetterCap(eligible: Int) -> Int { fourOrBetterPercent * eligible / 100 }

    var problem: String? {
        guard (0...100).contains(fiveStarPercent), (0...100).contains(fourOrBetterPercent) else { return "比例应在 0% 到 100% 之间" }
        guard fiveStarPercent <= fourOrBetterPercent else {
            return "五星级比例 \(fiveStarPercent)% 不能高于四星级及以上比例 \(fourOrBetterPercent)%"
        }
        return nil
    }

    public func sentence(eligible: Int) -> String {
        "五星级不超过参评单位数的 \(fiveStarPercent)%（\(eligible) × \(fiveStarPercent)% 向下取整 = \(fiveStarCap(eligible: eligible)) 个），"
            + "四星级及以上不超过 \(fourOrBetterPercent)%（\(eligible) × \(fourOrBetterPercent)% 向下取整 = \(fourOrBetterCap(eligible: eligible)) 个）"
    }
}
