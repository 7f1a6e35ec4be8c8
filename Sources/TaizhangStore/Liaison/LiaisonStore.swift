import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Liaison cadres and their assignments to townships (挂钩联系). Every write is one audited
/// transaction; an ended assignment is kept with who ended it and why.
public enum LiaisonStore {
    /// Names a new cadre (without an account, or linked to one) where `divisionPath` is.
    public static func createCadre(_ draft: LiaisonCadreDraft, at divisionPath: String, by actor: Actor, on database: any Database) async throws -> LiaisonCadre {
        let problems = draft.problems()
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        return try await writeTransaction(on: database) { db in
            try await insertCadre(draft, at: divisionPath, by: actor, on: db)
        }
    }

    static func insertCadre(_ draft: LiaisonCadreDraft, at divisionPath: String, by actor: Actor, on db: any Database) async throws -> LiaisonCadre {
        let name = draft.name.trimmedWhitespace
        let id = try await db.sql.insert(into: "liaison_cadres")
            .columns("name", "unit", "post", "phone", "user_id", "division_path", "created_by", "created_at")
            .values(SQLBind(name), SQLBind(draft.unit.trimmedWhitespace), SQLBind(draft.post.trimmedWhitespace),
                    SQLBind(draft.phone.trimmedWhitespace), SQLBind(draft.userID), SQLBind(divisionPath), SQLBind(actor.name), SQLBind(Date()))
            .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
        let cadre = LiaisonCadre(id: id, name: name, unit: draft.unit.trimmedWhitespace, post: draft.post.trimmedWhitespace,
                                 phone: draft.phone.trimmedWhitespace, userID: draft.userID)
        try await AuditLog.record("liaison.cadre.create", entityType: "liaison_cadre", entityID: String(id), divisionPath: divisionPath,
                                  before: nil, after: ["姓名": cadre.name, "单位": cadre.unit, "职务": cadre.post, "联系电话": cadre.phone],
                                  by: actor, on: db)
        return cadre
    }

    struct CadreRow: Decodable {
        var id: Int
        var name: String
        var unit: String
        var post: String
        var phone: String
        var userId: String?
        var divisionPath: String

        var cadre: LiaisonCadre { LiaisonCadre(id: id, name: name, unit: unit, post: post, phone: phone, userID: userId) }
    }

    static let cadreColumns = ["id", "name", "unit", "post", "phone", "user_id", "division_path"]

    /// The cadres someone working in `scope` may assign: named inside it, or above it (a city's cadre
    /// helps in its counties), by name.
    public static func cadres(visibleIn scope: Scope, on db: any Database) async throws -> [LiaisonCadre] {
        let rows = try await db.sql.select().columns(cadreColumns.map { SQLColumn($0) }).from("liaison_cadres").orderBy("id")
            .all(decoding: CadreRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        // By pinyin (a few hundred cadres at most), then in the order they were added.
        return rows.filter { scope.overlaps($0.divisionPath) }.enumerated()
            .map { (key: NameSortKey.of($0.element.name), index: $0.offset, cadre: $0.element.cadre) }
            .sorted { ($0.key, $0.index) < ($1.key, $1.index) }.map(\.cadre)
    }

    /// The cadre an account signs in as, if any.
    public static func cadre(forUser userID: String, on db: any Database) async throws -> LiaisonCadre? {
        try await db.sql.select().columns(cadreColumns.map { SQLColumn($0) }).from("liaison_cadres").where("user_id", .equal, userID)
            .orderBy("id").first(decoding: CadreRow.self, keyDecodingStrategy: .convertFromSnakeCase)?.cadre
    }

    static func requireCadre(_ id: Int, visibleIn scope: Scope, on db: any Database) async throws -> LiaisonCadre {
        guard let row = try await db.sql.select().columns(cadreColumns.map { SQLColumn($0) }).from("liaison_cadres").where("id", .equal, id)
            .first(decoding: CadreRow.self, keyDecodingStrategy: .convertFromSnakeCase), scope.overlaps(row.divisionPath) else {
            throw Refusal("挂钩干部：找不到编号为 \(id) 的干部，或不在您的管理范围内", field: "cadreID")
        }
        return row.cadre
    }

    // MARK: - Assignments

    /// Puts a cadre in charge of (or to help with) a township for a campaign. A township in
    /// another subtree is not found; a second lead over the same days is refused.
    public static func assign(_ draft: LiaisonAssignmentDraft, in scope: Scope, by actor: Actor, on database: any Database) async throws -> LiaisonAssignment {
        let problems = draft.problems()
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        guard let township = try await DivisionQueries.find(draft.townshipCode, on: database), scope.contains(township.path) else {
            throw Refusal.divisionNotFound(draft.townshipCode)
        }
        guard township.level == .township else {
            throw Refusal("乡镇：「\(township.name)」是\(township.level.label)；挂钩联系落实到乡镇（街道）", field: "township")
        }
        let campaign = try await CampaignStore.require(draft.campaignID, on: database)
        guard DivisionPath(campaign.regionPath).contains(township.path) else {
            throw Refusal("建团活动：「\(township.name)」不在「\(campaign.name)」的范围内", field: "campaignID")
        }
        return try await writeTransaction(on: database) { db in
            let cadre: LiaisonCadre
            switch draft.cadre {
            case .existing(let id): cadre = try await requireCadre(id, visibleIn: scope, on: db)
            case .new(let details): cadre = try await insertCadre(details, at: township.path, by: actor, on: db)
            }
            let existing = try await assignments(township: township.code, campaignID: campaign.id, on: db)
            if draft.role == .lead, let clash = existing.first(where: { $0.role == .lead && $0.overlaps(from: draft.startsOn, to: draft.endsOn) }) {
                throw Refusal.conflict("\(township.name)在 \(clash.startsOn)—\(clash.endsOn?.description ?? "今后") 已由\(clash.cadre.name)牵头联系；"
                                       + "一个乡镇同一时间只有一名牵头干部，请先结束现有的挂钩")
            }
            if let same = existing.first(where: { $0.cadre.id == cadre.id && $0.overlaps(from: draft.startsOn, to: draft.endsOn) }) {
                throw Refusal.conflict("\(cadre.name)在这段时间已挂钩\(township.name)（\(same.role.label)，自 \(same.startsOn)）")
            }
            let now = Date()
            let id = try await db.sql.insert(into: "liaison_assignments")
                .columns("campaign_id", "township_code", "township_path", "cadre_id", "role", "starts_on", "ends_on", "assigned_by", "assigned_at")
                .values(SQLBind(campaign.id), SQLBind(township.code), SQLBind(township.path), SQLBind(cadre.id), SQLBind(draft.role.rawValue),
                        SQLBind(draft.startsOn.description), SQLBind(draft.endsOn?.description), SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("liaison.assign", entityType: "liaison_assignment", entityID: String(id), divisionPath: township.path,
                                      before: nil, after: [
                                          "活动": campaign.name, "乡镇": township.name, "干部": cadre.name, "方式": draft.role.label,
                                          "开始日期": draft.startsOn.description, "结束日期": draft.endsOn?.description ?? "",
                                      ], by: actor, on: db)
            return LiaisonAssignment(id: id, campaignID: campaign.id, townshipCode: township.code, townshipPath: township.path, cadre: cadre,
                                     role: draft.role, startsOn: draft.startsOn, endsOn: draft.endsOn, assignedBy: actor.name, assignedAt: now,
                                     endedBy: nil, endReason: nil)
        }
    }

    /// Ends an assignment on `lastDay` (inclusive) for a stated reason; the record stays.
    public static func end(_ id: Int, lastDay: CalendarDay, reason: String, in scope: Scope, by actor: Actor,
                           on database: any Database) async throws -> LiaisonAssignment {
        guard let reason = reason.nilIfBlank else { throw Refusal("结束原因：请写明为什么结束这项挂钩（如 工作调整）", field: "reason") }
        return try await writeTransaction(on: database) { db in
            guard var assignment = try await find(id, on: db), scope.contains(assignment.townshipPath) else {
                throw Refusal.notFound("找不到编号为 \(id) 的挂钩安排")
            }
            guard assignment.endedBy == nil else { throw Refusal.conflict("这项挂钩已于 \(assignment.endsOn?.description ?? "") 结束") }
            guard lastDay >= assignment.startsOn else {
                throw Refusal("结束日期：\(lastDay) 早于开始日期 \(assignment.startsOn)", field: "lastDay")
            }
            if let endsOn = assignment.endsOn, lastDay > endsOn {
                throw Refusal("结束日期：\(lastDay) 晚于原定结束日期 \(endsOn)", field: "lastDay")
            }
            try await db.sql.update("liaison_assignments").set("ends_on", to: SQLBind(lastDay.description)).set("ended_by", to: SQLBind(actor.name))
                .set("ended_at", to: SQLBind(Date())).set("end_reason", to: SQLBind(reason)).where("id", .equal, id).run()
            try await AuditLog.record("liaison.end", entityType: "liaison_assignment", entityID: String(id), divisionPath: assignment.townshipPath,
                                      before: ["干部": assignment.cadre.name, "结束日期": assignment.endsOn?.description ?? ""],
                                      after: ["干部": assignment.cadre.name, "结束日期": lastDay.description, "原因": reason], by: actor, on: db)
            assignment.endsOn = lastDay
            assignment.endedBy = actor.name
            assignment.endReason = reason
            return assignment
        }
    }

    /// The townships' paths follow a township moved to another county.
    static func followTownship(_ code: String, to path: String, on db: any Database) async throws {
        try await db.sql.update("liaison_assignments").set("township_path", to: path).where("township_code", .equal, code).run()
        try await db.sql.update("visits").set("township_path", to: path).where("township_code", .equal, code).run()
    }
}

extension LiaisonStore {
    /// Links the (first unlinked) cadre of that name to an account, so the cadre signs in as themself.
    public static func linkAccount(cadreName: String, userID: String, by actor: Actor, on database: any Database) async throws {
        try await writeTransaction(on: database) { db in
            guard let row = try await db.sql.select().columns(cadreColumns.map { SQLColumn($0) }).from("liaison_cadres").where("name", .equal, cadreName)
                .where("user_id", .is, SQLLiteral.null).orderBy("id").first(decoding: CadreRow.self, keyDecodingStrategy: .convertFromSnakeCase) else { return }
            try await db.sql.update("liaison_cadres").set("user_id", to: SQLBind(userID)).where("id", .equal, row.id).run()
            try await AuditLog.record("liaison.cadre.link", entityType: "liaison_cadre", entityID: String(row.id), divisionPath: row.divisionPath,
                                      before: ["账号": ""], after: ["账号": userID], by: actor, on: db)
        }
    }
}
