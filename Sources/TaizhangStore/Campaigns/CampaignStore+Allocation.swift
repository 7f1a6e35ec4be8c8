import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Targets (指标分配): splitting an area's target over its children by a method, previewed, then
/// saved with who, when and why, always adding up exactly to the parent.
extension CampaignStore {

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
            throw Refusal(problem.message)
        }
    }
    static func computeShares(_ campaignID: Int, _ allocation: Allocation, on db: any Database) async throws -> [Share] {
        try allocation.weights.validate()
        guard let parent = try await area(allocation.parentCode, on: db) else {
            throw Refusal("分配对象：找不到代码为「\(allocation.parentCode)」的行政区划")
        }
        let campaign = try await require(campaignID, on: db)
        guard campaign.region.contains(parent.path) else {
            throw Refusal("分配对象：「\(parent.name)」不在活动「\(campaign.name)」的地区内")
        }
        guard let total = try await targets(campaignID, codes: [parent.code], on: db)[parent.code] else {
            throw Refusal("分配对象：「\(parent.name)」还没有指标，请先分配它的上级")
        }
        let weights = allocation.method == .weighted ? try await townshipWeights(under: parent, rule: allocation.weights, on: db) : [:]
        // The subtree once, in memory: a national cascade visits 3,351 parents.
        let below = allocation.cascade ? try await subtree(of: parent, on: db) : [parent.code: try await self.children(of: parent, on: db)]
        let previous = try await targets(campaignID, codes: below.values.flatMap { $0.map(\.code) }, on: db)
        if let code = allocation.excluded.subtracting((below[parent.code] ?? []).map(\.code)).sorted().first {
            throw Refusal("不参与：「\(code)」不是「\(parent.name)」的直接下级")
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
                throw Refusal("「\(node.name)」的下级都标为不参与，指标 \(nodeTarget) 无处可分")
            } else {
                switch allocation.method {
                case .manual:
                    guard node.code == parent.code else { continue }
                    let unknown = Set(allocation.manualShares.keys).subtracting(children.map(\.code))
                    if let code = unknown.sorted().first {
                        throw Refusal("手工分配：「\(code)」不是「\(parent.name)」的直接下级")
                    }
                    let missing = children.filter { allocation.manualShares[$0.code] == nil }
                    if let first = missing.first {
                        throw Refusal("手工分配：缺少「\(first.name)」的指标（\(missing.count) 个单位未填）")
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
                        throw Refusal("「\(node.name)」：\(error.message)")
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
        guard !shares.isEmpty else { throw Refusal("分配对象：「\(parent.name)」没有下级单位") }
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
            let parent = DivisionPath(node.divisionPath)
            let children = rows.filter {
                let path = DivisionPath($0.divisionPath)
                return parent.contains(path) && path.depth == parent.depth + 1
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
}
