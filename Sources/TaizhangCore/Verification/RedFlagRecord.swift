/// What the red flags read of one organization that has not ended (撤销 and 合并 are left out:
/// a merged organization shares its name and people with the one it joined).
public struct RedFlagRecord: Sendable, Equatable {
    public var code: String
    public var name: String
    /// The township's path (its last code is the township, the one before its county or zone).
    public var townshipPath: String
    public var orgType: String
    public var stage: Stage
    public var preparationApprovedOn: CalendarDay?
    public var foundedOn: CalendarDay?
    public var secretaryName: String?
    public var secretaryPhone: String?
    public var actingSecretaryPhone: String?
    public var memberCount: Int?
    public var youthCount: Int?

    public init(code: String, name: String, townshipPath: String, orgType: String = "团支部", stage: Stage = .founded,
                preparationApprovedOn: CalendarDay? = nil, foundedOn: CalendarDay? = nil, secretaryName: String? = nil,
                secretaryPhone: String? = nil, actingSecretaryPhone: String? = nil, memberCount: Int? = nil, youthCount: Int? = nil) {
        self.code = code
        self.name = name
        self.townshipPath = townshipPath
        self.orgType = orgType
        self.stage = stage
        self.preparationApprovedOn = preparationApprovedOn
        self.foundedOn = foundedOn
        self.secretaryName = secretaryName
        self.secretaryPhone = secretaryPhone
        self.actingSecretaryPhone = actingSecretaryPhone
        self.memberCount = memberCount
        self.youthCount = youthCount
    }

    /// The county's (or management zone's) path: the township's without its last code.
    public var countyPath: String { Self.parentPath(townshipPath) }

    static func parentPath(_ path: String) -> String {
        var parts = path.split(separator: "/")
        guard !parts.isEmpty else { return path }
        parts.removeLast()
        return parts.isEmpty ? "" : parts.joined(separator: "/") + "/"
    }
}

/// The checks one record fails on its own: too few members, fewer youth than members, dates out
/// of order, founded without a secretary.
public enum RedFlagRecordChecks {
    public static func flags(_ record: RedFlagRecord, settings: RedFlagSettings, today: CalendarDay) -> [RedFlag] {
        guard !record.stage.isEnded else { return [] }
        var flags: [RedFlag] = []
        func flag(_ kind: RedFlagKind, _ sentence: String) {
            flags.append(RedFlag(kind: kind, codes: [record.code], townshipPaths: [record.townshipPath], sentence: "「\(record.name)」" + sentence))
        }
        if let members = record.memberCount, let minimum = settings.minimumMembers[record.orgType], members < minimum {
            flag(.tooFewMembers, "是\(record.orgType)，团员数 \(members) 人，少于\(record.orgType)至少应有的 \(minimum) 人。")
        }
        if let members = record.memberCount, let youth = record.youthCount, youth < members {
            flag(.fewerYouthThanMembers, "青年数 \(youth) 人少于团员数 \(members) 人（团员都是青年，青年数应不少于团员数）。")
        }
        var dates: [String] = []
        if let approved = record.preparationApprovedOn, let founded = record.foundedOn, founded < approved {
            dates.append("成立日期 \(founded) 早于筹建批复日期 \(approved)")
        }
        if let approved = record.preparationApprovedOn, approved > today { dates.append("筹建批复日期 \(approved) 晚于今天（\(today)）") }
        if let founded = record.foundedOn, founded > today { dates.append("成立日期 \(founded) 晚于今天（\(today)）") }
        if let founded = record.foundedOn, let rank = record.stage.rank, rank < 3 {
            dates.append("建设阶段为「\(record.stage.label)」，却填了成立日期 \(founded)")
        }
        if !dates.isEmpty { flag(.datesOutOfOrder, dates.joined(separator: "；") + "。") }
        if record.stage == .founded, record.secretaryName?.nilIfBlank == nil {
            flag(.foundedWithoutSecretary, "已建立，但没有填写书记。")
        }
        return flags
    }
}
