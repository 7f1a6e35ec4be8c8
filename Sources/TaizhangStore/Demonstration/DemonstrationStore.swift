import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// 示范乡镇: the city's checklist and each county's limit per campaign, nominations by a county,
/// the city's decision and acceptance visit. Every write is one audited transaction; a refused
/// one writes nothing. Evidence and reading are in `DemonstrationStore+Evidence` and `+Reading`.
public enum DemonstrationStore {
    /// The county's limit for the campaign: the city's setting or `NominationLimit.standard`.
    public static func nominationLimit(_ campaignID: Int, on db: any Database) async throws -> Int {
        try await db.sql.select().column("nomination_limit").from("demonstration_limits").where("campaign_id", .equal, campaignID)
            .first(decodingColumn: "nomination_limit", as: Int.self) ?? NominationLimit.standard
    }

    public static func setNominationLimit(_ campaignID: Int, to limit: Int, by actor: Actor, on database: any Database) async throws {
        guard NominationLimit.range.contains(limit) else {
            throw Refusal("每县推荐名额：「\(limit)」不在 \(NominationLimit.range.lowerBound)–\(NominationLimit.range.upperBound) 之间", field: "limit")
        }
        let campaign = try await CampaignStore.require(campaignID, on: database)
        try await writeTransaction(on: database) { db in
            let before = try await nominationLimit(campaignID, on: db)
            try await db.sql.delete(from: "demonstration_limits").where("campaign_id", .equal, campaignID).run()
            try await db.sql.insert(into: "demonstration_limits").columns("campaign_id", "nomination_limit", "set_by", "set_at")
                .values(SQLBind(campaignID), SQLBind(limit), SQLBind(actor.name), SQLBind(Date())).run()
            try await AuditLog.record("demonstration.limit", entityType: "campaign", entityID: String(campaignID), divisionPath: campaign.regionPath,
                                      before: ["每县推荐名额": before], after: ["每县推荐名额": limit], by: actor, on: db)
        }
    }

    public static func addCriterion(_ campaignID: Int, _ draft: DemonstrationCriterion.Draft, by actor: Actor,
                                    on database: any Database) async throws -> DemonstrationCriterion {
        let problems = draft.check()
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        let campaign = try await CampaignStore.require(campaignID, on: database)
        let threshold = draft.kind.isMeasured ? (draft.threshold ?? draft.kind.defaultThreshold) : nil
        // A measured item is met by the data, never by evidence.
        let evidenceRequired = draft.kind == .evidence && draft.evidenceRequired
        return try await writeTransaction(on: database) { db in
            let position = (try await criteria(campaignID, on: db).map(\.position).max() ?? 0) + 1
            let id = try await db.sql.insert(into: "demonstration_criteria")
                .columns("campaign_id", "position", "title", "kind", "threshold", "evidence_required", "created_by", "created_at")
                .values(SQLBind(campaignID), SQLBind(position), SQLBind(draft.title.trimmedWhitespace), SQLBind(draft.kind.rawValue), SQLBind(threshold),
                        SQLBind(evidenceRequired), SQLBind(actor.name), SQLBind(Date()))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            let criterion = DemonstrationCriterion(id: id, campaignID: campaignID, position: position, title: draft.title.trimmedWhitespace,
                                                   kind: draft.kind, threshold: threshold, evidenceRequired: evidenceRequired)
            try await AuditLog.record("demonstration.criterion", entityType: "campaign", entityID: String(campaignID), divisionPath: campaign.regionPath,
                                      before: nil, after: ["条件": criterion.title, "类型": draft.kind.label,
                                                           "达标线": threshold.map { draft.kind.figureText($0) } ?? "",
                                                           "须佐证": evidenceRequired ? "是" : "否"], by: actor, on: db)
            return criterion
        }
    }

    public static func criteria(_ campaignID: Int, on db: any Database) async throws -> [DemonstrationCriterion] {
        struct Row: Decodable {
            var id: Int; var campaignId: Int; var position: Int; var title: String; var kind: String; var threshold: Double?; var evidenceRequired: Bool
        }
        return try await db.sql.select().columns("id", "campaign_id", "position", "title", "kind", "threshold", "evidence_required")
            .from("demonstration_criteria").where("campaign_id", .equal, campaignID).orderBy("position")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
            .map { DemonstrationCriterion(id: $0.id, campaignID: $0.campaignId, position: $0.position, title: $0.title,
                                          kind: .init(rawValue: $0.kind) ?? .evidence, threshold: $0.threshold, evidenceRequired: $0.evidenceRequired) }
    }

    /// A county nominates one of its townships; a township already nominated, or one more than the
    /// county's limit, is refused and names the ones it has.
    public static func nominate(_ campaignID: Int, townshipCode: String, reason: String, in scope: Scope, by actor: Actor,
                                on database: any Database) async throws -> Demonstration {
        let campaign = try await CampaignStore.require(campaignID, on: database)
        guard let township = try await DivisionQueries.find(townshipCode.trimmedWhitespace, on: database), scope.contains(township.path) else {
            throw Refusal.divisionNotFound(townshipCode)
        }
        guard township.level == .township, let countyCode = township.parentCode else {
            throw Refusal("推荐乡镇：「\(township.name)」是\(township.level.label)，请选择乡镇（街道）", field: "township")
        }
        guard campaign.region.contains(township.path) else {
            throw Refusal("推荐乡镇：\(township.name)不在「\(campaign.name)」的范围内", field: "township")
        }
        let reasonText = reason.trimmedWhitespace
        guard !reasonText.isEmpty else { throw Refusal("推荐理由：请写明推荐这个乡镇的理由", field: "reason") }
        return try await writeTransaction(on: database) { db in
            let existing = try await list(campaignID, under: "", in: .everywhere, on: db)
            if existing.contains(where: { $0.townshipCode == township.code }) {
                throw Refusal.conflict("推荐乡镇：\(township.name)已被推荐过，不能重复推荐")
            }
            let limit = try await nominationLimit(campaignID, on: db)
            let held = existing.filter { $0.countyCode == countyCode && $0.status.holdsPlace }
            if held.count >= limit {
                let names = try await divisionNames(held.map(\.townshipCode), on: db)
                let county = try await DivisionQueries.find(countyCode, on: db)?.name ?? countyCode
                throw Refusal("推荐乡镇：\(county)已推荐 \(held.count) 个示范乡镇（\(held.map { names[$0.townshipCode] ?? $0.townshipCode }.joined(separator: "、"))），"
                              + "每县最多 \(limit) 个；不能再推荐\(township.name)", kind: .conflict, field: "township")
            }
            let now = Date()
            let id = try await db.sql.insert(into: "demonstration_townships")
                .columns("campaign_id", "township_code", "township_path", "county_code", "status", "reason", "nominated_by", "nominated_at")
                .values(SQLBind(campaignID), SQLBind(township.code), SQLBind(township.path), SQLBind(countyCode),
                        SQLBind(DemonstrationStatus.nominated.rawValue), SQLBind(reasonText), SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("demonstration.nominate", entityType: "demonstration", entityID: String(id), divisionPath: township.path,
                                      before: nil, after: ["乡镇": township.name, "推荐理由": reasonText, "活动": campaign.name], by: actor, on: db)
            return Demonstration(id: id, campaignID: campaignID, townshipCode: township.code, townshipPath: township.path, countyCode: countyCode,
                                 status: .nominated, reason: reasonText, nominatedBy: actor.name, nominatedAt: now, evidence: [])
        }
    }

    /// The city approves a nomination or declines it (a declined one frees the county's place).
    public static func decide(_ id: Int, approve: Bool, note: String, in scope: Scope, by actor: Actor,
                              on database: any Database) async throws -> Demonstration {
        let current = try await require(id, in: scope, on: database)
        guard current.status == .nominated else {
            throw Refusal.conflict("这个乡镇已经\(current.status == .approved ? "认定" : "作出不予认定的决定")，不能再次审批")
        }
        let noteText = note.trimmedWhitespace
        if !approve && noteText.isEmpty { throw Refusal("审批意见：不予认定时请写明理由", field: "note") }
        let status: DemonstrationStatus = approve ? .approved : .rejected
        return try await writeTransaction(on: database) { db in
            try await db.sql.update("demonstration_townships").set("status", to: SQLBind(status.rawValue)).set("decided_by", to: SQLBind(actor.name))
                .set("decided_at", to: SQLBind(Date())).set("decision_note", to: SQLBind(noteText)).where("id", .equal, id).run()
            try await AuditLog.record("demonstration.decide", entityType: "demonstration", entityID: String(id), divisionPath: current.townshipPath,
                                      before: ["状态": current.status.label], after: ["状态": status.label, "审批意见": noteText], by: actor, on: db)
            return try await require(id, in: .everywhere, on: db)
        }
    }

    /// The acceptance visit (验收): the day (not in the future), who went and what they found.
    public static func recordAcceptance(_ id: Int, day: CalendarDay, team: String, findings: String, today: CalendarDay = .today(),
                                        in scope: Scope, by actor: Actor, on database: any Database) async throws -> Demonstration {
        let current = try await require(id, in: scope, on: database)
        var problems: [InvalidInput] = []
        if day > today { problems.append(.init(field: "验收日期", reason: "\(day) 还没到，验收记录只能在验收之后填写")) }
        if team.trimmedWhitespace.isEmpty { problems.append(.init(field: "验收组成员", reason: "请填写")) }
        if findings.trimmedWhitespace.isEmpty { problems.append(.init(field: "验收意见", reason: "请填写")) }
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        guard current.status == .approved else { throw Refusal.conflict("验收：只有市级认定的示范乡镇才能记录验收") }
        return try await writeTransaction(on: database) { db in
            try await db.sql.update("demonstration_townships").set("accepted_on", to: SQLBind(day.description))
                .set("acceptance_team", to: SQLBind(team.trimmedWhitespace)).set("acceptance_findings", to: SQLBind(findings.trimmedWhitespace))
                .set("acceptance_recorded_by", to: SQLBind(actor.name)).where("id", .equal, id).run()
            try await AuditLog.record("demonstration.accept", entityType: "demonstration", entityID: String(id), divisionPath: current.townshipPath,
                                      before: current.acceptance.map { ["验收日期": $0.day.description, "验收意见": $0.findings] },
                                      after: ["验收日期": day.description, "验收组成员": team, "验收意见": findings], by: actor, on: db)
            return try await require(id, in: .everywhere, on: db)
        }
    }

    static func divisionNames(_ codes: [String], on db: any Database) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        struct Row: Decodable { var code: String; var name: String }
        return Dictionary(try await db.sql.select().column("code").column("name").from("divisions").where("code", .in, codes)
            .all(decoding: Row.self).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
