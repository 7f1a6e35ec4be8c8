import FluentKit
import SQLKit

/// The version of everything in the database: `writeTransaction` raises it in the same
/// transaction as each change, so any app instance that read version N and reads N again
/// knows that nothing was written in between — whichever instance or command wrote it.
/// Web caches keep what they computed under the version they computed it at.
///
/// Beside it, the *setup* version changes only with what the application is set up with
/// (accounts, grants, ended sessions and tokens, divisions, reference lists), raised by
/// triggers (`CreateSetupVersion`): what depends only on those is cached across ledger writes.
public enum DataVersion {
    static let table = "data_version"
    static let row = "all"
    static let setupRow = "setup"

    /// Both versions, read together.
    public struct Versions: Sendable, Equatable {
        /// Raised by every write.
        public var all: Int64
        /// Raised only by changes to accounts, sessions ending, divisions and reference lists.
        public var setup: Int64
    }

    /// The current version (one indexed row: as cheap as a query gets).
    public static func current(on db: any Database) async throws -> Int64 {
        try await currentVersions(on: db).all
    }

    /// Both versions in one statement.
    public static func currentVersions(on db: any Database) async throws -> Versions {
        struct Row: Decodable {
            var name: String
            var value: Int64
        }
        let rows = try await db.sql.select().columns("name", "value").from(table)
            .where("name", .in, [row, setupRow]).all(decoding: Row.self)
        var versions = Versions(all: 0, setup: 0)
        for found in rows {
            if found.name == row { versions.all = found.value } else { versions.setup = found.value }
        }
        return versions
    }

    static func bump(on db: any Database) async throws {
        try await db.sql.update(table).set("value", to: SQLRaw("value + 1")).where("name", .equal, row).run()
    }
}
