import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Brand activities (品牌活动) and the units they reached. Every write is one audited
/// transaction; a township outside the caller's scope is not found.
public enum ActivityStore {
    public static func record(_ draft: ActivityDraft, in scope: Scope, today: CalendarDay = .today(), by actor: Actor,
                              on database: any Database) async throws -> Activity {
        let kinds = try await ReferenceStore.lists(on: database).list(.activityKind)
        let problems = draft.problems(today: today, kinds: kinds)
        guard problems.isEmpty, let kind = ActivityKind.match(draft.kind, in: kinds) else { throw Refusal.invalid(problems) }
        let township = try await ConferenceStore.requireTownship(draft.townshipCode, in: scope, on: database)
        return try await writeTransaction(on: database) { db in
            let members = Dictionary(uniqueKeysWithValues: try await ConferenceStore.members(of: township.code, on: db).map { ($0.id, $0) })
            var units: [Activity.Unit] = []
            for (index, unit) in draft.units.enumerated() {
                var resolved = unit
                if let id = unit.memberID {
                    guard let member = members[id] else {
                        throw Refusal("第 \(index + 1) 个参与单位：编号 \(id) 不是\(township.name)联席会的成员单位", field: "units")
                    }
                    if resolved.name.isBlank { resolved.name = member.name }
                    if resolved.organizationCode?.nilIfBlank == nil { resolved.organizationCode = member.organizationCode }
                }
                if let code = resolved.organizationCode?.nilIfBlank {
                    do { resolved.organizationCode = try await ConferenceStore.requireOrganization(code, in: township, on: db) } catch let refusal as Refusal {
                        throw Refusal("第 \(index + 1) 个参与单位：\(refusal.message)", field: "units")
                    }
                    if resolved.name.isBlank {
                        resolved.name = try await db.sql.select().column("name").from("organizations").where("code", .equal, code)
                            .first(decodingColumn: "name", as: String.self) ?? code
                    }
                } else {
                    resolved.organizationCode = nil
                }
                resolved.name = resolved.name.trimmedWhitespace
                units.append(resolved)
            }
            let id = try await db.sql.insert(into: "activities")
                .columns("township_code", "kind", "title", "held_on", "organizer", "youth_reached", "notes", "recorded_by", "recorded_by_id", "recorded_at")
                .values(SQLBind(township.code), SQLBind(kind), SQLBind(draft.title.trimmedWhitespace), SQLBind(draft.heldOn.description),
                        SQLBind(draft.organizer.trimmedWhitespace), SQLBind(draft.youthReached), SQLBind(draft.notes.trimmedWhitespace),
                        SQLBind(actor.name), SQLBind(actor.userID), SQLBind(Date()))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            for (position, unit) in units.enumerated() {
                try await db.sql.insert(into: "activity_units").columns("activity_id", "position", "unit_name", "member_id", "organization_code")
                    .values(SQLBind(id), SQLBind(position + 1), SQLBind(unit.name), SQLBind(unit.memberID), SQLBind(unit.organizationCode)).run()
            }
            try await AuditLog.record("activity.record", entityType: "activity", entityID: String(id), divisionPath: township.path, before: nil, after: [
                "乡镇": township.name, "活动类型": kind, "活动名称": draft.title, "活动日期": draft.heldOn.description, "组织者": draft.organizer,
                "覆盖青年人数": String(draft.youthReached), "备注": draft.notes,
                "参与单位": units.map { $0.name + ($0.organizationCode.map { "（\($0)）" } ?? "") }.joined(separator: "、"),
            ], by: actor, on: db)
            return Activity(id: id, townshipCode: township.code, kind: kind, title: draft.title.trimmedWhitespace, heldOn: draft.heldOn,
                            organizer: draft.organizer.trimmedWhitespace, youthReached: draft.youthReached, notes: draft.notes.trimmedWhitespace,
                            units: units, recordedBy: actor.name)
        }
    }

    struct Row: Decodable {
        var id: Int
        var townshipCode: String
        var kind: String
        var title: String
        var heldOn: String
        var organizer: String
        var youthReached: Int
        var notes: String
        var recordedBy: String
    }

    struct UnitRow: Decodable { var activityId: Int; var unitName: String; var memberId: Int?; var organizationCode: String? }

    /// Activities in townships inside `scope` and under `path`, newest first, with their units.
    public static func list(under path: String, in scope: Scope, limit: Int = 300, on db: any Database) async throws -> [Activity] {
        let rows = try await db.sql.select()
            .columns(rowColumns.map { SQLColumn($0, table: "a") })
            .from(SQLAlias(SQLIdentifier("activities"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("divisions"), as: SQLIdentifier("d")), on: SQLColumn("township_code", table: "a"), .equal, SQLColumn("code", table: "d"))
            .whereInside(scope, SQLColumn("path", table: "d")).whereInside(.within(path), SQLColumn("path", table: "d"))
            .orderBy(SQLColumn("held_on", table: "a"), SQLDirection.descending).orderBy(SQLColumn("id", table: "a"), SQLDirection.descending).limit(limit)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return try await withUnits(rows, on: db)
    }

    /// One activity; not found outside `scope`.
    public static func require(_ id: Int, in scope: Scope, on db: any Database) async throws -> Activity {
        guard let row = try await db.sql.select()
            .columns(rowColumns.map { SQLColumn($0) })
            .from("activities").where("id", .equal, id).first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase),
            let township = try await DivisionQueries.find(row.townshipCode, on: db), scope.contains(township.path) else {
            throw Refusal.notFound("找不到编号为 \(id) 的活动")
        }
        return try await withUnits([row], on: db)[0]
    }

    /// The activities with these ids, oldest first (those a model case describes).
    public static func list(ids: [Int], on db: any Database) async throws -> [Activity] {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.sql.select().columns(rowColumns.map { SQLColumn($0) }).from("activities").where("id", .in, ids)
            .orderBy("held_on").orderBy("id").all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return try await withUnits(rows, on: db)
    }

    /// The activities that reached the organization `code`, named by its code or through the
    /// conference member linked to it, oldest first.
    public static func involving(organization code: String, on db: any Database) async throws -> [Activity] {
        let rows = try await db.sql.raw("""
            SELECT a.id, a.township_code, a.kind, a.title, a.held_on, a.organizer, a.youth_reached, a.notes, a.recorded_by FROM activities a
            WHERE a.id IN (\(reaching(code)))
            ORDER BY a.held_on, a.id
            """).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return try await withUnits(rows, on: db)
    }

    /// The ids of the activities that reached `code`: two index lookups rather than an OR across tables.
    static func reaching(_ code: String) -> SQLQueryString {
        """
        SELECT activity_id FROM activity_units WHERE organization_code = \(bind: code)
        UNION SELECT u.activity_id FROM activity_units u JOIN conference_members m ON m.id = u.member_id WHERE m.organization_code = \(bind: code)
        """
    }

    static let rowColumns = ["id", "township_code", "kind", "title", "held_on", "organizer", "youth_reached", "notes", "recorded_by"]

    static func withUnits(_ rows: [Row], on db: any Database) async throws -> [Activity] {
        guard !rows.isEmpty else { return [] }
        let units = try await db.sql.select().columns("activity_id", "unit_name", "member_id", "organization_code").from("activity_units")
            .where("activity_id", .in, rows.map(\.id)).orderBy("activity_id").orderBy("position")
            .all(decoding: UnitRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        let byActivity = Dictionary(grouping: units, by: \.activityId)
        return rows.map { row in
            Activity(id: row.id, townshipCode: row.townshipCode, kind: row.kind, title: row.title,
                     heldOn: CalendarDay(iso: row.heldOn) ?? CalendarDay.plausible.lowerBound, organizer: row.organizer, youthReached: row.youthReached,
                     notes: row.notes, units: (byActivity[row.id] ?? []).map { .init(name: $0.unitName, memberID: $0.memberId, organizationCode: $0.organizationCode) },
                     recordedBy: row.recordedBy)
        }
    }
}
