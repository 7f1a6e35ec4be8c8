import FluentKit
import SQLKit

/// A campaign's own visit rhythm (走访频次: at least `visits` visits in any `days` days per
/// township); a campaign without a row keeps the standard 3 in 30.
struct CreateVisitRhythms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("visit_rhythms")
            .field("campaign_id", .int, .identifier(auto: false), .references("campaigns", "id"))
            .field("visits", .int, .required)
            .field("days", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("visit_rhythms").delete()
    }
}
