import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/conferences…`: the townships' conferences at a glance, one conference with its
/// members, meetings and follow-ups, adding and retiring members, recording meetings.
enum ConferenceAPIController {
    struct SummaryJSON: Content {
        var townshipCode: String
        var townshipName: String
        var members: Int
        var withOrganization: Int
        var lastMeeting: String?
        var meetings: Int
        var openFollowups: Int
    }

    struct ListJSON: Content {
        var items: [SummaryJSON]
    }

    static func list(_ req: Request) async throws -> ListJSON {
        let area = try await req.conferenceArea()
        return ListJSON(items: try await ConferenceStore.summaries(under: area.path, in: try req.scope(for: .view), on: req.db).map {
            SummaryJSON(townshipCode: $0.townshipCode, townshipName: $0.townshipName, members: $0.members, withOrganization: $0.withOrganization,
                        lastMeeting: $0.lastMeeting?.description, meetings: $0.meetings, openFollowups: $0.openFollowups)
        })
    }

    struct MeetingJSON: Content {
        var id: Int
        var heldOn: String
        var place: String
        var present: Int
    }

    struct ConferenceJSON: Content {
        var townshipCode: String
        var townshipName: String
        var members: [ConferenceMember]
        var meetings: [MeetingJSON]
        var followups: [ConferenceFollowup]
    }

    static func show(_ req: Request) async throws -> ConferenceJSON {
        let code = try req.parameters.require("code")
        let township = try await req.authorize(.view, divisionCode: code)
        return ConferenceJSON(townshipCode: code, townshipName: township.name, members: try await ConferenceStore.members(of: code, on: req.db),
                              meetings: try await ConferenceStore.meetings(of: code, on: req.db).map {
                                  MeetingJSON(id: $0.id, heldOn: $0.heldOn.description, place: $0.place, present: $0.present)
                              },
                              followups: try await ConferenceStore.followups(of: code, on: req.db))
    }

    static func addMember(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        let form = try req.content.decode(ConferenceController.MemberForm.self)
        let member = try await ConferenceStore.addMember(try ConferenceController.memberDraft(form, township: code), in: try req.scope(for: .editLedger),
                                                         by: req.actor, on: req.db)
        return try await member.encodeResponse(status: .created, for: req)
    }

    struct LeaveJSON: Content {
        var lastDay: String
    }

    static func memberLeaves(_ req: Request) async throws -> ConferenceMember {
        let text = try req.parameters.require("memberID")
        guard let id = Int(text) else { throw Refusal.notFound("找不到编号为 \(text) 的联席会成员单位") }
        let body = try req.content.decode(LeaveJSON.self)
        guard let day = CalendarDay(iso: body.lastDay) else { throw Refusal("lastDay：「\(body.lastDay)」不是日期", field: "lastDay") }
        let township = try await req.authorize(.editLedger, divisionCode: try req.parameters.require("code"))
        return try await ConferenceStore.memberLeaves(id, lastDay: day, in: .within(township.path), by: req.actor, on: req.db)
    }

    /// A meeting as JSON: `items` with `followupOwnerID` and `followupDeadline` for a follow-up, `closings` for those done.
    struct MeetingBody: Content {
        var heldOn: String
        var place: String
        var chair: String?
        var notes: String?
        var presentMemberIDs: [Int]
        var items: [ConferenceMeetingDraft.Item]?
        var closings: [ConferenceMeetingDraft.Closing]?
    }

    static func recordMeeting(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        let body = try req.content.decode(MeetingBody.self)
        guard let day = CalendarDay(iso: body.heldOn) else { throw Refusal("heldOn：「\(body.heldOn)」不是日期", field: "heldOn") }
        let draft = ConferenceMeetingDraft(townshipCode: code, heldOn: day, place: body.place, chair: body.chair ?? "", notes: body.notes ?? "",
                                           presentMemberIDs: body.presentMemberIDs, items: body.items ?? [], closings: body.closings ?? [])
        let meeting = try await ConferenceStore.recordMeeting(draft, in: try req.scope(for: .editLedger), by: req.actor, on: req.db)
        return try await meeting.encodeResponse(status: .created, for: req)
    }

    static func meeting(_ req: Request) async throws -> ConferenceMeeting {
        try await ConferenceMeetingController.meeting(req).meeting
    }
}

extension ConferenceMember: Content {}
extension ConferenceMeeting: Content {}
extension ConferenceFollowup: Content {}
