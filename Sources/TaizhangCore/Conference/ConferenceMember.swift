/// A unit that sits on a township's joint conference (团建联席会 成员单位).
public struct ConferenceMember: Sendable, Hashable, Codable {
    public var id: Int
    public var townshipCode: String
    public var name: String
    public var unitCategory: String
    public var contactName: String
    public var contactPhone: String
    public var delegate: String
    /// The unit's organization in the ledger, once it has one.
    public var organizationCode: String?
    public var joinedOn: CalendarDay
    /// The last day as a member, inclusive.
    public var leftOn: CalendarDay?

    public init(id: Int, townshipCode: String, name: String, unitCategory: String, contactName: String, contactPhone: String,
                delegate: String, organizationCode: String?, joinedOn: CalendarDay, leftOn: CalendarDay?) {
        self.id = id
        self.townshipCode = townshipCode
        self.name = name
        self.unitCategory = unitCategory
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.delegate = delegate
        self.organizationCode = organizationCode
        self.joinedOn = joinedOn
        self.leftOn = leftOn
    }

    /// Whether the unit was a member on `day`.
    public func isMember(on day: CalendarDay) -> Bool {
        joinedOn <= day && leftOn.map { day <= $0 } ?? true
    }
}

/// A member unit as a form or the API gives it, checked before anything is written.
public struct ConferenceMemberDraft: Sendable, Hashable, Codable {
    public var townshipCode: String
    public var name: String
    public var unitCategory: String
    public var contactName: String
    public var contactPhone: String
    public var delegate: String
    public var organizationCode: String?
    public var joinedOn: CalendarDay

    public init(townshipCode: String, name: String, unitCategory: String, contactName: String = "", contactPhone: String = "",
                delegate: String = "", organizationCode: String? = nil, joinedOn: CalendarDay) {
        self.townshipCode = townshipCode
        self.name = name
        self.unitCategory = unitCategory
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.delegate = delegate
        self.organizationCode = organizationCode
        self.joinedOn = joinedOn
    }

    /// What is wrong with the draft itself; `categories` are the ledger's unit categories.
    public func problems(categories: [String], today: CalendarDay) -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if name.isBlank { problems.append(InvalidInput(field: "单位名称", reason: "请填写成员单位的名称")) }
        if !categories.contains(unitCategory) {
            problems.append(InvalidInput(field: "单位类别", reason: "「\(unitCategory)」不在单位类别里（\(categories.joined(separator: "、"))）"))
        }
        if joinedOn > today { problems.append(InvalidInput(field: "加入日期", reason: "\(joinedOn) 晚于今天（\(today)）")) }
        return problems
    }
}
