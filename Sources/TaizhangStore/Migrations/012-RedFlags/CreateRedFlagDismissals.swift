import FluentKit
import SQLKit

/// Red flags are computed from the ledger each time; only their dismissals (忽略, with a reason)
/// are stored, keyed by the flag's stable identity so a dismissal sticks while the flag is the same.
struct CreateRedFlagDismissals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("red_flag_dismissals")
            .field("flag_id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            // The organizations concerned, comma-separated and sorted, as when dismissed.
            .field("codes", .string, .required)
            // The township path the flag was listed under first: the dismissal's place for scoping.
            .field("division_path", .string, .required)
            // The explanation as it read when dismissed.
            .field("sentence", .string, .required)
            .field("reason", .string, .required)
            .field("dismissed_by", .string, .required)
            .field("dismissed_by_user_id", .string)
            .field("dismissed_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "red_flag_dismissals_path").on("red_flag_dismissals").column("division_path").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("red_flag_dismissals").delete()
    }
}
