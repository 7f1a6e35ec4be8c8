import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Campaigns and their targets. Every write checks its input, keeps children adding up exactly
/// to their parent, records the change with who, when and why, and audits it — in one transaction.
public enum CampaignStore {
    struct Row: Decodable {
        var id: Int
        var name: String
        var regionCode: String
        var regionPath: String
        var startOn: String
        var deadlineOn: String
        var target: Int
        var newOnly: Bool
        var withinWindow: Bool
        var confirmation: String
        var version: Int
        var createdBy: String
        var createdAt: Date
        var updatedAt: Date

        var campaign: Campaign {
            Campaign(id: id, name: name, regionCode: regionCode, regionPath: regionPath,
                     start: CalendarDay(iso: startOn) ?? CalendarDay(year: 2000, month: 1, day: 1)!,
                     deadline: CalendarDay(iso: deadlineOn) ?? CalendarDay(year: 2000, month: 1, day: 1)!, target: target,
                     rule: CountingRule(newOnly: newOnly, withinWindow: withinWindow,
                                        confirmation: ConfirmationRule(rawValue: confirmation) ?? .none), version: version, createdBy: createdBy,
                     createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    static let columns = ["id", "name", "region_code", "region_path", "start_on", "deadline_on", "target", "new_only",
                          "within_window", "confirmation", "version", "created_by", "created_at", "updated_at"]

    // MARK: - Reading

    public static func find(_ id: Int, on db: any Database) async throws -> Campaign? {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("campaigns").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?.campaign
    }

    public static func require(_ id: Int, on db: any Database) async throws -> Campaign {
        guard let campaign = try await find(id, on: db) else { throw Refusal.campaignNotFound(id) }
        return campaign
    }

    /// Campaigns whose region overlaps `scope`, latest deadline first.
    public static func list(overlapping scope: Scope, on db: any Database) async throws -> [Campaign] {
        let all = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("campaigns")
            .orderBy("deadline_on", .descending).orderBy("id", .descending)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.campaign)
        return all.filter { scope.overlaps($0.regionPath) }
    }

    /// The area a code names: a division, or "CN" for the whole country.
    public static func area(_ code: String, on db: any Database) async throws -> CampaignArea? {
        if code.uppercased() == CampaignArea.country.code { return .country }
        return try await DivisionQueries.find(code, on: db).map(CampaignArea.init)
    }

    /// The areas directly below one (provinces below the country).
    public static func children(of area: CampaignArea, on db: any Database) async throws -> [CampaignArea] {
        let rows = area.code == CampaignArea.country.code
            ? try await Division.query(on: db).filter(\.$parentCode == nil).sort(\.$id).all()
            : try await DivisionQueries.children(of: area.code, on: db)
        return rows.map(CampaignArea.init)
    }

    /// Every division of `level` inside an area (e.g. every city of the country), by code.
    public static func divisions(at level: DivisionLevel, in area: CampaignArea, on db: any Database) async throws -> [CampaignArea] {
        struct Row: Decodable {
            var code: String
            var name: String
            var path: String
            var parent_code: String?
        }
        var query = db.sql.select().columns("code", "name", "path", "parent_code").from(Division.schema).where("level", .equal, level.rawValue)
        if !area.path.isEmpty {
            let (lower, upper) = DivisionPath.subtreeRange(of: area.path)
            query = query.where("path", .greaterThanOrEqual, lower).where("path", .lessThan, upper)
        }
        // Plain rows rather than Fluent models: a national ranking reads 41,352 townships.
        return try await query.orderBy("path").all(decoding: Row.self).map {
            CampaignArea(code: $0.code, name: $0.name, path: $0.path, level: level, parentCode: $0.parent_code)
        }
    }

    static func provinceCodes(on db: any Database) async throws -> [String] {
        try await Division.query(on: db).filter(\.$parentCode == nil).all().map(\.code)
    }

    /// Targets of some divisions in a campaign (divisions without one are absent).
    public static func targets(_ campaignID: Int, codes: [String], on db: any Database) async throws -> [String: Int] {
        struct TargetRow: Decodable {
            var division_code: String
            var target: Int
        }
        var result: [String: Int] = [:]
        for chunk in codes.chunked(500) {
            let rows = try await db.sql.select().columns("division_code", "target").from("campaign_targets")
                .where("campaign_id", .equal, campaignID).where("division_code", .in, chunk)
                .all(decoding: TargetRow.self)
            for row in rows { result[row.division_code] = row.target }
        }
        return result
    }

    /// Target changes of a campaign, newest first; of one division and its children when `code` is given.
    public static func changes(_ campaignID: Int, under path: String? = nil, limit: Int = 200, on db: any Database) async throws -> [TargetChange] {
        var query = db.sql.select().columns("division_code", "old_target", "new_target", "method", "reason", "actor_name", "changed_at")
            .from("campaign_target_changes").where("campaign_id", .equal, campaignID)
        if let path, !path.isEmpty { query = query.whereInSubtrees(SQLColumn("division_path"), [path]) }
        return try await query.orderBy("id", .descending).limit(limit)
            .all(decoding: TargetChange.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    // MARK: - Campaigns

    public static func create(_ draft: CampaignDraft, by actor: Actor, on database: any Database) async throws -> Campaign {
        var trimmed = draft
        trimmed.name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let draft = trimmed
        guard draft.problems.isEmpty else { throw Refusal.invalid(draft.problems) }
        return try await writeTransaction(on: database) { db in
            guard let region = try await area(draft.regionCode, on: db) else {
                throw Refusal("覆盖地区：找不到代码为「\(draft.regionCode)」的行政区划")
            }
            guard region.level != .township else {
                throw Refusal("覆盖地区：「\(region.name)」是乡镇（街道），活动须覆盖县级或以上地区")
            }
            let now = Date()
            let id = try await db.sql.insert(into: "campaigns")
                .columns(Array(columns.dropFirst()))
                .values(SQLBind(draft.name), SQLBind(region.code), SQLBind(region.path), SQLBind(draft.start.description),
                        SQLBind(draft.deadline.description), SQLBind(draft.target), SQLBind(draft.rule.newOnly),
                        SQLBind(draft.rule.withinWindow), SQLBind(draft.rule.confirmation.rawValue), SQLBind(1), SQLBind(actor.name), SQLBind(now), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self)
            guard let id else { throw Refusal("新建活动失败：数据库没有返回编号") }
            try await setTargets(id, [(region.code, region.path, draft.target)], method: "create", reason: "新建活动", by: actor, on: db)
            let campaign = try await require(id, on: db)
            try await AuditLog.record("campaign.create", entityType: "campaign", entityID: String(id), divisionPath: region.path,
                                      before: nil, after: campaign.auditSnapshot, by: actor, on: db)
            return campaign
        }
    }

    /// Saves a campaign's changed settings. A new total target is spread over the existing
    /// shares in proportion (largest remainder, at every level), so everything still adds up; it
    /// may not fall below what is already counted.
    public static func update(_ id: Int, _ draft: CampaignDraft, expectedVersion: Int, by actor: Actor, on database: any Database) async throws -> Campaign {
        var trimmed = draft
        trimmed.name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let draft = trimmed
        guard draft.problems.isEmpty else { throw Refusal.invalid(draft.problems) }
        return try await writeTransaction(on: database) { db in
            let current = try await require(id, on: db)
            guard current.version == expectedVersion else {
                throw Refusal("「\(current.name)」已被他人修改（您打开的是第 \(expectedVersion) 版，现在是第 \(current.version) 版），请重新打开", kind: .conflict)
            }
            guard draft.regionCode == current.regionCode else { throw Refusal("覆盖地区：建立后不能更改，请新建一个活动") }
            var updated = current
            updated.name = draft.name
            updated.start = draft.start
            updated.deadline = draft.deadline
            updated.rule = draft.rule
            updated.target = draft.target
            if draft.target != current.target {
                let progress = try await CampaignProgress.figures(updated, areas: [try await regionArea(current, on: db)],
                                                                  asOf: updated.deadline, on: db)
                if let counted = progress.first?.progress.counted, draft.target < counted {
                    throw Refusal("总指标：\(draft.target) 低于已计入的 \(counted) 个")
                }
                try await rescale(updated, code: current.regionCode, to: draft.target, reason: "调整总指标", by: actor, on: db)
            }
            guard updated != current else { return current }
            try await db.sql.update("campaigns")
                .set("name", to: SQLBind(updated.name)).set("start_on", to: SQLBind(updated.start.description))
                .set("deadline_on", to: SQLBind(updated.deadline.description)).set("target", to: SQLBind(updated.target))
                .set("new_only", to: SQLBind(updated.rule.newOnly)).set("within_window", to: SQLBind(updated.rule.withinWindow))
                .set("confirmation", to: SQLBind(updated.rule.confirmation.rawValue))
                .set("version", to: SQLBind(current.version + 1)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, id).run()
            let diff = OrganizationStore.changed(current.auditSnapshot, updated.auditSnapshot)
            try await AuditLog.record("campaign.update", entityType: "campaign", entityID: String(id), divisionPath: current.regionPath,
                                      before: diff.before, after: diff.after, by: actor, on: db)
            return try await require(id, on: db)
        }
    }

    /// The campaign's region as an area.
    public static func regionArea(_ campaign: Campaign, on db: any Database) async throws -> CampaignArea {
        guard let region = try await area(campaign.regionCode, on: db) else {
            throw Refusal("活动的覆盖地区「\(campaign.regionCode)」已不存在", kind: .conflict)
        }
        return region
    }
}
