import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Drawing spot checks (数据抽查), reading them back, checking a draw by redoing it, and
/// recording what the checkers found. Every write is one audited transaction.
public enum SpotCheckStore {
    /// Draws a sample from the frame `request` describes and stores it with its seed, its frame
    /// and the frame's SHA-256. `flagged` are the organizations with open red flags (drawn first
    /// when the design says so). A division or campaign outside `scope` is not found.
    @discardableResult
    public static func draw(_ request: SpotCheckRequest, flagged: Set<String> = [], today: CalendarDay = .today(),
                            in scope: Scope, by actor: Actor, on database: any Database) async throws -> SpotCheck {
        try request.design.validate()
        guard let division = try await DivisionQueries.find(request.scopeCode, on: database), scope.contains(division.path) else {
            throw Refusal.divisionNotFound(request.scopeCode)
        }
        let campaign = try await CampaignStore.require(request.campaignID, on: database)
        guard scope.overlaps(campaign.regionPath) else { throw Refusal.campaignNotFound(request.campaignID) }
        let stratification = request.design.stratification
        guard division.level.depth + 1 < stratification.level else {
            throw Refusal("分层方式：「\(division.name)」是\(division.level.label)，不能\(stratification.label)；"
                          + (stratification == .county ? "请按乡镇（街道）分层" : "请选择更高一级的抽查范围"), field: "stratifyBy")
        }
        guard request.asOf <= today else {
            throw Refusal("抽样框截至日期：不能晚于今天（\(today.description)）", field: "asOf")
        }
        let path = try SpotCheckFrame.path(of: division, in: campaign)
        return try await writeTransaction(on: database) { db in
            let frame = try await SpotCheckFrame.records(campaign, path: path, asOf: request.asOf, filters: request.filters,
                                                         stratification: stratification, flagged: flagged, on: db)
            let result = try SpotCheckDraw.draw(frame: frame, design: request.design, seed: request.seed)
            let now = Date()
            let id = try await db.sql.insert(into: "spot_checks")
                .columns("campaign_id", "scope_code", "scope_path", "as_of", "filters", "stratify_by", "size_rule", "size_value",
                         "size_minimum", "flagged_first", "seed", "frame_size", "frame_sha256", "frame", "strata",
                         "created_by_id", "created_by", "created_at")
                .values(SQLBind(campaign.id), SQLBind(division.code), SQLBind(division.path), SQLBind(request.asOf.description),
                        SQLBind(try jsonText(request.filters)), SQLBind(stratification.rawValue), SQLBind(sizeColumns(request.design).rule),
                        SQLBind(sizeColumns(request.design).value), SQLBind(sizeColumns(request.design).minimum),
                        SQLBind(request.design.flaggedFirst), SQLBind(request.seed.description), SQLBind(frame.count),
                        SQLBind(result.frameHash), SQLBind(SpotCheckFrame.text(frame)), SQLBind(try jsonText(result.strata)),
                        SQLBind(actor.userID), SQLBind(actor.name), SQLBind(now))
                .returning("id").first(decodingColumn: "id", as: Int.self) ?? 0
            var insert = BulkWrite(into: "spot_check_samples",
                                   columns: ["spot_check_id", "organization_code", "stratum_code", "position", "flagged"], on: db)
            for drawn in result.sample {
                try await insert.append([.integer(id), .text(drawn.code), .text(drawn.stratumCode), .integer(drawn.position), .bool(drawn.flagged)])
            }
            try await insert.finish()
            try await AuditLog.record("spotcheck.draw", entityType: "spot_check", entityID: String(id), divisionPath: division.path,
                                      before: nil, after: [
                                          "活动": campaign.name, "抽查范围": division.name, "抽样框截至": request.asOf.description,
                                          "抽样设计": request.design.label, "筛选": request.filters.label, "随机种子": request.seed.description,
                                          "抽样框": "\(frame.count) 个", "抽样框SHA-256": result.frameHash, "样本": "\(result.sample.count) 个",
                                      ], by: actor, on: db)
            return SpotCheck(id: id, campaignID: campaign.id, scopeCode: division.code, scopePath: division.path, scopeName: division.name,
                             asOf: request.asOf, filters: request.filters, design: request.design, seed: request.seed,
                             frameSize: frame.count, frameHash: result.frameHash, strata: result.strata, createdBy: actor.name, createdAt: now)
        }
    }

    // MARK: - Reading

    struct Row: Decodable {
        var id: Int
        var campaignId: Int
        var scopeCode: String
        var scopePath: String
        var asOf: String
        var filters: String
        var stratifyBy: String
        var sizeRule: String
        var sizeValue: Double
        var sizeMinimum: Int
        var flaggedFirst: Bool
        var seed: String
        var frameSize: Int
        var frameSha256: String
        var strata: String
        var createdBy: String
        var createdAt: Date

        func spotCheck(scopeName: String) -> SpotCheck {
            let size: SpotCheckDesign.SizeRule = sizeRule == "fixed" ? .fixed(Int(sizeValue)) : .percent(sizeValue, minimum: sizeMinimum)
            return SpotCheck(
                id: id, campaignID: campaignId, scopeCode: scopeCode, scopePath: scopePath, scopeName: scopeName,
                asOf: CalendarDay(iso: asOf) ?? CalendarDay(year: 2000, month: 1, day: 1)!,
                filters: (try? JSONDecoder().decode(SpotCheckFilters.self, from: Data(filters.utf8))) ?? .init(),
                design: SpotCheckDesign(stratification: .init(rawValue: stratifyBy) ?? .county, size: size, flaggedFirst: flaggedFirst),
                seed: SpotCheckSeed(UInt64(seed) ?? 0), frameSize: frameSize, frameHash: frameSha256,
                strata: (try? JSONDecoder().decode([SpotCheckDraw.Stratum].self, from: Data(strata.utf8))) ?? [],
                createdBy: createdBy, createdAt: createdAt)
        }
    }

    static let columns = ["id", "campaign_id", "scope_code", "scope_path", "as_of", "filters", "stratify_by", "size_rule", "size_value",
                          "size_minimum", "flagged_first", "seed", "frame_size", "frame_sha256", "strata", "created_by", "created_at"]

    /// The spot checks drawn over divisions inside `scope`, newest first.
    public static func list(in scope: Scope, on db: any Database) async throws -> [SpotCheck] {
        let rows = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("spot_checks")
            .whereInside(scope, SQLColumn("scope_path")).orderBy("id", .descending)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        let names = try await SpotCheckFrame.divisionNames(Set(rows.map(\.scopeCode)), on: db)
        return rows.map { $0.spotCheck(scopeName: names[$0.scopeCode] ?? $0.scopeCode) }
    }

    /// One spot check; not found when it was drawn over a division outside `scope`.
    public static func find(_ id: Int, in scope: Scope, on db: any Database) async throws -> SpotCheck {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("spot_checks").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase), scope.contains(row.scopePath) else {
            throw Refusal.notFound("找不到编号为 \(id) 的抽查")
        }
        let names = try await SpotCheckFrame.divisionNames([row.scopeCode], on: db)
        return row.spotCheck(scopeName: names[row.scopeCode] ?? row.scopeCode)
    }

    /// The sampled organizations in stratum order, then in the order they were drawn.
    public static func samples(_ spotCheck: SpotCheck, on db: any Database) async throws -> [SpotCheckSample] {
        struct SampleRow: Decodable {
            var organizationCode: String
            var name: String
            var townshipName: String
            var stratumCode: String
            var position: Int
            var flagged: Bool
            var checker: String?
            var visitedOn: String?
            var outcome: String?
            var wrongFields: String?
            var notes: String?
            var recordedBy: String?
            var recordedAt: Date?
        }
        let rows = try await db.sql.select()
            .column(SQLColumn("organization_code", table: "s")).column(SQLColumn("stratum_code", table: "s"))
            .column(SQLColumn("position", table: "s")).column(SQLColumn("flagged", table: "s"))
            .column(SQLColumn("checker", table: "s")).column(SQLColumn("visited_on", table: "s"))
            .column(SQLColumn("outcome", table: "s")).column(SQLColumn("wrong_fields", table: "s"))
            .column(SQLColumn("notes", table: "s")).column(SQLColumn("recorded_by", table: "s"))
            .column(SQLColumn("recorded_at", table: "s"))
            .column(SQLColumn("name", table: "o")).column(SQLColumn("name", table: "d"), as: "township_name")
            .from(SQLAlias(SQLIdentifier("spot_check_samples"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), on: SQLColumn("code", table: "o"), .equal, SQLColumn("organization_code", table: "s"))
            .join(SQLAlias(SQLIdentifier("divisions"), as: SQLIdentifier("d")), on: SQLColumn("code", table: "d"), .equal, SQLColumn("township_code", table: "o"))
            .where(SQLColumn("spot_check_id", table: "s"), .equal, SQLBind(spotCheck.id))
            .all(decoding: SampleRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        let order = Dictionary(uniqueKeysWithValues: spotCheck.strata.enumerated().map { ($1.code, $0) })
        return rows.sorted { (order[$0.stratumCode] ?? 0, $0.position) < (order[$1.stratumCode] ?? 0, $1.position) }.map { row in
            let finding = row.outcome.flatMap(SpotCheckOutcome.init(rawValue:)).map { outcome in
                SpotCheckFinding(outcome: outcome, checker: row.checker ?? "", visitedOn: row.visitedOn.flatMap(CalendarDay.init(iso:)) ?? spotCheck.asOf,
                                 wrongFields: (row.wrongFields ?? "").split(separator: "、").map(String.init), notes: row.notes)
            }
            return SpotCheckSample(code: row.organizationCode, name: row.name, townshipName: row.townshipName, stratumCode: row.stratumCode,
                                   position: row.position, flagged: row.flagged, finding: finding, recordedBy: row.recordedBy,
                                   recordedAt: row.recordedAt)
        }
    }

    // MARK: - Helpers

    static func sizeColumns(_ design: SpotCheckDesign) -> (rule: String, value: Double, minimum: Int) {
        switch design.size {
        case .percent(let p, let minimum): ("percent", p, minimum)
        case .fixed(let n): ("fixed", Double(n), 0)
        }
    }

    static func jsonText(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
    }
}
