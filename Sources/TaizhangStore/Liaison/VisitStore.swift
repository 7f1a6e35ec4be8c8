import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The visit log (走访记录): each visit with the organizations looked at, its photos and scans
/// (kept in the database, checked by their bytes) and the problems raised, which become
/// supervision items owned by the township — all in one audited transaction.
public enum VisitStore {
    public static func log(_ draft: VisitDraft, in scope: Scope, today: CalendarDay = .today(), by actor: Actor,
                           on database: any Database) async throws -> (visit: Visit, items: [SupervisionItem]) {
        let (problems, kinds) = draft.check(today: today)
        guard problems.isEmpty else { throw Refusal.invalid(problems) }
        guard let township = try await DivisionQueries.find(draft.townshipCode, on: database), scope.contains(township.path) else {
            throw Refusal.divisionNotFound(draft.townshipCode)
        }
        guard township.level == .township else {
            throw Refusal("走访乡镇：「\(township.name)」是\(township.level.label)，请选择乡镇（街道）", field: "township")
        }
        if let id = draft.campaignID { _ = try await CampaignStore.require(id, on: database) }
        let codes = Array(Set(draft.organizationCodes.compactMap(\.nilIfBlank))).sorted()
        if !codes.isEmpty {
            struct Found: Decodable { var code: String; var divisionPath: String }
            let found = try await database.sql.select().column("code").column("division_path").from("organizations").where("code", .in, codes)
                .all(decoding: Found.self, keyDecodingStrategy: .convertFromSnakeCase)
            let inside = Set(found.filter { DivisionPath(township.path).contains($0.divisionPath) }.map(\.code))
            let missing = codes.filter { !inside.contains($0) }
            if !missing.isEmpty {
                throw Refusal("走访的团组织：\(missing.joined(separator: "、")) 不是\(township.name)台账里的组织编码", field: "organizations")
            }
        }
        return try await writeTransaction(on: database) { db in
            let now = Date()
            let id = try await db.sql.insert(into: "visits")
                .columns("campaign_id", "township_code", "township_path", "visited_on", "visitors", "met", "findings", "recorded_by", "recorded_by_id", "recorded_at")
                .values(SQLBind(draft.campaignID), SQLBind(township.code), SQLBind(township.path), SQLBind(draft.visitedOn.description),
                        SQLBind(draft.visitors.trimmedWhitespace), SQLBind(draft.met.trimmedWhitespace), SQLBind(draft.findings.trimmedWhitespace),
                        SQLBind(actor.name), SQLBind(actor.userID), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            for code in codes {
                try await db.sql.insert(into: "visit_organizations").columns("visit_id", "organization_code").values(SQLBind(id), SQLBind(code)).run()
            }
            var attachments: [Visit.Attachment] = []
            for (file, kind) in zip(draft.files, kinds) {
                let hash = SHA256.hex(bytes: file.bytes)
                let attachmentID = try await db.sql.insert(into: "visit_attachments")
                    .columns("visit_id", "file_name", "kind", "byte_count", "sha256", "bytes")
                    .values(SQLBind(id), SQLBind(file.fileName), SQLBind(kind.rawValue), SQLBind(file.bytes.count), SQLBind(hash), SQLBind(Data(file.bytes)))
                    .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
                attachments.append(.init(id: attachmentID, fileName: file.fileName, kind: kind, byteCount: file.bytes.count, sha256: hash))
            }
            try await AuditLog.record("visit.log", entityType: "visit", entityID: String(id), divisionPath: township.path, before: nil, after: [
                "乡镇": township.name, "走访日期": draft.visitedOn.description, "走访人员": draft.visitors, "走访对象": draft.met,
                "发现情况": draft.findings, "团组织": codes.joined(separator: "、"),
                "附件": attachments.map { "\($0.fileName)（SHA-256 \($0.sha256)）" }.joined(separator: "、"),
            ], by: actor, on: db)
            var items: [SupervisionItem] = []
            for problem in draft.problems {
                items.append(try await SupervisionStore.insert(
                    SupervisionItemDraft(campaignID: draft.campaignID, divisionCode: township.code, title: problem.title,
                                         detail: "实地走访（\(draft.visitedOn)）发现", responsibleName: problem.responsibleName,
                                         raisedOn: draft.visitedOn, deadline: problem.deadline, source: .visit, sourceRef: String(id)),
                    division: township, by: actor, on: db))
            }
            let visit = Visit(id: id, campaignID: draft.campaignID, townshipCode: township.code, townshipPath: township.path, visitedOn: draft.visitedOn,
                              visitors: draft.visitors.trimmedWhitespace, met: draft.met.trimmedWhitespace, findings: draft.findings.trimmedWhitespace,
                              organizationCodes: codes, attachments: attachments, recordedBy: actor.name, recordedByID: actor.userID, recordedAt: now)
            return (visit, items)
        }
    }

    struct Row: Decodable {
        var id: Int
        var campaignId: Int?
        var townshipCode: String
        var townshipPath: String
        var visitedOn: String
        var visitors: String
        var met: String
        var findings: String
        var recordedBy: String
        var recordedById: String?
        var recordedAt: Date

        func visit(organizations: [String] = [], attachments: [Visit.Attachment] = []) -> Visit {
            Visit(id: id, campaignID: campaignId, townshipCode: townshipCode, townshipPath: townshipPath,
                  visitedOn: CalendarDay(iso: visitedOn) ?? .init(year: 2000, month: 1, day: 1)!, visitors: visitors, met: met, findings: findings,
                  organizationCodes: organizations, attachments: attachments, recordedBy: recordedBy, recordedByID: recordedById, recordedAt: recordedAt)
        }
    }

    static let columns = ["id", "campaign_id", "township_code", "township_path", "visited_on", "visitors", "met", "findings",
                          "recorded_by", "recorded_by_id", "recorded_at"]

    /// One visit with its organizations and attachments (without their bytes); not found outside `scope`.
    public static func require(_ id: Int, in scope: Scope, on db: any Database) async throws -> Visit {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("visits").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase), scope.contains(row.townshipPath) else {
            throw Refusal.notFound("找不到编号为 \(id) 的走访记录")
        }
        struct Org: Decodable { var organizationCode: String }
        struct File: Decodable { var id: Int; var fileName: String; var kind: String; var byteCount: Int; var sha256: String }
        let organizations = try await db.sql.select().column("organization_code").from("visit_organizations").where("visit_id", .equal, id)
            .orderBy("organization_code").all(decoding: Org.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.organizationCode)
        let files = try await db.sql.select().columns("id", "file_name", "kind", "byte_count", "sha256").from("visit_attachments")
            .where("visit_id", .equal, id).orderBy("id").all(decoding: File.self, keyDecodingStrategy: .convertFromSnakeCase)
        return row.visit(organizations: organizations, attachments: files.map {
            .init(id: $0.id, fileName: $0.fileName, kind: AttachmentKind(rawValue: $0.kind) ?? .pdf, byteCount: $0.byteCount, sha256: $0.sha256)
        })
    }

    /// The bytes of one attachment of a visit inside `scope`.
    public static func attachment(_ attachmentID: Int, ofVisit visitID: Int, in scope: Scope,
                                  on db: any Database) async throws -> (attachment: Visit.Attachment, bytes: Data) {
        let visit = try await require(visitID, in: scope, on: db)
        guard let attachment = visit.attachments.first(where: { $0.id == attachmentID }),
              let row = try await db.sql.select().column("bytes").from("visit_attachments").where("id", .equal, attachmentID).first() else {
            throw Refusal.notFound("找不到这份附件")
        }
        return (attachment, try row.decode(column: "bytes", as: Data.self))
    }

    /// Visits to townships under `path` inside `scope`, newest first.
    public static func list(under path: String, in scope: Scope, limit: Int = 200, on db: any Database) async throws -> [Visit] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("visits").whereInside(scope, SQLColumn("township_path"))
            .whereInside(.within(path), SQLColumn("township_path")).orderBy("visited_on", .descending).orderBy("id", .descending).limit(limit)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map { $0.visit() }
    }

    /// Per township under `path`: the last visit on or before `day`, and the visits in the rhythm's window ending on `day`.
    public struct Rhythm: Sendable, Hashable {
        public var lastVisit: CalendarDay?
        public var inWindow: Int
    }

    public static func rhythm(under path: String, window: ClosedRange<CalendarDay>, on db: any Database) async throws -> [String: Rhythm] {
        struct Row: Decodable { var townshipCode: String; var visitedOn: String }
        let rows = try await db.sql.select().column("township_code").column("visited_on").from("visits")
            .whereInside(.within(path), SQLColumn("township_path")).where("visited_on", .lessThanOrEqual, window.upperBound.description)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        var result: [String: Rhythm] = [:]
        for row in rows {
            guard let day = CalendarDay(iso: row.visitedOn) else { continue }
            var entry = result[row.townshipCode] ?? Rhythm(lastVisit: nil, inWindow: 0)
            if entry.lastVisit.map({ day > $0 }) ?? true { entry.lastVisit = day }
            if window.contains(day) { entry.inWindow += 1 }
            result[row.townshipCode] = entry
        }
        return result
    }
}
