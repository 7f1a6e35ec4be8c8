import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The reads behind the red flags: only the columns the rules use, one statement each.
enum RedFlagQueries {
    static func records(in scope: Scope, on db: any Database) async throws -> [RedFlagRecord] {
        let select = db.sql.select()
            .columns("code", "name", "division_path", "org_type", "stage", "preparation_approved_on", "founded_on", "secretary_name",
                     "secretary_phone", "acting_secretary_phone", "member_count", "youth_count")
            .from("organizations")
            .where("stage", .notIn, [Stage.dissolved.rawValue, Stage.merged.rawValue])
        select.whereInside(scope, SQLColumn("division_path"))
        return try await ResultRows.all(select.query, on: db) { row in
            RedFlagRecord(code: try row.string("code"), name: try row.string("name"), townshipPath: try row.string("division_path"),
                          orgType: try row.string("org_type"), stage: Stage(rawValue: try row.string("stage")) ?? .youthGroup,
                          preparationApprovedOn: try row.optionalString("preparation_approved_on").flatMap(CalendarDay.init(iso:)),
                          foundedOn: try row.optionalString("founded_on").flatMap(CalendarDay.init(iso:)),
                          secretaryName: try row.optionalString("secretary_name"), secretaryPhone: try row.optionalString("secretary_phone"),
                          actingSecretaryPhone: try row.optionalString("acting_secretary_phone"),
                          memberCount: try row.optionalInt("member_count"), youthCount: try row.optionalInt("youth_count"))
        }
    }

    /// Creations inside `scope` from `day` (Asia/Shanghai) on; none when there is no cut-off.
    static func created(in scope: Scope, since day: CalendarDay?, on db: any Database) async throws -> [CreatedRecord] {
        guard let day else { return [] }
        let from = Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 - 8 * 3600)
        let select = db.sql.select().columns("code", "division_path", "created_at").from("organizations")
            .where("created_at", .greaterThanOrEqual, SQLBind(from))
        select.whereInside(scope, SQLColumn("division_path"))
        return try await ResultRows.all(select.query, on: db) { row in
            CreatedRecord(code: try row.string("code"), townshipPath: try row.string("division_path"),
                          createdOn: .shanghaiDay(secondsSince1970: try row.date("created_at").timeIntervalSince1970))
        }
    }

    /// Township names by path, for the sentences.
    static func townshipNames(in scope: Scope, on db: any Database) async throws -> [String: String] {
        let select = db.sql.select().columns("path", "name").from("divisions").where("level", .equal, DivisionLevel.township.rawValue)
        select.whereInside(scope, SQLColumn("path"))
        let rows = try await ResultRows.all(select.query, on: db) { row in (try row.string("path"), try row.string("name")) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }
}
