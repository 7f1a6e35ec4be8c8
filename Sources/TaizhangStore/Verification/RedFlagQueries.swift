import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The reads behind the red flags: only the columns the rules use, one statement each.
enum RedFlagQueries {
    static func records(in scope: Scope, on db: any Database) async throws -> [RedFlagRecord] {
        let select = recordsSelect(on: db)
        select.whereInside(scope, SQLColumn("division_path"))
        return try await ResultRows.all(select.query, on: db, record(from:))
    }

    /// The same for the townships `paths` (in chunks, each an `IN` list the path index answers).
    static func records(inTownships paths: [String], on db: any Database) async throws -> [RedFlagRecord] {
        var records: [RedFlagRecord] = []
        for start in stride(from: 0, to: paths.count, by: 500) {
            let select = recordsSelect(on: db).where("division_path", .in, Array(paths[start..<min(paths.count, start + 500)]))
            records += try await ResultRows.all(select.query, on: db, record(from:))
        }
        return records
    }

    /// The creations in the townships `paths` from `day` on (none when there is no cut-off).
    static func created(inTownships paths: [String], since day: CalendarDay?, on db: any Database) async throws -> [CreatedRecord] {
        guard let day else { return [] }
        var created: [CreatedRecord] = []
        for start in stride(from: 0, to: paths.count, by: 500) {
            let select = db.sql.select().columns("code", "division_path", "created_at").from("organizations")
                .where("division_path", .in, Array(paths[start..<min(paths.count, start + 500)]))
                .where("created_at", .greaterThanOrEqual, SQLBind(shanghaiMidnight(day)))
            created += try await ResultRows.all(select.query, on: db, createdRecord(from:))
        }
        return created
    }

    /// Each township's ledger version inside `scope` (`township_ledger_versions`, raised by triggers).
    static func townshipVersions(in scope: Scope, on db: any Database) async throws -> [String: Int64] {
        let select = db.sql.select().columns("division_path", "version").from("township_ledger_versions")
        select.whereInside(scope, SQLColumn("division_path"))
        let rows = try await ResultRows.all(select.query, on: db) { row in (try row.string("division_path"), Int64(try row.int("version"))) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    private static func recordsSelect(on db: any Database) -> SQLSelectBuilder {
        db.sql.select()
            .columns("code", "name", "division_path", "org_type", "stage", "preparation_approved_on", "founded_on", "secretary_name",
                     "secretary_phone", "acting_secretary_phone", "member_count", "youth_count")
            .from("organizations")
            .where("stage", .notIn, [Stage.dissolved.rawValue, Stage.merged.rawValue])
    }

    private static func shanghaiMidnight(_ day: CalendarDay) -> Date {
        Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 - 8 * 3600)
    }

    @Sendable private static func createdRecord(from row: any ColumnReader) throws -> CreatedRecord {
        CreatedRecord(code: try row.string("code"), townshipPath: try row.string("division_path"),
                      createdOn: .shanghaiDay(secondsSince1970: try row.date("created_at").timeIntervalSince1970))
    }

    @Sendable private static func record(from row: any ColumnReader) throws -> RedFlagRecord {
            RedFlagRecord(code: try row.string("code"), name: try row.string("name"), townshipPath: try row.string("division_path"),
                          orgType: try row.string("org_type"), stage: Stage(rawValue: try row.string("stage")) ?? .youthGroup,
                          preparationApprovedOn: try row.optionalString("preparation_approved_on").flatMap(CalendarDay.init(iso:)),
                          foundedOn: try row.optionalString("founded_on").flatMap(CalendarDay.init(iso:)),
                          secretaryName: try row.optionalString("secretary_name"), secretaryPhone: try row.optionalString("secretary_phone"),
                          actingSecretaryPhone: try row.optionalString("acting_secretary_phone"),
                          memberCount: try row.optionalInt("member_count"), youthCount: try row.optionalInt("youth_count"))
    }

    /// Creations inside `scope` from `day` (Asia/Shanghai) on; none when there is no cut-off.
    static func created(in scope: Scope, since day: CalendarDay?, on db: any Database) async throws -> [CreatedRecord] {
        guard let day else { return [] }
        let select = db.sql.select().columns("code", "division_path", "created_at").from("organizations")
            .where("created_at", .greaterThanOrEqual, SQLBind(shanghaiMidnight(day)))
        select.whereInside(scope, SQLColumn("division_path"))
        return try await ResultRows.all(select.query, on: db, createdRecord(from:))
    }

    /// Township names by path, for the sentences.
    static func townshipNames(in scope: Scope, on db: any Database) async throws -> [String: String] {
        let select = db.sql.select().columns("path", "name").from("divisions").where("level", .equal, DivisionLevel.township.rawValue)
        select.whereInside(scope, SQLColumn("path"))
        let rows = try await ResultRows.all(select.query, on: db) { row in (try row.string("path"), try row.string("name")) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }
}
