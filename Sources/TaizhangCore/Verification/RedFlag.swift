/// What kind of warning a red flag (数据预警) raises about the ledger.
public enum RedFlagKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// Two names in one township that differ only in width, spaces, a suffix or a character or two.
    case nearDuplicateName = "near_duplicate_name"
    /// The same name (after normalization) in different townships of one county.
    case duplicateAcrossTownships = "duplicate_across_townships"
    /// One phone number as secretary or acting secretary of many organizations.
    case sharedPhone = "shared_phone"
    /// Far more records created just before a deadline or cut-off than the township's own usual rate.
    case lateBurst = "late_burst"
    case tooFewMembers = "too_few_members"
    case fewerYouthThanMembers = "fewer_youth_than_members"
    case datesOutOfOrder = "dates_out_of_order"
    case foundedWithoutSecretary = "founded_without_secretary"

    public var label: String {
        switch self {
        case .nearDuplicateName: "乡镇内名称相近"
        case .duplicateAcrossTownships: "跨乡镇重名"
        case .sharedPhone: "电话多处使用"
        case .lateBurst: "截止前突击录入"
        case .tooFewMembers: "团员数不足"
        case .fewerYouthThanMembers: "青年数少于团员数"
        case .datesOutOfOrder: "日期异常"
        case .foundedWithoutSecretary: "已建立但无书记"
        }
    }
}

/// One warning about the ledger, with the sentence that explains it and the records it concerns.
public struct RedFlag: Sendable, Hashable, Codable {
    public private(set) var kind: RedFlagKind
    /// The organizations concerned, sorted.
    public private(set) var codes: [String]
    /// What the flag is about beyond its records, when they alone do not name it (a burst:
    /// the township and the cut-off day, so that a record added to the burst later does not
    /// make a dismissed burst come back as a new flag).
    public private(set) var subject: String?
    /// The township paths of the records (each once, sorted): the flag is listed under each.
    public var townshipPaths: [String]
    /// The explanation a cadre reads, with the numbers that raised the flag.
    public var sentence: String

    public init(kind: RedFlagKind, codes: [String], subject: String? = nil, townshipPaths: [String], sentence: String) {
        self.kind = kind
        self.codes = codes.sorted()
        self.subject = subject
        self.townshipPaths = Array(Set(townshipPaths)).sorted()
        self.sentence = sentence
        id = Self.identity(kind: kind, codes: self.codes, subject: subject)
    }

    /// A stable identity: the same kind over the same organizations (or subject) is the same flag
    /// whenever it is computed, so a dismissal sticks; a change in who is concerned makes a new flag.
    /// Computed once, when the flag is made (sorting and listing a city's flags ask for it often).
    public private(set) var id: String

    public static func identity(kind: RedFlagKind, codes: [String], subject: String?) -> String {
        let key = kind.rawValue + "|" + (subject ?? codes.sorted().joined(separator: ","))
        return String(SHA256.hex(key).prefix(32))
    }
}
