/// A meeting as the form or the API gives it: the members present, new agenda items (each may
/// decide a follow-up), and what the meeting did with the follow-ups carried forward to it.
public struct ConferenceMeetingDraft: Sendable, Hashable, Codable {
    public struct Item: Sendable, Hashable, Codable {
        public var title: String
        public var discussion: String
        public var decision: String
        /// A follow-up decided here: the member unit that owns it and its deadline.
        public var followupOwnerID: Int?
        public var followupDeadline: CalendarDay?

        public init(title: String, discussion: String = "", decision: String = "", followupOwnerID: Int? = nil, followupDeadline: CalendarDay? = nil) {
            self.title = title
            self.discussion = discussion
            self.decision = decision
            self.followupOwnerID = followupOwnerID
            self.followupDeadline = followupDeadline
        }
    }

    /// A follow-up closed at this meeting, with what was done.
    public struct Closing: Sendable, Hashable, Codable {
        public var followupID: Int
        public var result: String

        public init(followupID: Int, result: String) {
            self.followupID = followupID
            self.result = result
        }
    }

    public var townshipCode: String
    public var heldOn: CalendarDay
    public var place: String
    public var chair: String
    public var notes: String
    public var presentMemberIDs: [Int]
    public var items: [Item]
    public var closings: [Closing]

    public init(townshipCode: String, heldOn: CalendarDay, place: String, chair: String = "", notes: String = "", presentMemberIDs: [Int],
                items: [Item], closings: [Closing] = []) {
        self.townshipCode = townshipCode
        self.heldOn = heldOn
        self.place = place
        self.chair = chair
        self.notes = notes
        self.presentMemberIDs = presentMemberIDs
        self.items = items
        self.closings = closings
    }

    /// What is wrong with the draft against the conference's members on the day and its open follow-ups.
    public func problems(members: [ConferenceMember], openFollowupIDs: Set<Int>, today: CalendarDay) -> [InvalidInput] {
        var problems: [InvalidInput] = []
        if heldOn > today { problems.append(InvalidInput(field: "会议日期", reason: "\(heldOn) 晚于今天（\(today)）；请记录已经召开的会议")) }
        if place.isBlank { problems.append(InvalidInput(field: "会议地点", reason: "请填写会议地点")) }
        let current = Dictionary(uniqueKeysWithValues: members.filter { $0.isMember(on: heldOn) }.map { ($0.id, $0) })
        let strangers = presentMemberIDs.filter { current[$0] == nil }
        if !strangers.isEmpty {
            problems.append(InvalidInput(field: "到会单位", reason: "编号 \(strangers.map(String.init).joined(separator: "、")) 不是 \(heldOn) 时的成员单位"))
        }
        if presentMemberIDs.isEmpty { problems.append(InvalidInput(field: "到会单位", reason: "请勾选到会的成员单位")) }
        for (index, item) in items.enumerated() {
            let field = "第 \(index + 1) 项议题"
            if item.title.isBlank { problems.append(InvalidInput(field: field, reason: "请填写议题")) }
            switch (item.followupOwnerID, item.followupDeadline) {
            case (nil, nil): break
            case (let owner?, let deadline?):
                if item.decision.isBlank { problems.append(InvalidInput(field: "\(field)的决定", reason: "跟进事项须先有会议决定")) }
                if current[owner] == nil {
                    problems.append(InvalidInput(field: "\(field)的责任单位", reason: "编号 \(owner) 不是本联席会 \(heldOn) 时的成员单位"))
                }
                if deadline < heldOn { problems.append(InvalidInput(field: "\(field)的期限", reason: "\(deadline) 早于会议日期 \(heldOn)")) }
            case (nil, _?): problems.append(InvalidInput(field: "\(field)的责任单位", reason: "跟进事项须指定一个成员单位负责"))
            case (_?, nil): problems.append(InvalidInput(field: "\(field)的期限", reason: "跟进事项须有办结期限"))
            }
        }
        for closing in closings {
            if !openFollowupIDs.contains(closing.followupID) {
                problems.append(InvalidInput(field: "办结跟进事项", reason: "编号 \(closing.followupID) 不是本联席会未办结的跟进事项"))
            } else if closing.result.isBlank {
                problems.append(InvalidInput(field: "跟进事项 \(closing.followupID) 的办理结果", reason: "办结须写明办理结果"))
            }
        }
        return problems
    }
}
