/// Reference lists an administrator may extend: organization types, unit categories, build
/// modes and the kinds of brand activity. The built-in values are those of the 2012 campaign.
public enum ReferenceKind: String, Codable, Sendable, CaseIterable {
    case orgType = "org_type"
    case unitCategory = "unit_category"
    case buildMode = "build_mode"
    case activityKind = "activity_kind"

    public var label: String {
        switch self {
        case .orgType: "组织类型"
        case .unitCategory: "单位类别"
        case .buildMode: "建团方式"
        case .activityKind: "活动类型"
        }
    }

    public var builtinValues: [String] {
        switch self {
        case .orgType: ["团委", "团工委", "团总支", "团支部"]
        case .unitCategory: ["乡镇政府内设站所", "部门派驻乡镇机构", "个体工商户", "农村专业合作组织", "青年自组织", "工业园区", "非公企业", "学校", "其他"]
        case .buildMode: ["单独建团", "联合建团", "街区建团", "市场建团", "楼宇建团", "社团建团", "行业建团", "园区建团"]
        case .activityKind: ActivityKind.builtinValues
        }
    }

    /// The value in `values` that `text` names: exactly, a build mode without its 建团 suffix
    /// (联合 = 联合建团), or an activity kind without its 服务 (the ledger's 青年志愿者).
    public func match(_ text: String, in values: [String]) -> String? {
        let t = ValueParser.withoutSpaces(ValueParser.normalize(text))
        if values.contains(t) { return t }
        if self == .buildMode, values.contains(t + "建团") { return t + "建团" }
        if self == .activityKind, values.contains(t + "服务") { return t + "服务" }
        return nil
    }
}

/// 新建 (founded by the township) or 联系指导 (a county department's existing organization
/// the township only guides: 活动属地化).
public enum GuidanceKind: String, Codable, Sendable, CaseIterable {
    case newlyBuilt = "new"
    case guidedOnly = "guided"

    public var label: String {
        switch self {
        case .newlyBuilt: "新建"
        case .guidedOnly: "联系指导"
        }
    }

    public init?(text: String) {
        let t = ValueParser.normalize(text)
        if let kind = GuidanceKind(rawValue: t) { self = kind; return }
        switch t {
        case "新建", "": self = .newlyBuilt
        case "联系指导", "指导", "联系": self = .guidedOnly
        default: return nil
        }
    }
}

/// Activities that prepare the ground for an organization.
public enum BrandActivity: String, Codable, Sendable, CaseIterable {
    case civilizedPost = "civilized_post"
    case shockTeam = "shock_team"
    case volunteers = "volunteers"

    public var label: String {
        switch self {
        case .civilizedPost: "青年文明号"
        case .shockTeam: "青年突击队"
        case .volunteers: "青年志愿者"
        }
    }

    public init?(text: String) {
        let t = ValueParser.normalize(text)
        guard let activity = BrandActivity(rawValue: t) ?? BrandActivity.allCases.first(where: { $0.label == t }) else { return nil }
        self = activity
    }

    /// "青年文明号、青年志愿者" in a stable order.
    public static func text(_ activities: Set<BrandActivity>) -> String {
        allCases.filter(activities.contains).map(\.label).joined(separator: "、")
    }

    /// Reads a list separated by 、，,；; or spaces.
    public static func parse(_ text: String, field: String) throws -> Set<BrandActivity> {
        var result: Set<BrandActivity> = []
        for part in ListText.split(text) {
            guard let activity = BrandActivity(text: part) else {
                throw InvalidInput(field: field, reason: "未知品牌工作「\(part)」，可填 青年文明号、青年突击队、青年志愿者")
            }
            result.insert(activity)
        }
        return result
    }
}

/// Lists typed into one cell: 、 ， , ； ; or line breaks between items.
public enum ListText {
    public static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { "、，,；;\n".contains($0) })
            .map { String($0).trimmedWhitespace }
            .filter { !$0.isEmpty }
    }
}
