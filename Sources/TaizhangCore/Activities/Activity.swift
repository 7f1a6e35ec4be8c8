import Foundation

/// A brand activity held in a township, with the units it reached.
public struct Activity: Sendable, Hashable, Codable {
    /// A unit the activity reached: a conference member, an organization of the ledger, or only a name.
    public struct Unit: Sendable, Hashable, Codable {
        public var name: String
        public var memberID: Int?
        public var organizationCode: String?

        public init(name: String, memberID: Int? = nil, organizationCode: String? = nil) {
            self.name = name
            self.memberID = memberID
            self.organizationCode = organizationCode
        }
    }

    public var id: Int
    public var townshipCode: String
    public var kind: String
    public var title: String
    public var heldOn: CalendarDay
    public var organizer: String
    public var youthReached: Int
    public var notes: String
    public var units: [Unit]
    public var recordedBy: String

    public init(id: Int, townshipCode: String, kind: String, title: String, heldOn: CalendarDay, organizer: String, youthReached: Int,
                notes: String, units: [Unit], recordedBy: String) {
        self.id = id
        self.townshipCode = townshipCode
        self.kind = kind
        self.title = title
        self.heldOn = heldOn
        self.organizer = organizer
        self.youthReached = youthReached
        self.notes = notes
        self.units = units
        self.recordedBy = recordedBy
    }
}

/// An activity as the form or the API gives it, checked before anything is written.
public struct ActivityDraft: Sendable, Hashable, Codable {
    public var townshipCode: String
    public var kind: String
    public var title: String
    public var heldOn: CalendarDay
    public var organizer: String
    public var youthReached: Int
    public var notes: String
    public var units: [Activity.Unit]

    public init(townshipCode: String, kind: String, title: String, heldOn: CalendarDay, organizer: String, youthReached: Int,
                notes: String = "", units: [Activity.Unit]) {
        self.townshipCode = townshipCode
        self.kind = kind
        self.title = title
        self.heldOn = heldOn
        self.organizer = organizer
        self.youthReached = youthReached
        self.notes = notes
        self.units = units
    }

    /// What is wrong with the draft, checked against the activity kinds of the reference list.
    public func problems(today: CalendarDay, kinds: [String] = ActivityKind.builtinValues) -> [InvalidInput] {
        var problems: [InvalidInput] = []
        let matched = ActivityKind.match(kind, in: kinds)
        if matched == nil {
            problems.append(InvalidInput(field: "活动类型", reason: "「\(kind)」不是活动类型（\(kinds.joined(separator: "、"))）"))
        }
        if matched == ActivityKind.other && notes.isBlank { problems.append(InvalidInput(field: "备注", reason: "活动类型为「其他」时请在备注里写明是什么活动")) }
        if title.isBlank { problems.append(InvalidInput(field: "活动名称", reason: "请填写活动名称")) }
        if heldOn > today { problems.append(InvalidInput(field: "活动日期", reason: "\(heldOn) 晚于今天（\(today)）；请记录已经举办的活动")) }
        if organizer.isBlank { problems.append(InvalidInput(field: "组织者", reason: "请填写组织者")) }
        if youthReached < 0 { problems.append(InvalidInput(field: "覆盖青年人数", reason: "不能为负数（\(youthReached)）")) }
        if units.isEmpty { problems.append(InvalidInput(field: "参与单位", reason: "请至少写一个参与单位")) }
        for (index, unit) in units.enumerated() where unit.name.isBlank && unit.memberID == nil && unit.organizationCode?.nilIfBlank == nil {
            problems.append(InvalidInput(field: "第 \(index + 1) 个参与单位", reason: "请填写单位名称"))
        }
        return problems
    }
}
