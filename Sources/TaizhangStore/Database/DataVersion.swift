import FluentKit
import SQLKit

/// The version of everything in the database: `writeTransaction` raises it in the same
/// transaction as each change, so any app instance that read version N and reads N again
/// knows that nothing was written in between — whichever instance or command wrote it.
/// Web caches keep what they computed under the version they computed it at.
public enum DataVersion {
    static let table = "data_version"
    static let row = "all"

    /// The current version (one indexed row: as cheap as a query gets).
    public static func current(on db: any Database) async throws -> Int64 {
        struct Row: Decodable { var value: Int64 }
        return try await db.sql.select().column("value").from(table).where("name", .equal, row)
            .first(decoding: Row.self)?.value ?? 0
    }

    static func bump(on db: any Database) async throws {
        try await db.sql.update(table).set("value", to: SQLRaw("value + 1")).where("name", .equal, row).run()
    }
}
