/// A decision of a meeting that a member unit must carry out by a deadline. It stays on the
/// agenda of every next meeting of the conference until it is closed.
public struct ConferenceFollowup: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case open
        case closed

        public var label: String { self == .open ? "未办结" : "已办结" }
    }

    public var id: Int
    public var townshipCode: String
    /// The meeting that decided it.
    public var meetingID: Int
    public var title: String
    public var ownerMemberID: Int
    public var ownerName: String
    public var deadline: CalendarDay
    public var state: State
    public var result: String?
    public var closedOn: CalendarDay?

    public init(id: Int, townshipCode: String, meetingID: Int, title: String, ownerMemberID: Int, ownerName: String, deadline: CalendarDay,
                state: State, result: String?, closedOn: CalendarDay?) {
        self.id = id
        self.townshipCode = townshipCode
        self.meetingID = meetingID
        self.title = title
        self.ownerMemberID = ownerMemberID
        self.ownerName = ownerName
        self.deadline = deadline
        self.state = state
        self.result = result
        self.closedOn = closedOn
    }

    public func isOverdue(on day: CalendarDay) -> Bool { state == .open && deadline < day }
}
