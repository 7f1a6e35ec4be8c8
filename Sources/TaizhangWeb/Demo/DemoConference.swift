import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore

/// The demo's joint conferences (团建联席会): every 泉州 township's conference with members drawn
/// from the units of its ledger (the first eight, linked to their organizations) and two units
/// without one; two November meetings, the first deciding a follow-up that the second carries
/// forward (closed in every other township, still open in the rest) and a new follow-up due in
/// December. Written with multi-row inserts, as seeded data rather than one form at a time, each
/// member and meeting with its audit row.
enum DemoConference {
    static let actorName = "泉州团市委（演示数据）"
    static let unlinked = ["镇卫生院", "农贸市场管理处"]
    static let places = ["镇政府三楼会议室", "镇团委活动室", "党群服务中心会议室"]

    struct Organization: Decodable {
        var code: String
        var townshipCode: String
        var name: String
        var unitCategory: String
        var stage: String
        var foundedOn: String?
    }

    /// The ledger's organizations per township, in code order (shared with `DemoActivities`).
    static func organizations(on db: any Database) async throws -> [String: [Organization]] {
        let rows = try await db.sql.select().columns("code", "township_code", "name", "unit_category", "stage", "founded_on").from("organizations")
            .orderBy("code").all(decoding: Organization.self, keyDecodingStrategy: .convertFromSnakeCase)
        return Dictionary(grouping: rows, by: \.townshipCode)
    }

    /// The unit an organization is built in: its name without the organization's rank.
    static func unitName(_ organization: String) -> String {
        for suffix in ["团委", "团工委", "团总支", "团支部", "青年组织", "青年志愿者服务队"] where organization.hasSuffix(suffix) && organization.count > suffix.count {
            return String(organization.dropLast(suffix.count))
        }
        return organization
    }

    static func insert(_ table: String, columns: [String], rows: [[SQLBind]], on db: any Database) async throws {
        for start in stride(from: 0, to: rows.count, by: 300) {
            let insert = db.sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + 300, rows.count)] { insert.values(row) }
            try await insert.run()
        }
    }

    /// The audit rows of what the demo writes in bulk, one per member, meeting or activity, with
    /// the action its form records, so the audit trail holds the demo's data as it holds a cadre's.
    static func audit(_ action: String, entityType: String, _ rows: [(id: Int, township: String, after: [String: String])],
                      on db: any Database) async throws {
        struct Path: Decodable { var code: String; var path: String }
        let paths = Dictionary(try await db.sql.select().columns("code", "path").from("divisions")
            .where("level", .equal, DivisionLevel.township.rawValue).where("path", .like, "35/3505/%")
            .all(decoding: Path.self).map { ($0.code, $0.path) }, uniquingKeysWith: { $1 })
        try await AuditLog.recordBatch(rows.map {
            AuditLog.Entry(action: action, entityType: entityType, entityID: String($0.id), divisionPath: paths[$0.township], before: nil, after: $0.after)
        }, by: Actor(userID: nil, name: actorName, clientAddress: nil), on: db)
    }

    static func seed(on database: any Database) async throws -> [String] {
        let townships = try await DivisionQueries.townships(under: .within("35/3505/"), limit: 10_000, on: database)
        let organizations = try await organizations(on: database)
        let now = Date()
        return try await writeTransaction(on: database) { db in
            var memberRows: [[SQLBind]] = []
            for township in townships {
                let shortName = township.name
                for org in (organizations[township.code] ?? []).prefix(8) {
                    memberRows.append([SQLBind(township.code), SQLBind(unitName(org.name)), SQLBind(org.unitCategory), SQLBind("团建联络员"),
                                       SQLBind("0595-2" + String(org.code.suffix(6)).replacingOccurrences(of: "-", with: "")), SQLBind("分管负责人"),
                                       SQLBind(org.code), SQLBind("2012-10-15"), SQLBind(actorName), SQLBind(now)])
                }
                for unit in unlinked {
                    memberRows.append([SQLBind(township.code), SQLBind(shortName + unit), SQLBind("部门派驻乡镇机构"), SQLBind("办公室"), SQLBind(""),
                                       SQLBind("办公室主任"), SQLBind(Optional<String>.none), SQLBind("2012-10-15"), SQLBind(actorName), SQLBind(now)])
                }
            }
            try await insert("conference_members", columns: ["township_code", "name", "unit_category", "contact_name", "contact_phone", "delegate",
                                                            "organization_code", "joined_on", "created_by", "created_at"], rows: memberRows, on: db)
            struct Member: Decodable { var id: Int; var townshipCode: String; var name: String; var unitCategory: String; var organizationCode: String? }
            let memberList = try await db.sql.select().columns("id", "township_code", "name", "unit_category", "organization_code").from("conference_members")
                .orderBy("id").all(decoding: Member.self, keyDecodingStrategy: .convertFromSnakeCase)
            try await audit("conference.member.add", entityType: "conference_member", memberList.map {
                ($0.id, $0.townshipCode, ["单位名称": $0.name, "单位类别": $0.unitCategory, "团组织": $0.organizationCode ?? "", "加入日期": "2012-10-15"])
            }, on: db)
            let members = Dictionary(grouping: memberList, by: \.townshipCode).mapValues { $0.map(\.id) }

            // Two meetings per township: 11-05 (or so) and 11-26.
            var meetingRows: [[SQLBind]] = []
            for (index, township) in townships.enumerated() {
                for day in ["2012-11-0\(5 + index % 3)", "2012-11-2\(6 + index % 3)"] {
                    meetingRows.append([SQLBind(township.code), SQLBind(day), SQLBind(places[index % places.count]), SQLBind("镇团委书记"),
                                        SQLBind("通报本镇建团进度，研究未建团单位的对接。"), SQLBind(actorName), SQLBind(now)])
                }
            }
            try await insert("conference_meetings", columns: ["township_code", "held_on", "place", "chair", "notes", "recorded_by", "recorded_at"],
                             rows: meetingRows, on: db)
            struct Meeting: Decodable { var id: Int; var townshipCode: String; var heldOn: String; var place: String }
            let meetingList = try await db.sql.select().columns("id", "township_code", "held_on", "place").from("conference_meetings")
                .orderBy("held_on").all(decoding: Meeting.self, keyDecodingStrategy: .convertFromSnakeCase)
            try await audit("conference.meeting.record", entityType: "conference_meeting", meetingList.map {
                ($0.id, $0.townshipCode, ["会议日期": $0.heldOn, "地点": $0.place])
            }, on: db)
            let meetings = Dictionary(grouping: meetingList, by: \.townshipCode)

            var attendance: [[SQLBind]] = [], followupRows: [[SQLBind]] = []
            for (index, township) in townships.enumerated() {
                guard let ids = members[township.code], let held = meetings[township.code], held.count == 2 else { continue }
                for (number, meeting) in held.enumerated() {
                    // Most units come; every fourth township's second meeting misses its quorum.
                    let present = number == 1 && index % 4 == 3 ? ids.prefix(ids.count / 2) : ids.filter { ($0 + number) % 5 != 0 }[...]
                    attendance += present.map { [SQLBind(meeting.id), SQLBind($0)] }
                }
                followupRows.append([SQLBind(township.code), SQLBind(held[0].id), SQLBind("对接辖区未建团企业，11月20日前完成摸底"), SQLBind(ids[0]),
                                     SQLBind("2012-11-20"), SQLBind(index % 2 == 0 ? "closed" : "open"),
                                     SQLBind(index % 2 == 0 ? "已摸底 12 家企业，3 家同意筹建" : nil), SQLBind(index % 2 == 0 ? held[1].heldOn : nil),
                                     SQLBind(index % 2 == 0 ? held[1].id : nil)])
                followupRows.append([SQLBind(township.code), SQLBind(held[1].id), SQLBind("组织一次青年志愿者服务活动"), SQLBind(ids[min(1, ids.count - 1)]),
                                     SQLBind("2012-12-10"), SQLBind("open"), SQLBind(Optional<String>.none), SQLBind(Optional<String>.none),
                                     SQLBind(Optional<Int>.none)])
            }
            try await insert("conference_attendance", columns: ["meeting_id", "member_id"], rows: attendance, on: db)
            try await insert("conference_followups", columns: ["township_code", "meeting_id", "title", "owner_member_id", "deadline", "state", "result",
                                                              "closed_on", "closed_meeting_id"], rows: followupRows, on: db)
            struct Followup: Decodable { var id: Int; var meetingId: Int; var state: String; var result: String? }
            let followups = Dictionary(grouping: try await db.sql.select().columns("id", "meeting_id", "state", "result").from("conference_followups")
                .all(decoding: Followup.self, keyDecodingStrategy: .convertFromSnakeCase), by: \.meetingId)

            var items: [[SQLBind]] = []
            for township in townships {
                guard let held = meetings[township.code], held.count == 2 else { continue }
                let first = followups[held[0].id]?.first
                items.append([SQLBind(held[0].id), SQLBind(1), SQLBind("通报建团进度"), SQLBind("各成员单位汇报本单位青年和建团情况"), SQLBind("按月通报"),
                              SQLBind(Optional<Int>.none)])
                items.append([SQLBind(held[0].id), SQLBind(2), SQLBind("未建团企业对接"), SQLBind("辖区仍有企业未建团"),
                              SQLBind("对接辖区未建团企业，11月20日前完成摸底"), SQLBind(Optional<Int>.none)])
                if let first {
                    items.append([SQLBind(held[1].id), SQLBind(1), SQLBind("跟进：对接辖区未建团企业，11月20日前完成摸底"), SQLBind("责任单位汇报"),
                                  SQLBind(first.state == "closed" ? "已办结：\(first.result ?? "")" : "继续跟进"), SQLBind(first.id)])
                }
                items.append([SQLBind(held[1].id), SQLBind(2), SQLBind("品牌活动"), SQLBind("以活动凝聚青年，为建团打基础"),
                              SQLBind("组织一次青年志愿者服务活动"), SQLBind(Optional<Int>.none)])
            }
            try await insert("conference_agenda_items", columns: ["meeting_id", "position", "title", "discussion", "decision", "followup_id"], rows: items, on: db)
            let open = followupRows.filter { ($0[5].encodable as? String) == "open" }.count
            return ["  团建联席会：\(townships.count) 个乡镇，成员单位 \(memberRows.count) 个，11 月会议 \(meetingRows.count) 次，未办结跟进事项 \(open) 项（部分从上次会议带来）"]
        }
    }
}
