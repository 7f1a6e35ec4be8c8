import FluentKit
import Foundation
import SQLKit
import TaizhangCore

extension ConferenceStore {
    /// Records a meeting in one audited transaction: the members present, the follow-ups still
    /// open carried onto its agenda first (closed here when the meeting says so), then its own
    /// items, each decision with an owner and a deadline becoming a new follow-up. Meetings are
    /// recorded in the order they were held, so the carried items are those open on the day.
    public static func recordMeeting(_ draft: ConferenceMeetingDraft, in scope: Scope, today: CalendarDay = .today(), by actor: Actor,
                                     on database: any Database) async throws -> ConferenceMeeting {
        let township = try await requireTownship(draft.townshipCode, in: scope, on: database)
        return try await writeTransaction(on: database) { db in
            let members = try await Self.members(of: township.code, on: db)
            let open = try await Self.followups(of: township.code, openOnly: true, on: db)
            let problems = draft.problems(members: members, openFollowupIDs: Set(open.map(\.id)), today: today)
            guard problems.isEmpty else { throw Refusal.invalid(problems) }
            if let last = try await meetingDays(of: township.code, on: db).last, draft.heldOn < last {
                throw Refusal("会议日期：\(draft.heldOn) 早于\(township.name)联席会上次会议（\(last)）；请按召开的先后记录会议", field: "heldOn")
            }
            let now = Date()
            let id = try await db.sql.insert(into: "conference_meetings")
                .columns("township_code", "held_on", "place", "chair", "notes", "recorded_by", "recorded_by_id", "recorded_at")
                .values(SQLBind(township.code), SQLBind(draft.heldOn.description), SQLBind(draft.place.trimmedWhitespace),
                        SQLBind(draft.chair.trimmedWhitespace), SQLBind(draft.notes.trimmedWhitespace), SQLBind(actor.name), SQLBind(actor.userID), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            let present = Array(Set(draft.presentMemberIDs)).sorted()
            for member in present {
                try await db.sql.insert(into: "conference_attendance").columns("meeting_id", "member_id").values(SQLBind(id), SQLBind(member)).run()
            }
            let closings = Dictionary(draft.closings.map { ($0.followupID, $0.result.trimmedWhitespace) }, uniquingKeysWith: { $1 })
            var position = 0
            for followup in open {
                position += 1
                let result = closings[followup.id]
                try await insertItem(meeting: id, position: position, title: "跟进：\(followup.title)",
                                     discussion: "\(followup.ownerName)负责，期限 \(followup.deadline)",
                                     decision: result.map { "已办结：\($0)" } ?? "继续跟进", followup: followup.id, on: db)
                if let result {
                    try await db.sql.update("conference_followups").set("state", to: SQLBind(ConferenceFollowup.State.closed.rawValue))
                        .set("result", to: SQLBind(result)).set("closed_on", to: SQLBind(draft.heldOn.description))
                        .set("closed_meeting_id", to: SQLBind(id)).where("id", .equal, followup.id).run()
                }
            }
            var decided: [String] = []
            for item in draft.items {
                position += 1
                try await insertItem(meeting: id, position: position, title: item.title.trimmedWhitespace, discussion: item.discussion.trimmedWhitespace,
                                     decision: item.decision.nilIfBlank.map(\.trimmedWhitespace), followup: nil, on: db)
                if let owner = item.followupOwnerID, let deadline = item.followupDeadline {
                    try await db.sql.insert(into: "conference_followups")
                        .columns("township_code", "meeting_id", "title", "owner_member_id", "deadline", "state")
                        .values(SQLBind(township.code), SQLBind(id), SQLBind(item.decision.trimmedWhitespace), SQLBind(owner),
                                SQLBind(deadline.description), SQLBind(ConferenceFollowup.State.open.rawValue)).run()
                    decided.append("\(item.decision.trimmedWhitespace)（\(members.first { $0.id == owner }?.name ?? "")，\(deadline)）")
                }
            }
            let names = members.filter { present.contains($0.id) }.map(\.name)
            try await AuditLog.record("conference.meeting.record", entityType: "conference_meeting", entityID: String(id), divisionPath: township.path,
                                      before: nil, after: [
                                          "乡镇": township.name, "会议日期": draft.heldOn.description, "地点": draft.place, "主持": draft.chair,
                                          "到会单位": names.joined(separator: "、"), "议题": draft.items.map(\.title).joined(separator: "；"),
                                          "新的跟进事项": decided.joined(separator: "；"),
                                          "办结跟进事项": open.filter { closings[$0.id] != nil }.map(\.title).joined(separator: "；"),
                                          "继续跟进": open.filter { closings[$0.id] == nil }.map(\.title).joined(separator: "；"),
                                      ], by: actor, on: db)
            return try await Self.meeting(id, in: scope, on: db)
        }
    }

    private static func insertItem(meeting: Int, position: Int, title: String, discussion: String, decision: String?, followup: Int?,
                                   on db: any Database) async throws {
        try await db.sql.insert(into: "conference_agenda_items").columns("meeting_id", "position", "title", "discussion", "decision", "followup_id")
            .values(SQLBind(meeting), SQLBind(position), SQLBind(title), SQLBind(discussion), SQLBind(decision), SQLBind(followup)).run()
    }

    static func meetingDays(of townshipCode: String, on db: any Database) async throws -> [CalendarDay] {
        try await db.sql.select().column("held_on").from("conference_meetings").where("township_code", .equal, townshipCode).orderBy("held_on")
            .all(decodingColumn: "held_on", as: String.self).compactMap(CalendarDay.init(iso:))
    }

    struct MeetingRow: Decodable {
        var id: Int
        var townshipCode: String
        var heldOn: String
        var place: String
        var chair: String
        var notes: String
        var recordedBy: String
    }

    /// One meeting with its attendance, quorum and agenda; not found outside `scope`.
    public static func meeting(_ id: Int, in scope: Scope, on db: any Database) async throws -> ConferenceMeeting {
        guard let row = try await db.sql.select().columns("id", "township_code", "held_on", "place", "chair", "notes", "recorded_by")
            .from("conference_meetings").where("id", .equal, id).first(decoding: MeetingRow.self, keyDecodingStrategy: .convertFromSnakeCase),
            let township = try await DivisionQueries.find(row.townshipCode, on: db), scope.contains(township.path),
            let heldOn = CalendarDay(iso: row.heldOn) else {
            throw Refusal.notFound("找不到编号为 \(id) 的联席会会议")
        }
        let present = try await db.sql.select().column("member_id").from("conference_attendance").where("meeting_id", .equal, id)
            .orderBy("member_id").all(decodingColumn: "member_id", as: Int.self)
        let members = try await Self.members(of: row.townshipCode, on: db).filter { $0.isMember(on: heldOn) }
        struct ItemRow: Decodable { var id: Int; var position: Int; var title: String; var discussion: String; var decision: String?; var followupId: Int? }
        let items = try await db.sql.select().columns("id", "position", "title", "discussion", "decision", "followup_id").from("conference_agenda_items")
            .where("meeting_id", .equal, id).orderBy("position").all(decoding: ItemRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        return ConferenceMeeting(id: id, townshipCode: row.townshipCode, heldOn: heldOn, place: row.place, chair: row.chair, notes: row.notes,
                                 presentMemberIDs: present, quorum: ConferenceQuorum(present: present.count, members: members.count),
                                 agenda: items.map { .init(id: $0.id, position: $0.position, title: $0.title, discussion: $0.discussion,
                                                           decision: $0.decision, followupID: $0.followupId) },
                                 recordedBy: row.recordedBy)
    }

    /// The township's meetings, newest first, without their agendas.
    public static func meetings(of townshipCode: String, on db: any Database) async throws -> [(id: Int, heldOn: CalendarDay, place: String, present: Int)] {
        struct Row: Decodable { var id: Int; var heldOn: String; var place: String; var present: Int }
        let rows = try await db.sql.raw("""
            SELECT m.id, m.held_on, m.place, (SELECT COUNT(*) FROM conference_attendance a WHERE a.meeting_id = m.id) AS present
            FROM conference_meetings m WHERE m.township_code = \(bind: townshipCode) ORDER BY m.held_on DESC, m.id DESC
            """).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return rows.compactMap { row in CalendarDay(iso: row.heldOn).map { (id: row.id, heldOn: $0, place: row.place, present: row.present) } }
    }

    /// The township's follow-ups (only the open ones when `openOnly`), oldest first.
    public static func followups(of townshipCode: String, openOnly: Bool = false, on db: any Database) async throws -> [ConferenceFollowup] {
        struct Row: Decodable {
            var id: Int; var meetingId: Int; var title: String; var ownerMemberId: Int; var ownerName: String; var deadline: String
            var state: String; var result: String?; var closedOn: String?
        }
        let query = db.sql.select().column(SQLColumn("id", table: "f")).column(SQLColumn("meeting_id", table: "f")).column(SQLColumn("title", table: "f"))
            .column(SQLColumn("owner_member_id", table: "f")).column(SQLAlias(SQLColumn("name", table: "m"), as: SQLIdentifier("owner_name")))
            .column(SQLColumn("deadline", table: "f")).column(SQLColumn("state", table: "f")).column(SQLColumn("result", table: "f"))
            .column(SQLColumn("closed_on", table: "f"))
            .from(SQLAlias(SQLIdentifier("conference_followups"), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier("conference_members"), as: SQLIdentifier("m")), on: SQLColumn("owner_member_id", table: "f"), .equal, SQLColumn("id", table: "m"))
            .where(SQLColumn("township_code", table: "f"), .equal, SQLBind(townshipCode))
        if openOnly { query.where(SQLColumn("state", table: "f"), .equal, SQLBind(ConferenceFollowup.State.open.rawValue)) }
        let rows = try await query.orderBy(SQLColumn("id", table: "f")).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return rows.map {
            ConferenceFollowup(id: $0.id, townshipCode: townshipCode, meetingID: $0.meetingId, title: $0.title, ownerMemberID: $0.ownerMemberId,
                               ownerName: $0.ownerName, deadline: CalendarDay(iso: $0.deadline) ?? CalendarDay.plausible.lowerBound,
                               state: ConferenceFollowup.State(rawValue: $0.state) ?? .open, result: $0.result,
                               closedOn: $0.closedOn.flatMap(CalendarDay.init(iso:)))
        }
    }
}
