import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The township's joint conference (团建联席会): member units joining and leaving, and the
/// meetings. Every write is one audited transaction; a township outside the caller's scope is
/// not found.
public enum ConferenceStore {
    /// The township inside `scope`, refused when it is another county's or not a township.
    static func requireTownship(_ code: String, in scope: Scope, on db: any Database) async throws -> Division {
        guard let township = try await DivisionQueries.find(code, on: db), scope.contains(township.path) else {
            throw Refusal("乡镇：找不到代码为「\(code)」的乡镇，或它不在您的管理范围内（其他县区的乡镇不能录入）", kind: .notFound, field: "township")
        }
        guard township.level == .township else {
            throw Refusal("乡镇：「\(township.name)」是\(township.level.label)；联席会设在乡镇（街道）", field: "township")
        }
        return township
    }

    /// Adds a member unit to the township's conference.
    public static func addMember(_ draft: ConferenceMemberDraft, in scope: Scope, today: CalendarDay = .today(), by actor: Actor,
                                 on database: any Database) async throws -> ConferenceMember {
        let township = try await requireTownship(draft.townshipCode, in: scope, on: database)
        let categories = try await ReferenceStore.lists(on: database).list(.unitCategory)
        let problems = draft.problems(categories: categories, today: today)
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        let organization = try await requireOrganization(draft.organizationCode, in: township, on: database)
        return try await writeTransaction(on: database) { db in
            let name = draft.name.trimmedWhitespace
            let existing = try await members(of: township.code, on: db)
            if existing.contains(where: { $0.name == name && $0.leftOn == nil }) {
                throw Refusal.conflict("单位名称：「\(name)」已是\(township.name)联席会的成员单位")
            }
            let id = try await db.sql.insert(into: "conference_members")
                .columns("township_code", "name", "unit_category", "contact_name", "contact_phone", "delegate", "organization_code",
                         "joined_on", "created_by", "created_at")
                .values(SQLBind(township.code), SQLBind(name), SQLBind(draft.unitCategory), SQLBind(draft.contactName.trimmedWhitespace),
                        SQLBind(draft.contactPhone.trimmedWhitespace), SQLBind(draft.delegate.trimmedWhitespace), SQLBind(organization),
                        SQLBind(draft.joinedOn.description), SQLBind(actor.name), SQLBind(Date()))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("conference.member.add", entityType: "conference_member", entityID: String(id), divisionPath: township.path,
                                      before: nil, after: [
                                          "乡镇": township.name, "单位名称": name, "单位类别": draft.unitCategory, "联系人": draft.contactName,
                                          "联系电话": draft.contactPhone, "参会代表": draft.delegate, "团组织": organization ?? "",
                                          "加入日期": draft.joinedOn.description,
                                      ], by: actor, on: db)
            return ConferenceMember(id: id, townshipCode: township.code, name: name, unitCategory: draft.unitCategory,
                                    contactName: draft.contactName.trimmedWhitespace, contactPhone: draft.contactPhone.trimmedWhitespace,
                                    delegate: draft.delegate.trimmedWhitespace, organizationCode: organization, joinedOn: draft.joinedOn, leftOn: nil)
        }
    }

    /// The organization code, when given, must be one of the township's organizations.
    static func requireOrganization(_ code: String?, in township: Division, on db: any Database) async throws -> String? {
        guard let code = code?.nilIfBlank else { return nil }
        guard let path = try await db.sql.select().column("division_path").from("organizations").where("code", .equal, code)
            .first(decodingColumn: "division_path", as: String.self), DivisionPath(township.path).contains(path) else {
            throw Refusal("团组织编码：「\(code)」不是\(township.name)台账里的组织", field: "organizationCode")
        }
        return code
    }

    /// Records that a member unit left the conference on `lastDay`; the unit and its history stay.
    public static func memberLeaves(_ id: Int, lastDay: CalendarDay, in scope: Scope, by actor: Actor,
                                    on database: any Database) async throws -> ConferenceMember {
        try await writeTransaction(on: database) { db in
            var member = try await requireMember(id, in: scope, on: db)
            guard member.leftOn == nil else { throw Refusal.conflict("「\(member.name)」已于 \(member.leftOn!) 退出联席会") }
            guard lastDay >= member.joinedOn else {
                throw Refusal("退出日期：\(lastDay) 早于加入日期 \(member.joinedOn)", field: "lastDay")
            }
            try await db.sql.update("conference_members").set("left_on", to: SQLBind(lastDay.description)).where("id", .equal, id).run()
            let path = try await DivisionQueries.require(member.townshipCode, on: db).path
            try await AuditLog.record("conference.member.leave", entityType: "conference_member", entityID: String(id), divisionPath: path,
                                      before: ["单位名称": member.name, "退出日期": ""], after: ["单位名称": member.name, "退出日期": lastDay.description],
                                      by: actor, on: db)
            member.leftOn = lastDay
            return member
        }
    }

    // MARK: - Reading

    struct MemberRow: Decodable {
        var id: Int
        var townshipCode: String
        var name: String
        var unitCategory: String
        var contactName: String
        var contactPhone: String
        var delegate: String
        var organizationCode: String?
        var joinedOn: String
        var leftOn: String?

        var member: ConferenceMember {
            ConferenceMember(id: id, townshipCode: townshipCode, name: name, unitCategory: unitCategory, contactName: contactName,
                             contactPhone: contactPhone, delegate: delegate, organizationCode: organizationCode,
                             joinedOn: CalendarDay(iso: joinedOn) ?? CalendarDay.plausible.lowerBound, leftOn: leftOn.flatMap(CalendarDay.init(iso:)))
        }
    }

    static let memberColumns = ["id", "township_code", "name", "unit_category", "contact_name", "contact_phone", "delegate",
                                "organization_code", "joined_on", "left_on"]

    /// Every member unit the township's conference has had, by name.
    public static func members(of townshipCode: String, on db: any Database) async throws -> [ConferenceMember] {
        try await db.sql.select().columns(memberColumns.map { SQLColumn($0) }).from("conference_members").where("township_code", .equal, townshipCode)
            .orderBy("id").all(decoding: MemberRow.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.member)
    }

    static func requireMember(_ id: Int, in scope: Scope, on db: any Database) async throws -> ConferenceMember {
        guard let row = try await db.sql.select().columns(memberColumns.map { SQLColumn($0) }).from("conference_members").where("id", .equal, id)
            .first(decoding: MemberRow.self, keyDecodingStrategy: .convertFromSnakeCase),
            let township = try await DivisionQueries.find(row.townshipCode, on: db), scope.contains(township.path) else {
            throw Refusal.notFound("找不到编号为 \(id) 的联席会成员单位")
        }
        return row.member
    }

    /// The calendar months from `from` to `to` (both inclusive, by their months) in which the
    /// township's conference met at least once, as "yyyy-MM", in order: the demonstration
    /// criterion 联席会每月召开 reads it.
    public static func meetingMonths(townshipCode: String, from: CalendarDay, to: CalendarDay, on db: any Database) async throws -> [String] {
        let days = try await db.sql.select().column("held_on").from("conference_meetings").where("township_code", .equal, townshipCode)
            .where("held_on", .greaterThanOrEqual, String(from.description.prefix(7)) + "-01")
            .where("held_on", .lessThanOrEqual, String(to.description.prefix(7)) + "-31")
            .all(decodingColumn: "held_on", as: String.self)
        return Set(days.map { String($0.prefix(7)) }).sorted()
    }
}
