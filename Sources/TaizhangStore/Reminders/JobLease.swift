import FluentKit
import Foundation
import SQLKit

/// A lease on a scheduled job, so that of several app instances on one database one at a time
/// runs it. Taken with one conditional UPDATE: it succeeds only for the holder or once the lease
/// has expired, and the database lets only one of two racing updates match.
public enum JobLease {
    /// Takes or renews the lease on `job` for `duration`; false while another holder has it.
    public static func take(_ job: String, holder: String, for duration: TimeInterval, now: Date = Date(),
                            on database: any Database) async throws -> Bool {
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            let rows = try await db.sql.update("job_leases")
                .set("holder", to: holder).set("expires_at", to: now.addingTimeInterval(duration))
                .where("name", .equal, job)
                .where { $0.where("holder", .equal, holder).orWhere("expires_at", .lessThanOrEqual, now) }
                .returning("name").all()
            return rows.count == 1
        }
    }

    /// Gives the lease up (at shutdown), so another instance takes the job at once.
    public static func release(_ job: String, holder: String, on database: any Database) async throws {
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            try await db.sql.update("job_leases").set("expires_at", to: Date(timeIntervalSince1970: 0))
                .where("name", .equal, job).where("holder", .equal, holder).run()
        }
    }

    /// Who holds the lease and until when.
    public static func holder(of job: String, on db: any Database) async throws -> (holder: String, expiresAt: Date)? {
        struct Row: Decodable {
            var holder: String
            var expires_at: Date
        }
        return try await db.sql.select().columns("holder", "expires_at").from("job_leases").where("name", .equal, job)
            .first(decoding: Row.self).map { ($0.holder, $0.expires_at) }
    }
}
