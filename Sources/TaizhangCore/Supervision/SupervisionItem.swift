import Foundation

/// A problem someone must fix by a day (督办事项): what it is, which division (a township, or a
/// county for county-wide problems) owns it, who answers for it, and where it came from.
public struct SupervisionItem: Sendable, Hashable, Codable {
    public var id: Int
    public var campaignID: Int?
    public var divisionCode: String
    public var divisionPath: String
    public var title: String
    public var detail: String
    /// The unit that must act, as written (e.g. 安海镇团委、某某公司).
    public var ownerUnit: String
    public var responsibleName: String
    public var responsibleUserID: String?
    public var raisedOn: CalendarDay
    public var deadline: CalendarDay
    public var state: SupervisionState
    public var source: SupervisionSource
    /// The source's identifier (a visit or escalation number, an organization code, a period key).
    public var sourceRef: String?
    public var raisedBy: String
    public var raisedByID: String?
    public var result: String?
    public var closedBy: String?
    public var closedAt: Date?
    public var returnReason: String?

    public init(id: Int, campaignID: Int?, divisionCode: String, divisionPath: String, title: String, detail: String, ownerUnit: String,
                responsibleName: String, responsibleUserID: String?, raisedOn: CalendarDay, deadline: CalendarDay, state: SupervisionState,
                source: SupervisionSource, sourceRef: String?, raisedBy: String, raisedByID: String?, result: String?, closedBy: String?,
                closedAt: Date?, returnReason: String?) {
        self.id = id
        self.campaignID = campaignID
        self.divisionCode = divisionCode
        self.divisionPath = divisionPath
        self.title = title
        self.detail = detail
        self.ownerUnit = ownerUnit
        self.responsibleName = responsibleName
        self.responsibleUserID = responsibleUserID
        self.raisedOn = raisedOn
        self.deadline = deadline
        self.state = state
        self.source = source
        self.sourceRef = sourceRef
        self.raisedBy = raisedBy
        self.raisedByID = raisedByID
        self.result = result
        self.closedBy = closedBy
        self.closedAt = closedAt
        self.returnReason = returnReason
    }

    /// The instant the item falls overdue: the end of its deadline day, 0:00:00 Asia/Shanghai of the next day.
    public var overdueFrom: Date { deadline.endInShanghai }

    /// Open past the end of its deadline day.
    public func isOverdue(at instant: Date) -> Bool {
        state.isOpen && instant >= overdueFrom
    }

    /// 待办, 办理中, 已退回, or 逾期 in front of them when overdue.
    public func statusLabel(at instant: Date) -> String {
        isOverdue(at: instant) ? "逾期（\(state.label)）" : state.label
    }
}

/// A new item as a form or API call gives it, checked before anything is written.
public struct SupervisionItemDraft: Sendable, Hashable {
    public var campaignID: Int?
    public var divisionCode: String
    public var title: String
    public var detail: String
    public var ownerUnit: String
    public var responsibleName: String
    public var responsibleUserID: String?
    public var raisedOn: CalendarDay
    public var deadline: CalendarDay
    public var source: SupervisionSource
    public var sourceRef: String?

    public init(campaignID: Int?, divisionCode: String, title: String, detail: String = "", ownerUnit: String = "", responsibleName: String,
                responsibleUserID: String? = nil, raisedOn: CalendarDay, deadline: CalendarDay, source: SupervisionSource, sourceRef: String? = nil) {
        self.campaignID = campaignID
        self.divisionCode = divisionCode
        self.title = title
        self.detail = detail
        self.ownerUnit = ownerUnit
        self.responsibleName = responsibleName
        self.responsibleUserID = responsibleUserID
        self.raisedOn = raisedOn
        self.deadline = deadline
        self.source = source
        self.sourceRef = sourceRef
    }

    public func problems(today: CalendarDay) -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if title.isBlank { problems.append(InvalidInput(field: "事项", reason: "请写明要解决的问题")) }
        if title.count > 200 { problems.append(InvalidInput(field: "事项", reason: "不超过 200 个字（现有 \(title.count) 个）")) }
        if responsibleName.isBlank { problems.append(InvalidInput(field: "责任人", reason: "请填写责任人姓名")) }
        if raisedOn > today { problems.append(InvalidInput(field: "提出日期", reason: "\(raisedOn) 晚于今天（\(today)）")) }
        if deadline < raisedOn { problems.append(InvalidInput(field: "办结期限", reason: "\(deadline) 早于提出日期 \(raisedOn)")) }
        return problems
    }
}
