import TaizhangCore
import TaizhangFiles

/// A meeting's minutes (会议纪要), once for the page and the .docx: who came, the quorum, each
/// agenda item with its decision, the follow-ups decided and those carried or closed.
struct ConferenceMinutes: Encodable {
    struct Item: Encodable {
        var number: String
        var title: String
        var discussion: String
        var decision: String?
        var carried: Bool
    }

    struct Followup: Encodable {
        var title: String
        var owner: String
        var deadline: String
    }

    var title: String
    var township: String
    var heldOn: String
    var place: String
    var chair: String
    var notes: String
    var present: [String]
    var absent: [String]
    var quorum: String
    var items: [Item]
    var decided: [Followup]
    var recordedBy: String

    init(township: String, meeting: ConferenceMeeting, members: [ConferenceMember], followups: [ConferenceFollowup]) {
        title = "\(township)团建联席会会议纪要（\(meeting.heldOn.chinese)）"
        self.township = township
        heldOn = meeting.heldOn.chinese
        place = meeting.place
        chair = meeting.chair
        notes = meeting.notes
        let present = Set(meeting.presentMemberIDs)
        let current = members.filter { $0.isMember(on: meeting.heldOn) }
        self.present = current.filter { present.contains($0.id) }.map(\.name)
        absent = current.filter { !present.contains($0.id) }.map(\.name)
        quorum = meeting.quorum.label
        items = meeting.agenda.map { Item(number: "\($0.position)", title: $0.title, discussion: $0.discussion, decision: $0.decision, carried: $0.followupID != nil) }
        decided = followups.filter { $0.meetingID == meeting.id }.map { Followup(title: $0.title, owner: $0.ownerName, deadline: $0.deadline.description) }
        recordedBy = meeting.recordedBy
    }

    func docx() -> DOCXDocument {
        var blocks: [DOCXBlock] = [
            .paragraph(.title(title)),
            .paragraph(.body("时间：\(heldOn)")),
            .paragraph(.body("地点：\(place)")),
        ]
        if !chair.isEmpty { blocks.append(.paragraph(.body("主持：\(chair)"))) }
        blocks.append(.paragraph(.body("到会单位：\(present.joined(separator: "、"))")))
        if !absent.isEmpty { blocks.append(.paragraph(.body("缺席单位：\(absent.joined(separator: "、"))"))) }
        blocks.append(.paragraph(.body(quorum)))
        if !notes.isEmpty { blocks.append(.paragraph(.body(notes))) }
        blocks.append(.paragraph(.heading("一、议题和决定")))
        for item in items {
            blocks.append(.paragraph(.body("\(item.number). \(item.title)")))
            if !item.discussion.isEmpty { blocks.append(.paragraph(.body("讨论：\(item.discussion)"))) }
            if let decision = item.decision { blocks.append(.paragraph(.body("决定：\(decision)"))) }
        }
        if !decided.isEmpty {
            blocks.append(.paragraph(.heading("二、跟进事项")))
            for followup in decided {
                blocks.append(.paragraph(.body("\(followup.title)（责任单位：\(followup.owner)，期限：\(followup.deadline)）")))
            }
        }
        blocks.append(.paragraph(.body("记录：\(recordedBy)")))
        return DOCXDocument(title: title, blocks: blocks)
    }
}
