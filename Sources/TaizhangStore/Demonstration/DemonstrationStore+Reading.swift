import FluentKit
import Foundation
import SQLKit
import TaizhangCore

extension DemonstrationStore {
    struct Row: Decodable {
        var id: Int
        var campaignId: Int
        var townshipCode: String
        var townshipPath: String
        var countyCode: String
        var status: String
        var reason: String
        var nominatedBy: String
        var nominatedAt: Date
        var decidedBy: String?
        var decidedAt: Date?
        var decisionNote: String?
        var acceptedOn: String?
        var acceptanceTeam: String?
        var acceptanceFindings: String?
        var acceptanceRecordedBy: String?

        func demonstration(evidence: [Demonstration.Evidence]) -> Demonstration {
            let acceptance = acceptedOn.flatMap(CalendarDay.init(iso:)).map {
                Demonstration.Acceptance(day: $0, team: acceptanceTeam ?? "", findings: acceptanceFindings ?? "", recordedBy: acceptanceRecordedBy ?? "")
            }
            return Demonstration(id: id, campaignID: campaignId, townshipCode: townshipCode, townshipPath: townshipPath, countyCode: countyCode,
                                 status: DemonstrationStatus(rawValue: status) ?? .nominated, reason: reason, nominatedBy: nominatedBy,
                                 nominatedAt: nominatedAt, decidedBy: decidedBy, decidedAt: decidedAt, decisionNote: decisionNote,
                                 acceptance: acceptance, evidence: evidence)
        }
    }

    static let columns = ["id", "campaign_id", "township_code", "township_path", "county_code", "status", "reason", "nominated_by", "nominated_at",
                          "decided_by", "decided_at", "decision_note", "accepted_on", "acceptance_team", "acceptance_findings", "acceptance_recorded_by"]

    /// One demonstration township with its evidence (files without their bytes); not found outside `scope`.
    public static func require(_ id: Int, in scope: Scope, on db: any Database) async throws -> Demonstration {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("demonstration_townships").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase), scope.contains(row.townshipPath) else {
            throw Refusal.notFound("找不到编号为 \(id) 的示范乡镇")
        }
        return row.demonstration(evidence: try await evidence(of: id, on: db))
    }

    static func evidence(of id: Int, on db: any Database) async throws -> [Demonstration.Evidence] {
        struct EvidenceRow: Decodable { var id: Int; var criterionId: Int; var note: String; var marksMet: Bool; var recordedBy: String; var recordedAt: Date }
        struct FileRow: Decodable { var id: Int; var evidenceId: Int; var fileName: String; var kind: String; var byteCount: Int; var sha256: String }
        let rows = try await db.sql.select().columns("id", "criterion_id", "note", "marks_met", "recorded_by", "recorded_at").from("demonstration_evidence")
            .where("demonstration_id", .equal, id).orderBy("id").all(decoding: EvidenceRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        guard !rows.isEmpty else { return [] }
        let files = try await db.sql.select().columns("id", "evidence_id", "file_name", "kind", "byte_count", "sha256").from("demonstration_evidence_files")
            .where("evidence_id", .in, rows.map(\.id)).orderBy("id").all(decoding: FileRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        let byEvidence = Dictionary(grouping: files, by: \.evidenceId)
        return rows.map { row in
            .init(id: row.id, criterionID: row.criterionId, note: row.note, marksMet: row.marksMet, recordedBy: row.recordedBy, recordedAt: row.recordedAt,
                  files: (byEvidence[row.id] ?? []).map {
                      .init(id: $0.id, fileName: $0.fileName, kind: DocumentFileKind(rawValue: $0.kind) ?? .pdf, byteCount: $0.byteCount, sha256: $0.sha256)
                  })
        }
    }

    /// The campaign's nominations of townships under `path` inside `scope`, by county then township (evidence not loaded).
    public static func list(_ campaignID: Int, under path: String, in scope: Scope, on db: any Database) async throws -> [Demonstration] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("demonstration_townships").where("campaign_id", .equal, campaignID)
            .whereInside(scope, SQLColumn("township_path")).whereInside(.within(path), SQLColumn("township_path"))
            .orderBy("county_code").orderBy("township_code")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map { $0.demonstration(evidence: []) }
    }

    /// Each demonstration's checklist as of `asOf`, measured items from the data (evidence loaded for the evidence items).
    public static func checklists(_ demonstrations: [Demonstration], campaign: Campaign, asOf: CalendarDay,
                                  on db: any Database) async throws -> [DemonstrationChecklist] {
        let criteria = try await criteria(campaign.id, on: db)
        var loaded: [Demonstration] = []
        for demonstration in demonstrations {
            var copy = demonstration
            if copy.evidence.isEmpty && criteria.contains(where: { $0.kind == .evidence }) { copy.evidence = try await evidence(of: copy.id, on: db) }
            loaded.append(copy)
        }
        let outcomes = try await DemonstrationMeasurement.outcomes(criteria, for: loaded, campaign: campaign, asOf: asOf, on: db)
        return zip(loaded, outcomes).map { DemonstrationChecklist(demonstration: $0, items: Array(zip(criteria, $1))) }
    }
}

extension DemonstrationStore {
    /// How townships not (yet) nominated would measure against the campaign's checklist as of `asOf`,
    /// as if approved: what a county looks at before it nominates.
    public static func candidates(_ townshipCodes: [String], campaign: Campaign, asOf: CalendarDay, on db: any Database) async throws -> [DemonstrationChecklist] {
        var drafts: [Demonstration] = []
        for code in townshipCodes {
            guard let township = try await DivisionQueries.find(code, on: db) else { continue }
            drafts.append(Demonstration(id: 0, campaignID: campaign.id, townshipCode: code, townshipPath: township.path, countyCode: township.parentCode ?? "",
                                        status: .approved, reason: "", nominatedBy: "", nominatedAt: Date(), evidence: []))
        }
        let criteria = try await criteria(campaign.id, on: db)
        let outcomes = try await DemonstrationMeasurement.outcomes(criteria, for: drafts, campaign: campaign, asOf: asOf, on: db)
        return zip(drafts, outcomes).map { DemonstrationChecklist(demonstration: $0, items: Array(zip(criteria, $1))) }
    }
}
