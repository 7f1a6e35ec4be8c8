import Foundation

/// What the report does about a township that lags (三.3): calls its people in (工作约谈), holds a
/// meeting (调度会, 现场推进会), or sends someone to inspect (督导). Each is recorded with who, when,
/// what was said or decided, and — for an interview — what was promised by when.
public enum EscalationKind: String, Codable, Sendable, CaseIterable, Hashable {
    case interview
    case dispatchMeeting = "dispatch_meeting"
    case siteMeeting = "site_meeting"
    case inspection

    public var label: String {
        switch self {
        case .interview: "工作约谈"
        case .dispatchMeeting: "调度会"
        case .siteMeeting: "现场推进会"
        case .inspection: "督导"
        }
    }

    public var isMeeting: Bool { self == .dispatchMeeting || self == .siteMeeting }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let kind = EscalationKind(rawValue: t) { self = kind; return }
        guard let kind = EscalationKind.allCases.first(where: { $0.label == t }) else { return nil }
        self = kind
    }

    /// The item source a decision or finding of this kind becomes.
    public var itemSource: SupervisionSource {
        switch self {
        case .interview: .interview
        case .dispatchMeeting, .siteMeeting: .meeting
        case .inspection: .inspection
        }
    }
}

/// One recorded escalation.
public struct Escalation: Sendable, Hashable, Codable {
    public var id: Int
    public var kind: EscalationKind
    public var campaignID: Int?
    /// The township (or county, for a county-wide meeting) it concerns.
    public var divisionCode: String
    public var divisionPath: String
    public var heldOn: CalendarDay
    public var place: String
    /// Interview: who was interviewed; meeting: the attending units; inspection: who was inspected.
    public var participants: String
    /// Who held it (e.g. 市团委副书记 王某).
    public var heldBy: String
    /// What was said, found or decided.
    public var summary: String
    /// Interview: what was promised, and by when.
    public var promise: String?
    public var promisedBy: CalendarDay?
    public var recordedBy: String
    public var recordedAt: Date

    public init(id: Int, kind: EscalationKind, campaignID: Int?, divisionCode: String, divisionPath: String, heldOn: CalendarDay,
                place: String, participants: String, heldBy: String, summary: String, promise: String?, promisedBy: CalendarDay?,
                recordedBy: String, recordedAt: Date) {
        self.id = id
        self.kind = kind
        self.campaignID = campaignID
        self.divisionCode = divisionCode
        self.divisionPath = divisionPath
        self.heldOn = heldOn
        self.place = place
        self.participants = participants
        self.heldBy = heldBy
        self.summary = summary
        self.promise = promise
        self.promisedBy = promisedBy
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// A new escalation as a form gives it; a meeting's decisions each become a supervision item.
public struct EscalationDraft: Sendable, Hashable {
    public struct Decision: Sendable, Hashable {
        public var title: String
        public var ownerUnit: String
        public var responsibleName: String
        public var deadline: CalendarDay

        public init(title: String, ownerUnit: String, responsibleName: String, deadline: CalendarDay) {
            self.title = title
            self.ownerUnit = ownerUnit
            self.responsibleName = responsibleName
            self.deadline = deadline
        }
    }

    public var kind: EscalationKind
    public var campaignID: Int?
    public var divisionCode: String
    public var heldOn: CalendarDay
    public var place: String
    public var participants: String
    public var heldBy: String
    public var summary: String
    public var promise: String?
    public var promisedBy: CalendarDay?
    public var decisions: [Decision]

    public init(kind: EscalationKind, campaignID: Int?, divisionCode: String, heldOn: CalendarDay, place: String = "", participants: String,
                heldBy: String, summary: String, promise: String? = nil, promisedBy: CalendarDay? = nil, decisions: [Decision] = []) {
        self.kind = kind
        self.campaignID = campaignID
        self.divisionCode = divisionCode
        self.heldOn = heldOn
        self.place = place
        self.participants = participants
        self.heldBy = heldBy
        self.summary = summary
        self.promise = promise
        self.promisedBy = promisedBy
        self.decisions = decisions
    }

    public func problems(today: CalendarDay) -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if heldOn > today { problems.append(InvalidInput(field: "日期", reason: "\(heldOn) 晚于今天（\(today)）；请记录已经举行的\(kind.label)")) }
        if participants.isBlank {
            problems.append(InvalidInput(field: kind == .interview ? "约谈对象" : "参加单位", reason: "请填写"))
        }
        if heldBy.isBlank { problems.append(InvalidInput(field: kind == .interview ? "约谈人" : "主持人", reason: "请填写")) }
        if summary.isBlank { problems.append(InvalidInput(field: kind.isMeeting ? "会议内容" : "情况", reason: "请填写")) }
        if let promisedBy, promisedBy < heldOn {
            problems.append(InvalidInput(field: "承诺期限", reason: "\(promisedBy) 早于\(kind.label)日期 \(heldOn)"))
        }
        for (index, decision) in decisions.enumerated() {
            if decision.title.isBlank { problems.append(InvalidInput(field: "第 \(index + 1) 项决定", reason: "请写明决定事项")) }
            if decision.responsibleName.isBlank { problems.append(InvalidInput(field: "第 \(index + 1) 项决定的责任人", reason: "请填写")) }
            if decision.deadline < heldOn {
                problems.append(InvalidInput(field: "第 \(index + 1) 项决定的期限", reason: "\(decision.deadline) 早于会议日期 \(heldOn)"))
            }
        }
        return problems
    }
}
