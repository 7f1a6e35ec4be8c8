import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// A county's proposed split of its own target, and the city's decision on it.
extension CampaignStore {
    /// A county proposes new targets for its townships; they must add up to its own target.
    @discardableResult
    public static func propose(_ campaignID: Int, divisionCode: String, shares: [String: Int], reason: String, by actor: Actor,
                               on database: any Database) async throws -> TargetProposal {
        guard let reason = reason.nilIfBlank else { throw Refusal("调整理由：不能为空，请说明为什么要调整") }
        return try await writeTransaction(on: database) { db in
            let allocation = Allocation(parentCode: divisionCode, method: .manual, manualShares: shares)
            let preview = try await preview(campaignID, allocation, on: db)
            guard preview.contains(where: { $0.previous != $0.target }) else {
                throw Refusal("调整方案与现有指标相同，无需提交")
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
                throw Refusal("该调整方案已经\(current.status.label)，不能再次处理", kind: .conflict)
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
            throw Refusal("找不到编号为 \(id) 的调整方案", kind: .notFound)
        }
        return row.proposal
    }

    /// A campaign's proposals inside `scope`, newest first.
    public static func proposals(_ campaignID: Int, under scope: Scope, on db: any Database) async throws -> [TargetProposal] {
        let query = db.sql.select().columns(proposalColumns.map { SQLColumn($0) }).from("target_proposals")
            .where("campaign_id", .equal, campaignID)
            .whereInside(scope, SQLColumn("division_path"))
        return try await query.orderBy("id", .descending).all(decoding: ProposalRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            .map(\.proposal)
    }
}
