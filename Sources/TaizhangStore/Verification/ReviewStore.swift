import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Confirming and returning ledger records (核查), one or many at once. Each action checks every
/// record first — in the reviewer's subtree, in a state this level may act on, not locked, not
/// the reviewer's own (four eyes) — and changes nothing unless all pass; then moves them, adjusts
/// the running counts, writes their review events and audit rows, in one transaction.
public enum ReviewStore {
    public struct Outcome: Sendable, Codable {
        public var count: Int
        public var state: ReviewState
    }

    /// Confirms records at `level` (县已核实 or 市已确认). `scope` is where the actor reviews at that level.
    /// `time` is when the review events say it happened (now, except when the demo replays the campaign).
    public static func confirm(_ codes: [String], at level: ReviewLevel, scope: Scope, by actor: Actor, time: Date = Date(),
                               on database: any Database) async throws -> Outcome {
        try await move(codes, to: level.confirmsTo, reason: nil, scope: scope, by: actor, time: time, on: database) { record in
            guard record.review.state == level.confirmsFrom else {
                return "「\(record.fields.name)」（\(record.code)）是「\(record.review.state.label)」，\(level.label)只确认「\(level.confirmsFrom.label)」的记录"
            }
            guard record.review.mayBeConfirmed(by: actor.userID) else {
                return "「\(record.fields.name)」（\(record.code)）是您本人录入或最后修改的，须由另一位核查人员确认（双人把关）"
            }
            if level == .city, let verifier = record.review.confirmedBy, verifier == actor.userID {
                return "「\(record.fields.name)」（\(record.code)）是您本人县级核实的，须由另一位核查人员市级确认"
            }
            return nil
        }
    }

    /// Returns records to the township with a reason (已退回).
    public static func returnRecords(_ codes: [String], at level: ReviewLevel, reason: String, scope: Scope, by actor: Actor,
                                     time: Date = Date(), on database: any Database) async throws -> Outcome {
        guard let reason = reason.nilIfBlank?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw Refusal("退回原因：请写明退回原因，乡镇据此修改", field: "reason")
        }
        return try await move(codes, to: .returned, reason: reason, scope: scope, by: actor, time: time, on: database) { record in
            guard level.mayReturn.contains(record.review.state) else {
                return "「\(record.fields.name)」（\(record.code)）是「\(record.review.state.label)」，\(level.label)不能退回"
            }
            return nil
        }
    }

    private static func move(_ codes: [String], to state: ReviewState, reason: String?, scope: Scope, by actor: Actor, time: Date,
                             on database: any Database, refusal: @escaping @Sendable (OrganizationRecord) async throws -> String?)
        async throws -> Outcome {
        let unique = Array(Set(codes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        guard !unique.isEmpty else { throw Refusal("请至少选择一条记录", field: "codes") }
        guard unique.count <= 10_000 else { throw Refusal("一次最多处理 10000 条记录，本次选了 \(unique.count) 条", field: "codes") }
        return try await writeTransaction(on: database) { db in
            let records = try await LedgerImporter.existingRecords(codes: unique, on: db)
            // Outside the subtree is the same as absent: nobody learns what exists elsewhere.
            if let missing = unique.first(where: { records[$0].map { !scope.contains($0.divisionPath) } ?? true }) {
                throw Refusal.organizationNotFound(missing)
            }
            var problems: [String] = []
            for code in unique {
                let record = records[code]!
                if record.review.isLocked { problems.append(Refusal.locked(record).message); continue }
                if let day = record.review.refutedOn, state != .returned {
                    problems.append("「\(record.fields.name)」（\(code)）已于 \(day) 经抽查认定不属实，不能确认"); continue
                }
                if record.fields.stage.isEnded, state != .returned {
                    problems.append("「\(record.fields.name)」（\(code)）已\(record.fields.stage.label)，不需核实"); continue
                }
                if let problem = try await refusal(record) { problems.append(problem) }
            }
            if !problems.isEmpty {
                let shown = problems.prefix(20).joined(separator: "；")
                throw Refusal(problems.count > 20 ? "\(shown)；……共 \(problems.count) 条不能处理，本次未做任何更改" : "\(shown)。本次未做任何更改",
                              kind: .conflict)
            }
            var tally = LedgerCounts.Tally()
            var events = ReviewEvents.Batch(by: actor, at: time, on: db)
            var audit = AuditLog.Batch(by: actor, on: db)
            let action = state == .returned ? "organization.review.return" : "organization.review.confirm"
            // A return keeps who confirmed and what was confirmed, so a later change can still be shown.
            var rows = BulkWrite(.updateMatching, into: "organizations",
                                 columns: ["code", "review_state", "review_reason"] + (state.isConfirmed ? ["confirmed_by", "confirmed_fields"] : []),
                                 on: db)
            for code in unique {
                let record = records[code]!
                var after = record.review
                after.state = state
                // A confirmation keeps what the record looked like, so a later change can be shown against it.
                let snapshot = state.isConfirmed
                    ? String(decoding: try JSONEncoder.sorted.encode(record.fields.auditSnapshot), as: UTF8.self) : nil
                try await rows.append([.text(code), .text(state.rawValue), .text(reason)]
                                      + (state.isConfirmed ? [.text(actor.userID), .text(snapshot)] : []))
                tally.change(from: record.fields, at: record.divisionPath, review: record.review.countedReview,
                             to: record.fields, at: record.divisionPath, review: after.countedReview)
                try await events.append(.init(organizationCode: code, from: record.review.state, to: state, reason: reason))
                var values = ["核查状态": state.label]
                if let reason { values["退回原因"] = reason }
                try await audit.append(.init(action: action, entityType: "organization", entityID: code, divisionPath: record.divisionPath,
                                             before: ["核查状态": record.review.state.label], after: values))
            }
            try await rows.finish()
            try await events.finish()
            try await audit.finish()
            try await LedgerCounts.apply(tally, on: db)
            return Outcome(count: unique.count, state: state)
        }
    }

    /// The fields as last confirmed of those of `codes` that were ever confirmed (one query per 500).
    public static func confirmedFields(codes: [String], on db: any Database) async throws -> [String: [String: String]] {
        struct Row: Decodable {
            var code: String
            var confirmed_fields: String
        }
        var result: [String: [String: String]] = [:]
        for chunk in codes.chunked(500) {
            let rows = try await db.sql.select().column("code").column("confirmed_fields").from("organizations")
                .where("code", .in, chunk).where("confirmed_fields", .isNot, SQLLiteral.null).all(decoding: Row.self)
            for row in rows {
                result[row.code] = try? JSONDecoder().decode([String: String].self, from: Data(row.confirmed_fields.utf8))
            }
        }
        return result
    }

    /// The fields as they were when the record was last confirmed, if ever.
    public static func confirmedFields(_ code: String, on db: any Database) async throws -> [String: String]? {
        try await confirmedFields(codes: [code], on: db)[code]
    }
}
