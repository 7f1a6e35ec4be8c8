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
/// And the *reminders* version, raised by triggers whenever a reminder is added, removed, read
/// or unread (`CreateReminderVersion`): the header's unread count is cached under it.
public enum DataVersion {
    static let table = "data_version"
    static let row = "all"
    static let setupRow = "setup"
    static let remindersRow = "reminders"

    /// The versions, read together.
    public struct Versions: Sendable, Equatable {
        /// Raised by every write.
        public var all: Int64
        /// Raised only by changes to accounts, sessions ending, divisions and reference lists.
        public var setup: Int64
        /// Raised only by reminders added, removed, read or unread.
        public var reminders: Int64 = 0
    }

    /// The current version (one indexed row: as cheap as a query gets).
    public static func current(on db: any Database) async throws -> Int64 {
        try await currentVersions(on: db).all
    }

    /// The versions in one statement.
    public static func currentVersions(on db: any Database) async throws -> Versions {
        struct Row: Decodable {
            var name: String
            var value: Int64
        }
        let rows = try await db.sql.select().columns("name", "value").from(table)
            .where("name", .in, [row, setupRow, remindersRow]).all(decoding: Row.self)
        var versions = Versions(all: 0, setup: 0)
        for found in rows {
            switch found.name {
            case row: versions.all = found.value
            case setupRow: versions.setup = found.value
            default: versions.reminders = found.value
            }
        }
        return versions
    }

    static func bump(on db: any Database) async throws {
        try await db.sql.update(table).set("value", to: SQLRaw("value + 1")).where("name", .equal, row).run()
    }
}
