import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The review history of organizations (part of each one's 建设历程): every state it entered,
/// who moved it and why.
public enum ReviewEvents {
    struct Event: Sendable {
        var organizationCode: String
        var from: ReviewState
        var to: ReviewState
        var reason: String?
    }

    /// Review events written as they come, a chunk per statement.
    struct Batch {
        private var insert: BulkWrite
        private var ids: TimeOrderedUUIDs
        private let now: Date
        private let actor: Actor

        init(by actor: Actor, at now: Date = Date(), queue: BulkStatementQueue? = nil, on db: any Database) {
            self.actor = actor
            self.now = now
            ids = TimeOrderedUUIDs(now: now)
            insert = BulkWrite(into: "organization_review_events",
                               columns: ["id", "organization_code", "from_state", "to_state", "reason", "actor_id", "actor_name", "recorded_at"],
                               queue: queue, on: db)
        }

        mutating func append(_ event: Event) async throws {
            try await insert.append([.uuid(ids.next()), .text(event.organizationCode), .text(event.from.rawValue), .text(event.to.rawValue),
                                     .text(event.reason), .text(actor.userID), .text(actor.name), .date(now)])
        }

        mutating func finish() async throws {
            try await insert.finish()
        }
    }

    static func record(_ events: [Event], by actor: Actor, on db: any Database) async throws {
        guard !events.isEmpty else { return }
        var batch = Batch(by: actor, on: db)
        for event in events { try await batch.append(event) }
        try await batch.finish()
    }

    /// The event an edit causes, if it moved the record back to 待县核实.
    static func afterEdit(_ code: String, from before: ReviewStatus, to after: ReviewStatus, changedCounted: [String]) -> Event? {
        guard before.state != after.state else { return nil }
        let reason = before.state == .returned
            ? "退回后已修改，重新提交县级核实"
            : "核实后修改了\(changedCounted.joined(separator: "、"))，退回待县核实"
        return Event(organizationCode: code, from: before.state, to: after.state, reason: reason)
    }

    public struct Entry: Sendable, Codable {
        public var from: ReviewState
        public var to: ReviewState
        public var reason: String?
        public var actorName: String
        public var recordedAt: Date
    }

    /// An organization's review history, oldest first.
    public static func history(_ code: String, on db: any Database) async throws -> [Entry] {
        struct Row: Decodable {
            var from_state: String
            var to_state: String
            var reason: String?
            var actor_name: String
            var recorded_at: Date
        }
        return try await db.sql.select().columns("from_state", "to_state", "reason", "actor_name", "recorded_at")
            .from("organization_review_events").where("organization_code", .equal, code)
            .orderBy("recorded_at").orderBy("id")
            .all(decoding: Row.self)
            .map { Entry(from: ReviewState(rawValue: $0.from_state) ?? .pending, to: ReviewState(rawValue: $0.to_state) ?? .pending,
                         reason: $0.reason, actorName: $0.actor_name, recordedAt: $0.recorded_at) }
    }
}

extension Refusal {
    /// A record a city sign-off locks.
    static func locked(_ record: OrganizationRecord) -> Refusal {
        Refusal("「\(record.fields.name)」（\(record.code)）已由市级签字确认锁定（签字第 \(record.review.signOffID ?? 0) 号）："
            + "如需修改，请市级先撤销该签字并写明原因", kind: .conflict)
    }
}
