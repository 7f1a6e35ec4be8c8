import FluentKit
import SQLKit

/// A bulletin can be withdrawn (作废) with a reason, and a kind's period is issued at most once
/// while not withdrawn. Bulletins that already repeated a period keep their numbers; all but the
/// earliest are marked withdrawn, with that reason, so the unique index can hold.
struct AddBulletinWithdrawal: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite adds one column per statement.
        try await database.schema("bulletins").field("withdrawn_at", .datetime).update()
        try await database.schema("bulletins").field("withdrawn_by", .string).update()
        try await database.schema("bulletins").field("withdrawal_reason", .string).update()
        try await database.sql.raw("""
            UPDATE bulletins SET withdrawn_at = issued_at, withdrawn_by = '系统升级',
                withdrawal_reason = '同一周期重复签发：保留最早的一期，其余作废'
            WHERE EXISTS (SELECT 1 FROM bulletins AS earlier
                          WHERE earlier.campaign_id = bulletins.campaign_id AND earlier.kind = bulletins.kind
                            AND earlier.period_key = bulletins.period_key AND earlier.id < bulletins.id)
            """).run()
        try await database.sql.raw("""
            CREATE UNIQUE INDEX bulletins_one_per_period ON bulletins (campaign_id, kind, period_key)
            WHERE withdrawn_at IS NULL
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX bulletins_one_per_period").run()
        try await database.schema("bulletins").deleteField("withdrawal_reason").update()
        try await database.schema("bulletins").deleteField("withdrawn_by").update()
        try await database.schema("bulletins").deleteField("withdrawn_at").update()
    }
}
