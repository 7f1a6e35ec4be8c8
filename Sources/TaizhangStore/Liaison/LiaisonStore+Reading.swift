import FluentKit
import Foundation
import SQLKit
import TaizhangCore

extension LiaisonStore {
    struct AssignmentRow: Decodable {
        var id: Int
        var campaignId: Int
        var townshipCode: String
        var townshipPath: String
        var role: String
        var startsOn: String
        var endsOn: String?
        var assignedBy: String
        var assignedAt: Date
        var endedBy: String?
        var endReason: String?
        var cadreId: Int
        var name: String
        var unit: String
        var post: String
        var phone: String
        var userId: String?

        var assignment: LiaisonAssignment {
            LiaisonAssignment(id: id, campaignID: campaignId, townshipCode: townshipCode, townshipPath: townshipPath,
                              cadre: LiaisonCadre(id: cadreId, name: name, unit: unit, post: post, phone: phone, userID: userId),
                              role: LiaisonRole(rawValue: role) ?? .helper, startsOn: CalendarDay(iso: startsOn) ?? .init(year: 2000, month: 1, day: 1)!,
                              endsOn: endsOn.flatMap(CalendarDay.init(iso:)), assignedBy: assignedBy, assignedAt: assignedAt,
                              endedBy: endedBy, endReason: endReason)
        }
    }

    static func assignmentSelect(on db: any Database) -> SQLSelectBuilder {
        db.sql.select()
            .columns(["id", "campaign_id", "township_code", "township_path", "role", "starts_on", "ends_on", "assigned_by", "assigned_at",
                      "ended_by", "end_reason"].map { SQLColumn($0, table: "a") })
            .column(SQLColumn("id", table: "c"), as: "cadre_id")
            .columns(["name", "unit", "post", "phone", "user_id"].map { SQLColumn($0, table: "c") })
            .from(SQLAlias(SQLIdentifier("liaison_assignments"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("liaison_cadres"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("cadre_id", table: "a"), .equal, SQLColumn("id", table: "c"))
    }

    public static func find(_ id: Int, on db: any Database) async throws -> LiaisonAssignment? {
        try await assignmentSelect(on: db).where(SQLColumn("id", table: "a"), .equal, SQLBind(id))
            .first(decoding: AssignmentRow.self, keyDecodingStrategy: .convertFromSnakeCase)?.assignment
    }

    /// A township's assignments for a campaign, past and present, newest first.
    public static func assignments(township code: String, campaignID: Int, on db: any Database) async throws -> [LiaisonAssignment] {
        try await assignmentSelect(on: db).where(SQLColumn("township_code", table: "a"), .equal, SQLBind(code))
            .where(SQLColumn("campaign_id", table: "a"), .equal, SQLBind(campaignID))
            .orderBy(SQLOrderBy(expression: SQLColumn("starts_on", table: "a"), direction: SQLDirection.descending)).orderBy(SQLOrderBy(expression: SQLColumn("id", table: "a"), direction: SQLDirection.descending))
            .all(decoding: AssignmentRow.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.assignment)
    }

    /// The assignments of a campaign holding on `day` for townships under `path`, lead first.
    public static func active(campaignID: Int, under path: String, on day: CalendarDay, on db: any Database) async throws -> [LiaisonAssignment] {
        let select = assignmentSelect(on: db).where(SQLColumn("campaign_id", table: "a"), .equal, SQLBind(campaignID))
            .where(SQLColumn("starts_on", table: "a"), .lessThanOrEqual, SQLBind(day.description))
            .where(group: { $0.where(SQLColumn("ends_on", table: "a"), .is, SQLLiteral.null)
                .orWhere(SQLColumn("ends_on", table: "a"), .greaterThanOrEqual, SQLBind(day.description)) })
        select.whereInside(.within(path), SQLColumn("township_path", table: "a"))
        return try await select.orderBy(SQLColumn("township_path", table: "a")).orderBy(SQLOrderBy(expression: SQLColumn("role", table: "a"), direction: SQLDirection.descending))
            .all(decoding: AssignmentRow.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.assignment)
    }

    /// The lead liaison of each township under `path` on `day`, by township code.
    public static func leads(campaignID: Int, under path: String, on day: CalendarDay, on db: any Database) async throws -> [String: LiaisonCadre] {
        var leads: [String: LiaisonCadre] = [:]
        for assignment in try await active(campaignID: campaignID, under: path, on: day, on: db) where assignment.role == .lead {
            leads[assignment.townshipCode] = assignment.cadre
        }
        return leads
    }

    /// A cadre's assignments holding on `day`, in any campaign.
    public static func assignments(ofCadre id: Int, on day: CalendarDay, on db: any Database) async throws -> [LiaisonAssignment] {
        try await assignmentSelect(on: db).where(SQLColumn("cadre_id", table: "a"), .equal, SQLBind(id))
            .where(SQLColumn("starts_on", table: "a"), .lessThanOrEqual, SQLBind(day.description))
            .orderBy(SQLColumn("township_path", table: "a"))
            .all(decoding: AssignmentRow.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.assignment)
            .filter { $0.isActive(on: day) }
    }
}
