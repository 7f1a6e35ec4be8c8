/// Plausibility checks on an organization. Refusals stop a save; warnings are shown and
/// recorded but let it through. The warning thresholds are settings of the deployment.
public struct OrganizationChecks: Sendable {
    /// A 团支部 with fewer league members than this gets a warning; 0 turns the check off.
    public var minimumBranchMembers: Int
    /// Warn when the founding date lies before the 筹建 approval.
    public var warnFoundingBeforeApproval: Bool

    public init(minimumBranchMembers: Int = 3, warnFoundingBeforeApproval: Bool = true) {
        self.minimumBranchMembers = minimumBranchMembers
        self.warnFoundingBeforeApproval = warnFoundingBeforeApproval
    }

    /// From the settings `TAIZHANG_MIN_BRANCH_MEMBERS` and `TAIZHANG_WARN_FOUNDING_BEFORE_APPROVAL`
    /// (是/否), as the executable read them at start-up; a value that is not one is refused by name.
    public init(settings: [String: String]) throws {
        self.init()
        if let text = settings["TAIZHANG_MIN_BRANCH_MEMBERS"]?.nilIfBlank {
            guard let value = Int(text), value >= 0 else {
                throw InvalidInput(field: "TAIZHANG_MIN_BRANCH_MEMBERS", reason: "「\(text)」应为不小于 0 的整数")
            }
            minimumBranchMembers = value
        }
        if let text = settings["TAIZHANG_WARN_FOUNDING_BEFORE_APPROVAL"]?.nilIfBlank {
            warnFoundingBeforeApproval = try ValueParser.bool(text, field: "TAIZHANG_WARN_FOUNDING_BEFORE_APPROVAL")
        }
    }

    /// The first reason the record cannot be saved, as the field and why.
    public func refusals(_ fields: OrganizationFields, today: CalendarDay) -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if fields.name.nilIfBlank == nil { problems.append(InvalidInput(field: "团组织名称", reason: "不能为空")) }
        if fields.name.count > 100 { problems.append(InvalidInput(field: "团组织名称", reason: "不能超过 100 个字")) }
        for (label, day) in [("筹建批复日期", fields.preparationApprovedOn), ("成立日期", fields.foundedOn)] {
            if let day, day > today {
                problems.append(InvalidInput(field: label, reason: "\(day) 晚于今天（\(today)），不能填写将来的日期"))
            }
        }
        if fields.stage == .founded, fields.foundedOn == nil {
            problems.append(InvalidInput(field: "成立日期", reason: "建设阶段为「已建立」时必须填写成立日期"))
        }
        for (label, count) in [("团员数", fields.memberCount), ("青年数", fields.youthCount)] {
            if let count, count < 0 || count > 100_000 {
                problems.append(InvalidInput(field: label, reason: "「\(count)」不在 0 到 100000 之间"))
            }
        }
        for (label, phone) in [("书记电话", fields.secretaryPhone), ("代理书记电话", fields.actingSecretaryPhone)] {
            if let phone, !Self.isPlausiblePhone(phone) {
                problems.append(InvalidInput(field: label, reason: "「\(phone)」不像电话号码（应为 7–20 位数字，可含 - 和空格）"))
            }
        }
        return problems
    }

    /// Things worth a second look that do not stop a save.
    public func warnings(_ fields: OrganizationFields) -> [String] {
        var warnings: [String] = []
        if minimumBranchMembers > 0, fields.orgType == "团支部", let members = fields.memberCount, members < minimumBranchMembers,
           !fields.stage.isEnded {
            warnings.append("团支部团员数为 \(members)，少于 \(minimumBranchMembers) 人")
        }
        if warnFoundingBeforeApproval, let founded = fields.foundedOn, let approved = fields.preparationApprovedOn, founded < approved {
            warnings.append("成立日期 \(founded) 早于筹建批复日期 \(approved)")
        }
        if fields.stage == .founded, fields.secretaryName?.nilIfBlank == nil, (fields.memberCount ?? 0) == 0 {
            warnings.append("已建立，但没有填写书记，团员数也为空或 0：请核实这个团组织是否真的建立")
        }
        return warnings
    }

    static func isPlausiblePhone(_ text: String) -> Bool {
        let digits = text.utf8.count { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        let allowed = text.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: " ")
                || byte == UInt8(ascii: "+")
        }
        return allowed && (7...20).contains(digits)
    }
}
