import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// `taizhang init --region CODE`: loads one region of the national table. Rows already
/// present are left exactly as they are (a moved township stays moved), so loading the
/// same region twice changes nothing.
public enum DivisionLoader {
    public struct Result: Sendable, Equatable {
        public var region: String
        /// Rows the region has in the national table, its ancestors included.
        public var rowsInRegion: Int
        /// Rows this call added.
        public var inserted: Int
    }

    /// Rows per INSERT statement: 9 bound values a row stays far below both databases' limits.
    static let batchSize = 1_000

    public static func load(
        region: String, from table: DivisionTable, by actor: Actor, on database: any Database
    ) async throws -> Result {
        let records = try table.region(region)
        let regionCode = region.uppercased() == DivisionTable.nationalRegion
            ? DivisionTable.nationalRegion : region.trimmingCharacters(in: .whitespaces)
        return try await writeTransaction(on: database) { db in
            let sql = db.sql
            let before = try await count(on: sql)
            var paths: [String: String] = [:]
            paths.reserveCapacity(records.count)
            let now = Date()
            for batch in stride(from: 0, to: records.count, by: batchSize) {
                let insert = sql.insert(into: Division.schema).columns(
                    "code", "name", "level", "parent_code", "statistical_parent_code", "path",
                    "is_management_zone", "key_area_tags", "created_at", "updated_at"
                )
                for record in records[batch..<min(batch + batchSize, records.count)] {
                    let path = DivisionPath.path(parentPath: record.parentCode.flatMap { paths[$0] }, code: record.code)
                    paths[record.code] = path
                    insert.values(
                        SQLBind(record.code), SQLBind(record.name), SQLBind(record.level.rawValue),
                        SQLBind(record.parentCode), SQLBind(record.parentCode), SQLBind(path),
                        SQLBind(false), SQLBind(""), SQLBind(now), SQLBind(now)
                    )
                }
                try await insert.ignoringConflicts(with: "code").run()
            }
            let inserted = try await count(on: sql) - before
            let regionIsNew = try await DeploymentRegion.find(regionCode, on: db) == nil
            if regionIsNew {
                let row = DeploymentRegion()
                row.id = regionCode
                row.loadedAt = now
                try await row.create(on: db)
            }
            let result = Result(region: regionCode, rowsInRegion: records.count, inserted: inserted)
            if inserted > 0 || regionIsNew {
                try await AuditLog.record(
                    "divisions.init", entityType: "region", entityID: regionCode,
                    divisionPath: regionCode == DivisionTable.nationalRegion ? nil : paths[regionCode],
                    before: nil, after: ["rowsInRegion": result.rowsInRegion, "inserted": result.inserted],
                    by: actor, on: db
                )
            }
            return result
        }
    }

    private static func count(on sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .from(Division.schema).first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
