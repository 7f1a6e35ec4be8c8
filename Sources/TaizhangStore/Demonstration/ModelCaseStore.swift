import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// 典型案例: write-ups of a township's or unit's method, linked to the ledger's organizations and
/// the township's recorded activities, searchable by build mode, unit category and words of the title or text.
public enum ModelCaseStore {
    public static func create(_ draft: ModelCaseDraft, in scope: Scope, by actor: Actor, on database: any Database) async throws -> ModelCase {
        var problems = draft.check()
        let lists = try await ReferenceStore.lists(on: database)
        let buildMode = ReferenceKind.buildMode.match(draft.buildMode, in: lists.values[.buildMode] ?? [])
        let category = ReferenceKind.unitCategory.match(draft.unitCategory, in: lists.values[.unitCategory] ?? [])
        if buildMode == nil { problems.append(.init(field: "建团方式", reason: "「\(draft.buildMode)」不在建团方式列表里")) }
        if category == nil { problems.append(.init(field: "单位类别", reason: "「\(draft.unitCategory)」不在单位类别列表里")) }
        guard problems.isEmpty, let buildMode, let category else { throw Refusal.invalid(problems) }
        guard let division = try await DivisionQueries.find(draft.divisionCode.trimmedWhitespace, on: database), scope.contains(division.path) else {
            throw Refusal.divisionNotFound(draft.divisionCode)
        }
        guard division.level == .township else {
            throw Refusal("乡镇（街道）：「\(division.name)」是\(division.level.label)，请选择乡镇（街道）", field: "township")
        }
        if let id = draft.campaignID { _ = try await CampaignStore.require(id, on: database) }
        let codes = Array(Set(draft.organizationCodes.compactMap(\.nilIfBlank))).sorted()
        if !codes.isEmpty {
            struct Found: Decodable { var code: String; var divisionPath: String }
            let found = try await database.sql.select().column("code").column("division_path").from("organizations").where("code", .in, codes)
                .all(decoding: Found.self, keyDecodingStrategy: .convertFromSnakeCase)
            let inside = Set(found.filter { DivisionPath(division.path).contains($0.divisionPath) }.map(\.code))
            let missing = codes.filter { !inside.contains($0) }
            if !missing.isEmpty {
                throw Refusal("涉及的团组织：\(missing.joined(separator: "、")) 不是\(division.name)台账里的组织编码", field: "organizations")
            }
        }
        let activityIDs = Array(Set(draft.activityIDs)).sorted()
        if !activityIDs.isEmpty {
            let found = Set(try await database.sql.select().column("id").from("activities").where("id", .in, activityIDs)
                .where("township_code", .equal, division.code).all(decodingColumn: "id", as: Int.self))
            let missing = activityIDs.filter { !found.contains($0) }
            if !missing.isEmpty {
                throw Refusal("涉及的品牌活动：编号 \(missing.map(String.init).joined(separator: "、")) 不是\(division.name)记录的活动", field: "activities")
            }
        }
        let unit = draft.unitName.trimmedWhitespace.nilIfBlank
        return try await writeTransaction(on: database) { db in
            let now = Date()
            let id = try await db.sql.insert(into: "model_cases")
                .columns("campaign_id", "division_code", "division_path", "unit_name", "title", "build_mode", "unit_category", "what_worked",
                         "created_by", "created_at")
                .values(SQLBind(draft.campaignID), SQLBind(division.code), SQLBind(division.path), SQLBind(unit), SQLBind(draft.title.trimmedWhitespace),
                        SQLBind(buildMode), SQLBind(category), SQLBind(draft.whatWorked.trimmedWhitespace), SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            for code in codes {
                try await db.sql.insert(into: "model_case_organizations").columns("model_case_id", "organization_code").values(SQLBind(id), SQLBind(code)).run()
            }
            for activityID in activityIDs {
                try await db.sql.insert(into: "model_case_activities").columns("model_case_id", "activity_id").values(SQLBind(id), SQLBind(activityID)).run()
            }
            try await AuditLog.record("model_case.create", entityType: "model_case", entityID: String(id), divisionPath: division.path, before: nil, after: [
                "标题": draft.title.trimmedWhitespace, "乡镇": division.name, "单位": unit ?? "", "建团方式": buildMode, "单位类别": category,
                "主要做法和成效": draft.whatWorked.trimmedWhitespace, "团组织": codes.joined(separator: "、"),
                "品牌活动": activityIDs.map { "编号 \($0)" }.joined(separator: "、"),
            ], by: actor, on: db)
            return ModelCase(id: id, campaignID: draft.campaignID, divisionCode: division.code, divisionPath: division.path, unitName: unit,
                             title: draft.title.trimmedWhitespace, buildMode: buildMode, unitCategory: category, whatWorked: draft.whatWorked.trimmedWhitespace,
                             organizationCodes: codes, activityIDs: activityIDs, createdBy: actor.name, createdAt: now)
        }
    }

    struct Row: Decodable {
        var id: Int
        var campaignId: Int?
        var divisionCode: String
        var divisionPath: String
        var unitName: String?
        var title: String
        var buildMode: String
        var unitCategory: String
        var whatWorked: String
        var createdBy: String
        var createdAt: Date

        func modelCase(_ codes: [String], activityIDs: [Int] = []) -> ModelCase {
            ModelCase(id: id, campaignID: campaignId, divisionCode: divisionCode, divisionPath: divisionPath, unitName: unitName, title: title,
                      buildMode: buildMode, unitCategory: unitCategory, whatWorked: whatWorked, organizationCodes: codes, activityIDs: activityIDs,
                      createdBy: createdBy, createdAt: createdAt)
        }
    }

    static let columns = ["id", "campaign_id", "division_code", "division_path", "unit_name", "title", "build_mode", "unit_category", "what_worked",
                          "created_by", "created_at"]

    public static func require(_ id: Int, in scope: Scope, on db: any Database) async throws -> ModelCase {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("model_cases").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase), scope.contains(row.divisionPath) else {
            throw Refusal.notFound("找不到编号为 \(id) 的典型案例")
        }
        let codes = try await db.sql.select().column("organization_code").from("model_case_organizations").where("model_case_id", .equal, id)
            .orderBy("organization_code").all(decodingColumn: "organization_code", as: String.self)
        let activityIDs = try await db.sql.select().column("activity_id").from("model_case_activities").where("model_case_id", .equal, id)
            .orderBy("activity_id").all(decodingColumn: "activity_id", as: Int.self)
        return row.modelCase(codes, activityIDs: activityIDs)
    }

    /// Cases inside `scope`, newest first, narrowed by build mode, unit category and a word of the title, unit or text.
    public static func search(buildMode: String?, unitCategory: String?, text: String?, in scope: Scope, limit: Int = 200,
                              on db: any Database) async throws -> [ModelCase] {
        let select = db.sql.select().columns(columns.map { SQLColumn($0) }).from("model_cases").whereInside(scope, SQLColumn("division_path"))
        if let buildMode = buildMode?.nilIfBlank { select.where("build_mode", .equal, buildMode) }
        if let category = unitCategory?.nilIfBlank { select.where("unit_category", .equal, category) }
        if let text = text?.trimmedWhitespace.nilIfBlank {
            let pattern = "%" + text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            select.where { group in
                group.orWhere("title", .like, pattern).orWhere("what_worked", .like, pattern).orWhere("unit_name", .like, pattern)
            }
        }
        return try await select.orderBy("id", .descending).limit(limit).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
            .map { $0.modelCase([]) }
    }
}
