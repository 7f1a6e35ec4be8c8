import FluentKit
import Foundation
import SQLKit
import TaizhangCore

extension CampaignStore {

    /// A township moved to another county takes its targets along: the old county's falls and the
    /// new one's rises by the same amount in every campaign, so the city's split still adds up.
    static func moveTownship(_ township: Division, from: Division, to: Division, by actor: Actor, on db: any Database) async throws {
        struct TargetRow: Decodable {
            var campaignId: Int
            var target: Int
        }
        let rows = try await db.sql.select().columns("campaign_id", "target").from("campaign_targets")
            .where("division_code", .equal, township.code)
            .all(decoding: TargetRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        for row in rows {
            let current = try await targets(row.campaignId, codes: [from.code, to.code], on: db)
            var values: [(code: String, path: String, target: Int)] = [(township.code, township.path, row.target)]
            if let old = current[from.code] { values.append((from.code, from.path, old - row.target)) }
            values.append((to.code, to.path, (current[to.code] ?? 0) + row.target))
            try await setTargets(row.campaignId, values, method: "move", reason: "「\(township.name)」由「\(from.name)」迁入「\(to.name)」",
                                 by: actor, on: db)
        }
    }
}
