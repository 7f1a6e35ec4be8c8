import FluentKit
import Foundation
import SQLKit
import TaizhangCore

extension SpotCheckStore {
    /// Records what the checker found at one sampled organization (again, to correct it). A
    /// finding of 不属实 takes the organization out of every count from the visit day, in the
    /// same transaction (a corrected finding lets it count again). An organization not in the sample is refused.
    public static func record(_ finding: SpotCheckFinding, for code: String, in spotCheckID: Int, today: CalendarDay = .today(),
                              scope: Scope, by actor: Actor, on database: any Database) async throws {
        let spotCheck = try await find(spotCheckID, in: scope, on: database)
        var cleaned = finding
        cleaned.checker = finding.checker.trimmingCharacters(in: .whitespacesAndNewlines)
        cleaned.notes = finding.notes?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfBlank
        try cleaned.validate(today: today, asOf: spotCheck.asOf)
        let finding = cleaned
        try await writeTransaction(on: database) { db in
            struct Current: Decodable {
                var outcome: String?
                var checker: String?
                var visited_on: String?
                var wrong_fields: String?
                var division_path: String
            }
            guard let current = try await db.sql.select()
                .column(SQLColumn("outcome", table: "s")).column(SQLColumn("checker", table: "s"))
                .column(SQLColumn("visited_on", table: "s")).column(SQLColumn("wrong_fields", table: "s"))
                .column(SQLColumn("division_path", table: "o"))
                .from(SQLAlias(SQLIdentifier("spot_check_samples"), as: SQLIdentifier("s")))
                .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), on: SQLColumn("code", table: "o"), .equal,
                      SQLColumn("organization_code", table: "s"))
                .where(SQLColumn("spot_check_id", table: "s"), .equal, SQLBind(spotCheckID))
                .where(SQLColumn("organization_code", table: "s"), .equal, SQLBind(code))
                .first(decoding: Current.self) else {
                throw Refusal("团组织「\(code)」不在第 \(spotCheckID) 号抽查的样本中，不能记录核查结果", field: "code")
            }
            let before = current.outcome.flatMap(SpotCheckOutcome.init(rawValue:))
            try await db.sql.update("spot_check_samples")
                .set("outcome", to: SQLBind(finding.outcome.rawValue)).set("checker", to: SQLBind(finding.checker))
                .set("visited_on", to: SQLBind(finding.visitedOn.description))
                .set("wrong_fields", to: SQLBind(finding.wrongFields.isEmpty ? nil : finding.wrongFields.joined(separator: "、")))
                .set("notes", to: SQLBind(finding.notes)).set("recorded_by", to: SQLBind(actor.name)).set("recorded_at", to: SQLBind(Date()))
                .where("spot_check_id", .equal, spotCheckID).where("organization_code", .equal, code).run()
            var after = ["抽查": "第 \(spotCheckID) 号", "核查结果": finding.outcome.label, "核查人": finding.checker,
                         "核查日期": finding.visitedOn.description]
            if !finding.wrongFields.isEmpty { after["有误字段"] = finding.wrongFields.joined(separator: "、") }
            if let notes = finding.notes { after["备注"] = notes }
            try await AuditLog.record("spotcheck.outcome", entityType: "organization", entityID: code, divisionPath: current.division_path,
                                      before: before.map { _ in
                                          ["核查结果": before?.label ?? "", "核查人": current.checker ?? "", "核查日期": current.visited_on ?? "",
                                           "有误字段": current.wrong_fields ?? ""]
                                      }, after: after, by: actor, on: db)
            // 不属实 stops the organization counting from the visit day; a corrected finding lets it count again.
            if finding.outcome == .notReal {
                try await OrganizationReview.refute(codes: [code], on: finding.visitedOn, by: actor, db: db)
            } else if before == .notReal {
                try await OrganizationReview.restore(codes: [code], by: actor, db: db)
            }
        }
    }

    /// Redoes the draw from the stored frame and seed and compares it with what was stored; with
    /// `comparingLedger`, also counts how the ledger's frame has moved since (records added or gone).
    public static func redraw(_ spotCheck: SpotCheck, comparingLedger: Bool = false, on db: any Database) async throws -> SpotCheckRedraw {
        guard let text = try await db.sql.select().column("frame").from("spot_checks").where("id", .equal, spotCheck.id)
            .first(decodingColumn: "frame", as: String.self) else { throw Refusal.notFound("找不到编号为 \(spotCheck.id) 的抽查") }
        let names = Dictionary(spotCheck.strata.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let frame = SpotCheckFrame.parse(text, names: names)
        let stored = try await samples(spotCheck, on: db).map { "\($0.stratumCode)|\($0.position)|\($0.code)" }.sorted()
        let redrawn = try? SpotCheckDraw.draw(frame: frame, design: spotCheck.design, seed: spotCheck.seed)
        let recomputed = redrawn?.frameHash ?? SpotCheckDraw.frameHash(frame.map(\.code))
        let again = redrawn?.sample.map { "\($0.stratumCode)|\($0.position)|\($0.code)" }.sorted()
        var added: Int?
        var removed: Int?
        if comparingLedger, let campaign = try await CampaignStore.find(spotCheck.campaignID, on: db),
           let division = try await DivisionQueries.find(spotCheck.scopeCode, on: db),
           let path = try? SpotCheckFrame.path(of: division, in: campaign) {
            let live = Set(try await SpotCheckFrame.records(campaign, path: path, asOf: spotCheck.asOf, filters: spotCheck.filters,
                                                            stratification: spotCheck.design.stratification, flagged: [], on: db).map(\.code))
            let then = Set(frame.map(\.code))
            added = live.subtracting(then).count
            removed = then.subtracting(live).count
        }
        return SpotCheckRedraw(storedHash: spotCheck.frameHash, recomputedHash: recomputed, sampleMatches: again == stored,
                               addedSince: added, removedSince: removed)
    }
}
