import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// A campaign's visit rhythm (走访频次): stored per campaign, the standard 3 in 30 days until a
/// city administrator sets another; each change audited with the rhythm before and after.
public enum VisitRhythmStore {
    public static func rhythm(campaignID: Int, on db: any Database) async throws -> VisitRhythm {
        struct Row: Decodable { var visits: Int; var days: Int }
        guard let row = try await db.sql.select().column("visits").column("days").from("visit_rhythms")
            .where("campaign_id", .equal, campaignID).first(decoding: Row.self) else { return .standard }
        return VisitRhythm(visits: row.visits, days: row.days)
    }

    /// Sets the rhythm of a campaign; a value outside the limits is refused with nothing written.
    public static func set(_ rhythm: VisitRhythm, campaignID: Int, by actor: Actor, on database: any Database) async throws {
        guard VisitRhythm.visitLimit.contains(rhythm.visits), VisitRhythm.dayLimit.contains(rhythm.days), rhythm.visits <= rhythm.days else {
            throw Refusal("走访频次：每 \(rhythm.days) 天 \(rhythm.visits) 次不在允许范围内（天数 \(VisitRhythm.dayLimit.lowerBound)–\(VisitRhythm.dayLimit.upperBound)，"
                          + "次数 \(VisitRhythm.visitLimit.lowerBound)–\(VisitRhythm.visitLimit.upperBound)，且不超过天数）", field: "visits")
        }
        let campaign = try await CampaignStore.require(campaignID, on: database)
        try await writeTransaction(on: database) { db in
            let before = try await self.rhythm(campaignID: campaignID, on: db)
            try await db.sql.insert(into: "visit_rhythms").columns("campaign_id", "visits", "days", "updated_by", "updated_at")
                .values(SQLBind(campaignID), SQLBind(rhythm.visits), SQLBind(rhythm.days), SQLBind(actor.name), SQLBind(Date()))
                .onConflict(with: ["campaign_id"]) {
                    $0.set(excludedValueOf: "visits").set(excludedValueOf: "days").set(excludedValueOf: "updated_by").set(excludedValueOf: "updated_at")
                }
                .run()
            try await AuditLog.record("liaison.rhythm", entityType: "campaign", entityID: String(campaignID), divisionPath: campaign.regionPath,
                                      before: ["走访频次": before.label], after: ["走访频次": rhythm.label], by: actor, on: db)
        }
    }
}
