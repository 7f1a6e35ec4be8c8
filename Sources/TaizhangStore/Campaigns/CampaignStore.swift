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
        var version: Int
        var createdBy: String
        var createdAt: Date
        var updatedAt: Date

        var campaign: Campaign {
            Campaign(id: id, name: name, regionCode: regionCode, regionPath: regionPath,
                     start: CalendarDay(iso: startOn) ?? CalendarDay(year: 2000, month: 1, day: 1)!,
                     deadline: CalendarDay(iso: deadlineOn) ?? CalendarDay(year: 2000, month: 1, day: 1)!, target: target,
                     rule: CountingRule(newOnly: newOnly, withinWindow: withinWindow), version: version, createdBy: createdBy,
                     createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    static let columns = ["id", "name", "region_code", "region_path", "start_on", "deadline_on", "target", "new_only",
                          "within_window", "version", "created_by", "created_at", "updated_at"]

    // MARK: - Reading

    public static func find(_ id: Int, on db: any Database) async throws -> Campaign? {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("campaigns").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?.campaign
    }

    public static func require(_ id: Int, on db: any Database) async throws -> Campaign {
        guard let campaign = try await find(id, on: db) else { throw CampaignError.notFound(id) }
        return campaign
    }

    /// Campaigns whose region overlaps any of `paths` (nil: all), latest deadline first.
    public static func list(overlapping paths: [String]?, on db: any Database) async throws -> [Campaign] {
        let all = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("campaigns")
            .orderBy("deadline_on", .descending).orderBy("id", .descending)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.campaign)
        guard let paths else { return all }
        return all.filter { campaign in paths.contains { $0.hasPrefix(campaign.regionPath) || campaign.regionPath.hasPrefix($0) } }
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
        guard draft.problems.isEmpty else { throw CampaignError.invalid(draft.problems) }
        return try await writeTransaction(on: database) { db in
            guard let region = try await area(draft.regionCode, on: db) else {
                throw CampaignError("覆盖地区：找不到代码为「\(draft.regionCode)」的行政区划")
            }
            guard region.level != .township else {
                throw CampaignError("覆盖地区：「\(region.name)」是乡镇（街道），活动须覆盖县级或以上地区")
            }
            let now = Date()
            let id = try await db.sql.insert(into: "campaigns")
                .columns(Array(columns.dropFirst()))
                .values(SQLBind(draft.name), SQLBind(region.code), SQLBind(region.path), SQLBind(draft.start.description),
                        SQLBind(draft.deadline.description), SQLBind(draft.target), SQLBind(draft.rule.newOnly),
                        SQLBind(draft.rule.withinWindow), SQLBind(1), SQLBind(actor.name), SQLBind(now), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self)
            guard let id else { throw CampaignError("新建活动失败：数据库没有返回编号") }
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
        guard draft.problems.isEmpty else { throw CampaignError.invalid(draft.problems) }
        return try await writeTransaction(on: database) { db in
            let current = try await require(id, on: db)
            guard current.version == expectedVersion else {
                throw CampaignError("「\(current.name)」已被他人修改（您打开的是第 \(expectedVersion) 版，现在是第 \(current.version) 版），请重新打开", kind: .conflict)
            }
            guard draft.regionCode == current.regionCode else { throw CampaignError("覆盖地区：建立后不能更改，请新建一个活动") }
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
                    throw CampaignError("总指标：\(draft.target) 低于已计入的 \(counted) 个")
                }
                try await rescale(updated, code: current.regionCode, to: draft.target, reason: "调整总指标", by: actor, on: db)
            }
            guard updated != current else { return current }
            try await db.sql.update("campaigns")
                .set("name", to: SQLBind(updated.name)).set("start_on", to: SQLBind(updated.start.description))
                .set("deadline_on", to: SQLBind(updated.deadline.description)).set("target", to: SQLBind(updated.target))
                .set("new_only", to: SQLBind(updated.rule.newOnly)).set("within_window", to: SQLBind(updated.rule.withinWindow))
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
            throw CampaignError("活动的覆盖地区「\(campaign.regionCode)」已不存在", kind: .conflict)
        }
        return region
    }

    // MARK: - Targets

    /// Splits the target of `parentCode` over its children by `method` (and, with `cascade`,
    /// each child's over its own children, down to the townships).
    public struct Allocation: Sendable {
        public var parentCode: String
        public var method: TargetAllocation.Method
        public var weights: WeightRule
        /// For `.manual`: child code → target.
        public var manualShares: [String: Int]
        public var cascade: Bool
        public var reason: String?
        /// Direct children left out of an equal or weighted split (不参与): they and everything
        /// below them get 0.
        public var excluded: Set<String>

        public init(parentCode: String, method: TargetAllocation.Method, weights: WeightRule = .init(), manualShares: [String: Int] = [:],
                    cascade: Bool = false, reason: String? = nil, excluded: Set<String> = []) {
            self.parentCode = parentCode
            self.method = method
            self.weights = weights
            self.manualShares = manualShares
            self.cascade = cascade
            self.reason = reason
            self.excluded = excluded
        }
    }

    /// One child's share as an allocation would set it.
    public struct Share: Sendable, Codable, Equatable {
        public var code: String
        public var name: String
        public var path: String
        public var parentCode: String
        public var target: Int
        public var previous: Int?
    }

    /// What `allocation` would set, without saving it.
    public static func preview(_ campaignID: Int, _ allocation: Allocation, on db: any Database) async throws -> [Share] {
        do {
            return try await computeShares(campaignID, allocation, on: db)
        } catch let problem as InvalidInput {
            throw CampaignError(problem.message)
        }
    }

    static func computeShares(_ campaignID: Int, _ allocation: Allocation, on db: any Database) async throws -> [Share] {
        try allocation.weights.validate()
        guard let parent = try await area(allocation.parentCode, on: db) else {
            throw CampaignError("分配对象：找不到代码为「\(allocation.parentCode)」的行政区划")
        }
        let campaign = try await require(campaignID, on: db)
        guard parent.path.hasPrefix(campaign.regionPath) else {
            throw CampaignError("分配对象：「\(parent.name)」不在活动「\(campaign.name)」的地区内")
        }
        guard let total = try await targets(campaignID, codes: [parent.code], on: db)[parent.code] else {
            throw CampaignError("分配对象：「\(parent.name)」还没有指标，请先分配它的上级")
        }
        let weights = allocation.method == .weighted ? try await townshipWeights(under: parent, rule: allocation.weights, on: db) : [:]
        // The subtree once, in memory: a national cascade visits 3,351 parents.
        let below = allocation.cascade ? try await subtree(of: parent, on: db) : [parent.code: try await self.children(of: parent, on: db)]
        let previous = try await targets(campaignID, codes: below.values.flatMap { $0.map(\.code) }, on: db)
        if let code = allocation.excluded.subtracting((below[parent.code] ?? []).map(\.code)).sorted().first {
            throw CampaignError("不参与：「\(code)」不是「\(parent.name)」的直接下级")
        }
        var shares: [Share] = []
        var queue: [(CampaignArea, Int)] = [(parent, total)]
        var next = 0
        while next < queue.count {
            let (node, nodeTarget) = queue[next]
            next += 1
            let children = below[node.code] ?? []
            guard !children.isEmpty else { continue }
            var amounts: [Int]
            // Children left out (at the top only) get 0, and below a unit with 0 there is nothing to split.
            let leftOut = node.code == parent.code && allocation.method != .manual ? allocation.excluded : []
            let taking = children.filter { !leftOut.contains($0.code) }
            if nodeTarget == 0 && node.code != parent.code {
                amounts = Array(repeating: 0, count: children.count)
            } else if taking.isEmpty {
                throw CampaignError("「\(node.name)」的下级都标为不参与，指标 \(nodeTarget) 无处可分")
            } else {
                switch allocation.method {
                case .manual:
                    guard node.code == parent.code else { continue }
                    let unknown = Set(allocation.manualShares.keys).subtracting(children.map(\.code))
                    if let code = unknown.sorted().first {
                        throw CampaignError("手工分配：「\(code)」不是「\(parent.name)」的直接下级")
                    }
                    let missing = children.filter { allocation.manualShares[$0.code] == nil }
                    if let first = missing.first {
                        throw CampaignError("手工分配：缺少「\(first.name)」的指标（\(missing.count) 个单位未填）")
                    }
                    try TargetAllocation.checkManual(total: nodeTarget, shares: children.map { ($0.name, allocation.manualShares[$0.code]!) })
                    amounts = children.map { allocation.manualShares[$0.code]! }
                case .equal:
                    amounts = try TargetAllocation.largestRemainder(total: nodeTarget, children: taking.map { .init(code: $0.code, weight: 1) })
                case .weighted:
                    let inputs = taking.map { child in
                        let below = weights[child.code] ?? (weight: 0, townships: 0)
                        return TargetAllocation.Child(code: child.code, weight: below.weight,
                                                      floor: allocation.weights.floorPerTownship * max(1, below.townships))
                    }
                    do {
                        amounts = try TargetAllocation.largestRemainder(total: nodeTarget, children: inputs)
                    } catch let error as InvalidInput {
                        throw CampaignError("「\(node.name)」：\(error.message)")
                    }
                }
                if !leftOut.isEmpty {
                    var taken = amounts.makeIterator()
                    amounts = children.map { leftOut.contains($0.code) ? 0 : taken.next() ?? 0 }
                }
            }
            for (child, amount) in zip(children, amounts) {
                shares.append(Share(code: child.code, name: child.name, path: child.path, parentCode: node.code, target: amount,
                                    previous: previous[child.code]))
                if allocation.cascade, child.level != .township { queue.append((child, amount)) }
            }
        }
        guard !shares.isEmpty else { throw CampaignError("分配对象：「\(parent.name)」没有下级单位") }
        return shares
    }

    /// The divisions strictly below `area`, by their parent's code (the country's provinces under "CN"), each list by code.
    static func subtree(of area: CampaignArea, on db: any Database) async throws -> [String: [CampaignArea]] {
        struct Row: Decodable {
            var code: String
            var name: String
            var path: String
            var level: String
            var parent_code: String?
        }
        var query = db.sql.select().columns("code", "name", "path", "level", "parent_code").from(Division.schema)
        if !area.path.isEmpty {
            let (lower, upper) = DivisionPath.subtreeRange(of: area.path)
            query = query.where("path", .greaterThan, lower).where("path", .lessThan, upper)
        }
        var result: [String: [CampaignArea]] = [:]
        for row in try await query.orderBy("code").all(decoding: Row.self) {
            result[row.parent_code ?? CampaignArea.country.code, default: []].append(
                CampaignArea(code: row.code, name: row.name, path: row.path, level: DivisionLevel(rawValue: row.level), parentCode: row.parent_code))
        }
        return result
    }

    /// Every division under `area` → the summed weight of its townships and how many there are
    /// (a township's own entry is its weight and 1), so each level's split reads its children in O(1).
    static func townshipWeights(under area: CampaignArea, rule: WeightRule, on db: any Database) async throws
        -> [String: (weight: Double, townships: Int)] {
        struct MemberRow: Decodable {
            var townshipCode: String
            var n: Int
        }
        struct TownshipRow: Decodable {
            var code: String
            var path: String
            var key_area_tags: String
            var youth_population: Int?
        }
        var query = db.sql.select().columns("code", "path", "key_area_tags", "youth_population").from(Division.schema)
            .where("level", .equal, DivisionLevel.township.rawValue)
        if !area.path.isEmpty {
            let (lower, upper) = DivisionPath.subtreeRange(of: area.path)
            query = query.where("path", .greaterThanOrEqual, lower).where("path", .lessThan, upper)
        }
        let townships = try await query.all(decoding: TownshipRow.self)
        // Committee sizes of every township in one grouped read (the table holds a few per township).
        var members: [String: Int] = [:]
        let rows = try await db.sql.select().column("township_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("committee_members").groupBy("township_code")
            .all(decoding: MemberRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        for row in rows { members[row.townshipCode] = row.n }
        var result: [String: (weight: Double, townships: Int)] = [:]
        for township in townships {
            let weight = rule.weight(tags: KeyAreaTag.decode(township.key_area_tags), committeeMembers: members[township.code] ?? 0,
                                     youthPopulation: township.youth_population)
            for code in DivisionPath.codes(in: township.path) {
                let current = result[code] ?? (0, 0)
                result[code] = (current.weight + weight, current.townships + 1)
            }
        }
        return result
    }

    /// Computes and saves an allocation.
    @discardableResult
    public static func allocate(_ campaignID: Int, _ allocation: Allocation, by actor: Actor, on database: any Database) async throws -> [Share] {
        try await writeTransaction(on: database) { db in
            let shares = try await preview(campaignID, allocation, on: db)
            let reason = allocation.reason?.nilIfBlank ?? allocation.method.label
            try await setTargets(campaignID, shares.map { ($0.code, $0.path, $0.target) }, method: allocation.method.rawValue,
                                 reason: reason, by: actor, on: db)
            try await bumpVersion(campaignID, on: db)
            let parentPath = try await area(allocation.parentCode, on: db)?.path
            try await AuditLog.record("campaign.allocate", entityType: "campaign", entityID: String(campaignID), divisionPath: parentPath,
                                      before: nil, after: ["分配对象": allocation.parentCode, "方法": allocation.method.label,
                                                           "含下级": allocation.cascade ? "是" : "否", "单位数": String(shares.count),
                                                           "原因": reason], by: actor, on: db)
            return shares
        }
    }

    /// Writes targets and a change record for each one that differs.
    static func setTargets(_ campaignID: Int, _ values: [(code: String, path: String, target: Int)], method: String, reason: String?,
                           by actor: Actor, on db: any Database) async throws {
        let now = Date()
        let previous = try await targets(campaignID, codes: values.map(\.code), on: db)
        let changed = values.filter { previous[$0.code] != $0.target }
        for chunk in changed.chunked(300) {
            var insert = db.sql.insert(into: "campaign_targets")
                .columns("campaign_id", "division_code", "division_path", "target", "method", "updated_at")
            var history = db.sql.insert(into: "campaign_target_changes")
                .columns("campaign_id", "division_code", "division_path", "old_target", "new_target", "method", "reason", "actor_name", "changed_at")
            for value in chunk {
                insert = insert.values(SQLBind(campaignID), SQLBind(value.code), SQLBind(value.path), SQLBind(value.target),
                                       SQLBind(method), SQLBind(now))
                history = history.values(SQLBind(campaignID), SQLBind(value.code), SQLBind(value.path), SQLBind(previous[value.code]),
                                         SQLBind(value.target), SQLBind(method), SQLBind(reason), SQLBind(actor.name), SQLBind(now))
            }
            try await insert.onConflict(with: ["campaign_id", "division_code"]) {
                $0.set(excludedValueOf: "target").set(excludedValueOf: "method").set(excludedValueOf: "updated_at")
                    .set(excludedValueOf: "division_path")
            }.run()
            try await history.run()
        }
    }

    static func bumpVersion(_ campaignID: Int, on db: any Database) async throws {
        try await db.sql.update("campaigns").set("version", to: SQLRaw("version + 1")).set("updated_at", to: SQLBind(Date()))
            .where("id", .equal, campaignID).run()
    }

    /// Spreads a new target over a division's existing shares in proportion, all the way down.
    static func rescale(_ campaign: Campaign, code: String, to newTarget: Int, reason: String, by actor: Actor, on db: any Database) async throws {
        struct TargetRow: Decodable {
            var divisionCode: String
            var divisionPath: String
            var target: Int
        }
        let rows = try await db.sql.select().columns("division_code", "division_path", "target").from("campaign_targets")
            .where("campaign_id", .equal, campaign.id).orderBy("division_path")
            .all(decoding: TargetRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        guard let root = rows.first(where: { $0.divisionCode == code }) else { return }
        var updated: [(code: String, path: String, target: Int)] = [(root.divisionCode, root.divisionPath, newTarget)]
        var queue: [(TargetRow, Int)] = [(root, newTarget)]
        while !queue.isEmpty {
            let (node, target) = queue.removeFirst()
            let depth = DivisionPath.codes(in: node.divisionPath).count
            let children = rows.filter {
                $0.divisionPath.hasPrefix(node.divisionPath) && DivisionPath.codes(in: $0.divisionPath).count == depth + 1
            }
            guard !children.isEmpty else { continue }
            let amounts = try TargetAllocation.largestRemainder(
                total: target, children: children.map { .init(code: $0.divisionCode, weight: Double($0.target)) })
            for (child, amount) in zip(children, amounts) {
                updated.append((child.divisionCode, child.divisionPath, amount))
                queue.append((child, amount))
            }
        }
        try await setTargets(campaign.id, updated, method: "rescale", reason: reason, by: actor, on: db)
    }

    // MARK: - Proposals

    /// A county proposes new targets for its townships; they must add up to its own target.
    @discardableResult
    public static func propose(_ campaignID: Int, divisionCode: String, shares: [String: Int], reason: String, by actor: Actor,
                               on database: any Database) async throws -> TargetProposal {
        guard let reason = reason.nilIfBlank else { throw CampaignError("调整理由：不能为空，请说明为什么要调整") }
        return try await writeTransaction(on: database) { db in
            let allocation = Allocation(parentCode: divisionCode, method: .manual, manualShares: shares)
            let preview = try await preview(campaignID, allocation, on: db)
            guard preview.contains(where: { $0.previous != $0.target }) else {
                throw CampaignError("调整方案与现有指标相同，无需提交")
            }
            let path = try await area(divisionCode, on: db)?.path ?? ""
            let json = String(decoding: try JSONEncoder.sorted.encode(shares), as: UTF8.self)
            let id = try await db.sql.insert(into: "target_proposals")
                .columns("campaign_id", "division_code", "division_path", "shares", "reason", "status", "proposed_by", "proposed_at")
                .values(SQLBind(campaignID), SQLBind(divisionCode), SQLBind(path), SQLBind(json), SQLBind(reason),
                        SQLBind(TargetProposal.Status.pending.rawValue), SQLBind(actor.name), SQLBind(Date()))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            try await AuditLog.record("campaign.proposal.create", entityType: "campaign", entityID: String(campaignID), divisionPath: path,
                                      before: nil, after: ["方案": json, "理由": reason, "编号": String(id)], by: actor, on: db)
            return try await proposal(id, on: db)
        }
    }

    /// Accepts (applies as the new targets) or rejects a pending proposal.
    @discardableResult
    public static func decide(_ proposalID: Int, accept: Bool, note: String?, by actor: Actor, on database: any Database) async throws -> TargetProposal {
        try await writeTransaction(on: database) { db in
            let current = try await proposal(proposalID, on: db)
            guard current.status == .pending else {
                throw CampaignError("该调整方案已经\(current.status.label)，不能再次处理", kind: .conflict)
            }
            if accept {
                try await allocate(current.campaignID, Allocation(parentCode: current.divisionCode, method: .manual,
                                                                  manualShares: current.shares,
                                                                  reason: "采纳调整方案 #\(proposalID)：\(current.reason)"),
                                   by: actor, on: db)
            }
            let status: TargetProposal.Status = accept ? .accepted : .rejected
            try await db.sql.update("target_proposals").set("status", to: SQLBind(status.rawValue))
                .set("decided_by", to: SQLBind(actor.name)).set("decided_at", to: SQLBind(Date()))
                .set("decision_note", to: SQLBind(note?.nilIfBlank)).where("id", .equal, proposalID).run()
            try await AuditLog.record("campaign.proposal.decide", entityType: "campaign", entityID: String(current.campaignID),
                                      divisionPath: current.divisionPath, before: ["状态": current.status.label],
                                      after: ["状态": status.label, "编号": String(proposalID), "意见": note?.nilIfBlank ?? ""].filter { !$0.value.isEmpty },
                                      by: actor, on: db)
            return try await proposal(proposalID, on: db)
        }
    }

    struct ProposalRow: Decodable {
        var id: Int
        var campaignId: Int
        var divisionCode: String
        var divisionPath: String
        var shares: String
        var reason: String
        var status: String
        var proposedBy: String
        var proposedAt: Date
        var decidedBy: String?
        var decidedAt: Date?
        var decisionNote: String?

        var proposal: TargetProposal {
            TargetProposal(id: id, campaignID: campaignId, divisionCode: divisionCode, divisionPath: divisionPath,
                           shares: (try? JSONDecoder().decode([String: Int].self, from: Data(shares.utf8))) ?? [:], reason: reason,
                           status: TargetProposal.Status(rawValue: status) ?? .pending, proposedBy: proposedBy, proposedAt: proposedAt,
                           decidedBy: decidedBy, decidedAt: decidedAt, decisionNote: decisionNote)
        }
    }

    static let proposalColumns = ["id", "campaign_id", "division_code", "division_path", "shares", "reason", "status", "proposed_by",
                                  "proposed_at", "decided_by", "decided_at", "decision_note"]

    public static func proposal(_ id: Int, on db: any Database) async throws -> TargetProposal {
        guard let row = try await db.sql.select().columns(proposalColumns.map { SQLColumn($0) }).from("target_proposals")
            .where("id", .equal, id).first(decoding: ProposalRow.self, keyDecodingStrategy: .convertFromSnakeCase) else {
            throw CampaignError("找不到编号为 \(id) 的调整方案", kind: .notFound)
        }
        return row.proposal
    }

    /// A campaign's proposals inside any of `paths` (nil: all), newest first.
    public static func proposals(_ campaignID: Int, under paths: [String]?, on db: any Database) async throws -> [TargetProposal] {
        var query = db.sql.select().columns(proposalColumns.map { SQLColumn($0) }).from("target_proposals")
            .where("campaign_id", .equal, campaignID)
        if let paths {
            guard !paths.isEmpty else { return [] }
            query = query.whereInSubtrees(SQLColumn("division_path"), paths)
        }
        return try await query.orderBy("id", .descending).all(decoding: ProposalRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            .map(\.proposal)
    }

    // MARK: - Townships that move

    /// A township moved to another county takes its targets along: the old county's falls and the
    /// new one's rises by the same amount in every campaign, so the city's split still adds up.
    static func moveTownship(_ township: Division, from: Division, to: Division, by actor: Actor, on db: any Database) async throws {
        struct TargetRow: Decodable {
            var campaignId: Int
            var target: Int
        }
        let rows = try await db.sql.select().columns("campaign_id", "target").from("campaign_targets")
            .where("division_code", .equal, township.code)
            .all(decoding: TargetRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        for row in rows {
            let current = try await targets(row.campaignId, codes: [from.code, to.code], on: db)
            var values: [(code: String, path: String, target: Int)] = [(township.code, township.path, row.target)]
            if let old = current[from.code] { values.append((from.code, from.path, old - row.target)) }
            values.append((to.code, to.path, (current[to.code] ?? 0) + row.target))
            try await setTargets(row.campaignId, values, method: "move", reason: "「\(township.name)」由「\(from.name)」迁入「\(to.name)」",
                                 by: actor, on: db)
        }
    }
}

extension JSONEncoder {
    /// Keys in order, so equal values encode to equal text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
