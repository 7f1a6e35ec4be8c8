import FluentKit
import SQLKit

/// One number that every write transaction raises, so that app instances can tell whether
/// what they computed from the database (dashboards, sign-ins) is still current.
struct CreateDataVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DataVersion.table)
            .field("name", .string, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()
        try await database.sql.insert(into: DataVersion.table).columns("name", "value")
            .values(SQLBind(DataVersion.row), SQLBind(Int64(1))).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DataVersion.table).delete()
    }
}
