import FluentKit
import SQLKit
import TaizhangCore

/// `organizations.name_sort`: each name's pinyin sort key (`NameSortKey`), written with the name,
/// so the ledger sorted by name pages through an index in the order a Chinese reader expects.
/// Existing organizations get their keys here, a thousand at a time; the indexes on the name
/// itself, which served only that sort, give way to indexes on the key. All in one transaction.
struct AddOrganizationNameSort: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { db in
            let sql = db.sql
            // Compared byte for byte on PostgreSQL too, whatever the database's collation.
            let collation = db.isSQLite ? "" : " COLLATE \"C\""
            try await sql.raw(SQLQueryString("ALTER TABLE organizations ADD COLUMN name_sort TEXT\(unsafeRaw: collation) NOT NULL DEFAULT ''")).run()
            struct Row: Decodable {
                var code: String
                var name: String
            }
            var after = ""
            while true {
                let rows = try await sql.select().column("code").column("name").from("organizations")
                    .where("code", .greaterThan, after).orderBy("code").limit(1_000).all(decoding: Row.self)
                guard let last = rows.last else { break }
                if db.isSQLite {
                    var keys = BulkWrite(.updateMatching, into: "organizations", columns: ["code", "name_sort"], on: db)
                    for row in rows { try await keys.append([.text(row.code), .text(NameSortKey.of(row.name))]) }
                    try await keys.finish()
                } else {
                    // One statement per thousand rows, not one per row.
                    let values = rows.map { row -> SQLQueryString in "(\(bind: row.code), \(bind: NameSortKey.of(row.name)))" }
                    try await sql.raw("""
                        UPDATE organizations AS o SET name_sort = v.k FROM (VALUES \(values.joined(separator: ", "))) AS v(code, k) \
                        WHERE o.code = v.code
                        """).run()
                }
                after = last.code
            }
            // The name indexes served only the sort by name; the sort keys take their place.
            try await sql.drop(index: "organizations_name").run()
            try await sql.drop(index: "organizations_stage_name").run()
            try await sql.create(index: "organizations_name_sort").on("organizations").column("name_sort").column("code").run()
            try await sql.create(index: "organizations_stage_name_sort").on("organizations").column("stage").column("name_sort").column("code").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { db in
            try await db.sql.drop(index: "organizations_name_sort").run()
            try await db.sql.drop(index: "organizations_stage_name_sort").run()
            try await db.sql.create(index: "organizations_name").on("organizations").column("name").run()
            try await db.sql.create(index: "organizations_stage_name").on("organizations").column("stage").column("name").column("code").run()
            try await db.sql.raw("ALTER TABLE organizations DROP COLUMN name_sort").run()
        }
    }
}
