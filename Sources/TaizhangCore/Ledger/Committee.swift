/// A seat on the township committee (大团委).
public enum CommitteePosition: String, Codable, Sendable, CaseIterable {
    case secretary
    case deputySecretary = "deputy_secretary"
    case member

    public var label: String {
        switch self {
        case .secretary: "书记"
        case .deputySecretary: "副书记"
        case .member: "委员"
        }
    }

    public init?(text: String) {
        let t = ValueParser.normalize(text)
        guard let position = CommitteePosition(rawValue: t) ?? CommitteePosition.allCases.first(where: { $0.label == t }) else { return nil }
        self = position
    }
}

/// Where excellent young people come from (优秀青年).
public enum TalentCategory: String, Codable, Sendable, CaseIterable {
    case villageOfficial = "village_official"
    case selectedGraduate = "selected_graduate"
    case recruitedGraduate = "recruited_graduate"
    case schoolLeagueCadre = "school_league_cadre"
    case entrepreneur
    case prosperityLeader = "prosperity_leader"
    case newCivilServant = "new_civil_servant"

    public var label: String {
        switch self {
        case .villageOfficial: "大学生村官"
        case .selectedGraduate: "选调生"
        case .recruitedGraduate: "选聘生"
        case .schoolLeagueCadre: "学校团干部"
        case .entrepreneur: "创业青年"
        case .prosperityLeader: "青年致富带头人"
        case .newCivilServant: "新进机关事业单位青年"
        }
    }

    public init?(text: String) {
        let t = ValueParser.normalize(text)
        guard let category = TalentCategory(rawValue: t) ?? TalentCategory.allCases.first(where: { $0.label == t }) else { return nil }
        self = category
    }
}

/// What a talent is named to in an organization.
public enum TalentRole: String, Codable, Sendable, CaseIterable {
    case instructor
    case secretary
    case actingSecretary = "acting_secretary"

    public var label: String {
        switch self {
        case .instructor: "团建指导员"
        case .secretary: "兼任书记"
        case .actingSecretary: "代理书记"
        }
    }
}
