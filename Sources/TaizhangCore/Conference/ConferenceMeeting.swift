import Foundation

/// One meeting of a joint conference: when and where, the member units present, and its agenda.
public struct ConferenceMeeting: Sendable, Hashable, Codable {
    public struct AgendaItem: Sendable, Hashable, Codable {
        public var id: Int
        public var position: Int
        public var title: String
        public var discussion: String
        public var decision: String?
        /// Set on an item carried forward: the follow-up it reviews.
        public var followupID: Int?

        public init(id: Int, position: Int, title: String, discussion: String, decision: String?, followupID: Int?) {
            self.id = id
            self.position = position
            self.title = title
            self.discussion = discussion
            self.decision = decision
            self.followupID = followupID
        }
    }

    public var id: Int
    public var townshipCode: String
    public var heldOn: CalendarDay
    public var place: String
    public var chair: String
    public var notes: String
    /// The member units present.
    public var presentMemberIDs: [Int]
    public var quorum: ConferenceQuorum
    public var agenda: [AgendaItem]
    public var recordedBy: String

    public init(id: Int, townshipCode: String, heldOn: CalendarDay, place: String, chair: String, notes: String, presentMemberIDs: [Int],
                quorum: ConferenceQuorum, agenda: [AgendaItem], recordedBy: String) {
        self.id = id
        self.townshipCode = townshipCode
        self.heldOn = heldOn
        self.place = place
        self.chair = chair
        self.notes = notes
        self.presentMemberIDs = presentMemberIDs
        self.quorum = quorum
        self.agenda = agenda
        self.recordedBy = recordedBy
    }
}

/// Members present against members on the day: a meeting is quorate when more than half are there.
public struct ConferenceQuorum: Sendable, Hashable, Codable {
    public var present: Int
    public var members: Int

    public init(present: Int, members: Int) {
        self.present = present
        self.members = members
    }

    public var isMet: Bool { members > 0 && present * 2 > members }
    /// The fewest members that make a quorum.
    public var needed: Int { members / 2 + 1 }
    public var label: String { "到会 \(present)/\(members)，\(isMet ? "达到" : "未达到")法定人数（过半数 \(needed)）" }
}
