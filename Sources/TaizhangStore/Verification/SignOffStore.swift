import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The city's sign-off (签字确认) of a county's ledger as of a day: the 市已确认 organizations
/// founded by then, their count, the sorted list of their codes and its SHA-256. The records are
/// locked — no edit, stage change or import changes them — until the city reopens the sign-off
/// with a reason.
public enum SignOffStore {
    public struct SignOff: Sendable, Codable, Equatable {
        public var id: Int
        public var countyCode: String
        public var countyPath: String
        public var asOf: CalendarDay
        public var count: Int
        /// The codes, sorted, one per line: the text the hash is of.
        public var codes: [String]
        public var sha256: String
        public var signedBy: String
        public var signedAt: Date
        public var reopenedBy: String?
        public var reopenedAt: Date?
        public var reopenReason: String?

        public var isOpen: Bool { reopenedAt == nil }
        /// Whether the stored hash is still the hash of the stored list.
        public var hashMatches: Bool { SHA256.hex(Self.text(of: codes)) == sha256 }

        static func text(of codes: [String]) -> String { codes.joined(separator: "\n") }
    }

    static let columns = ["id", "county_code", "county_path", "as_of", "org_count", "codes", "sha256", "signed_by", "signed_at",
                          "reopened_by", "reopened_at", "reopen_reason"]

    struct Row: Decodable {
        var id: Int
        var county_code: String
        var county_path: String
        var as_of: String
        var org_count: Int
        var codes: String
        var sha256: String
        var signed_by: String
        var signed_at: Date
        var reopened_by: String?
        var reopened_at: Date?
        var reopen_reason: String?

        var signOff: SignOff {
            SignOff(id: id, countyCode: county_code, countyPath: county_path, asOf: CalendarDay(iso: as_of) ?? CalendarDay(year: 2000, month: 1, day: 1)!,
                    count: org_count, codes: codes.isEmpty ? [] : codes.split(separator: "\n").map(String.init), sha256: sha256,
                    signedBy: signed_by, signedAt: signed_at, reopenedBy: reopened_by, reopenedAt: reopened_at, reopenReason: reopen_reason)
        }
    }

    /// Sign-offs inside `scope`, newest first.
    public static func list(scope: Scope, on db: any Database) async throws -> [SignOff] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("signoffs").whereInside(scope, SQLColumn("county_path"))
            .orderBy("id", .descending).all(decoding: Row.self).map(\.signOff)
    }

    public static func find(_ id: Int, scope: Scope, on db: any Database) async throws -> SignOff {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("signoffs").where("id", .equal, id)
            .first(decoding: Row.self), scope.contains(row.county_path) else {
            throw Refusal("找不到第 \(id) 号签字确认", kind: .notFound)
        }
        return row.signOff
    }

    /// Signs off a county's ledger as of `asOf`. `scope` is where the actor reviews at city level.
    public static func signOff(county countyCode: String, asOf: CalendarDay, scope: Scope, by actor: Actor,
                               on database: any Database) async throws -> SignOff {
        guard asOf <= .today() else { throw Refusal("截止日期：\(asOf) 晚于今天，只能签字确认已经过去的日期", field: "asOf") }
        return try await writeTransaction(on: database) { db in
            guard let county = try await DivisionQueries.find(countyCode, on: db), scope.contains(county.path) else {
                throw Refusal.divisionNotFound(countyCode)
            }
            guard county.level == .county else {
                throw Refusal("县（市、区）：「\(county.name)」是\(county.level.label)，签字确认按县进行", field: "county")
            }
            let codes = try await db.sql.select().column("code").from("organizations").whereInside(.within(county.path), SQLColumn("division_path"))
                .where("review_state", .equal, ReviewState.city.rawValue).where("stage", .equal, Stage.founded.rawValue)
                .where("founded_on", .lessThanOrEqual, asOf.description).where("refuted_on", .is, SQLLiteral.null)
                .orderBy("code").all().map { try $0.decode(column: "code", as: String.self) }
            guard !codes.isEmpty else {
                throw Refusal("「\(county.name)」截至 \(asOf) 没有市已确认的已建立团组织，无可签字确认", kind: .conflict)
            }
            let text = SignOff.text(of: codes)
            let hash = SHA256.hex(text)
            let now = Date()
            let id = try await db.sql.insert(into: "signoffs")
                .columns("county_code", "county_path", "as_of", "org_count", "codes", "sha256", "signed_by_id", "signed_by", "signed_at")
                .values(SQLBind(county.code), SQLBind(county.path), SQLBind(asOf.description), SQLBind(codes.count), SQLBind(text),
                        SQLBind(hash), SQLBind(actor.userID), SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self)
            guard let id else { throw Refusal("签字确认失败：数据库没有返回编号") }
            for chunk in codes.chunked(500) {
                try await db.sql.update("organizations").set("signoff_id", to: SQLBind(id)).where("code", .in, chunk).run()
            }
            try await AuditLog.record("signoff.create", entityType: "signoff", entityID: String(id), divisionPath: county.path, before: nil,
                                      after: ["县": county.name, "截止日期": asOf.description, "组织数": String(codes.count), "SHA-256": hash],
                                      by: actor, on: db)
            return try await find(id, scope: .everywhere, on: db)
        }
    }

    /// Reopens a sign-off: its records are unlocked; the sign-off stays on record with who reopened it and why.
    public static func reopen(_ id: Int, reason: String, scope: Scope, by actor: Actor, on database: any Database) async throws -> SignOff {
        guard let reason = reason.nilIfBlank?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw Refusal("撤销原因：请写明为什么撤销签字确认", field: "reason")
        }
        return try await writeTransaction(on: database) { db in
            let current = try await find(id, scope: scope, on: db)
            guard current.isOpen else { throw Refusal("第 \(id) 号签字确认已于此前撤销", kind: .conflict) }
            try await db.sql.update("signoffs").set("reopened_by", to: SQLBind(actor.name)).set("reopened_at", to: SQLBind(Date()))
                .set("reopen_reason", to: SQLBind(reason)).where("id", .equal, id).run()
            try await db.sql.update("organizations").set("signoff_id", to: SQLLiteral.null).where("signoff_id", .equal, id).run()
            try await AuditLog.record("signoff.reopen", entityType: "signoff", entityID: String(id), divisionPath: current.countyPath,
                                      before: ["状态": "已签字"], after: ["状态": "已撤销", "原因": reason], by: actor, on: db)
            return try await find(id, scope: .everywhere, on: db)
        }
    }
}
