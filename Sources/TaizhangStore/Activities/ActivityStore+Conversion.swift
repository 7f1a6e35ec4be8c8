import FluentKit
import SQLKit
import TaizhangCore

extension ActivityStore {
    /// Every unit activities reached in townships inside `scope` and under `path`, with the day of
    /// its first activity and its organization's stage now. A unit is its organization when one is
    /// linked (on the activity or through its conference membership), else its membership, else
    /// its name in its township.
    public static func conversionUnits(under path: String, in scope: Scope, on db: any Database) async throws -> [Conversion.Unit] {
        struct Row: Decodable {
            var townshipCode: String; var heldOn: String; var unitName: String; var memberId: Int?
            var organizationCode: String?; var memberOrganization: String?
        }
        let rows = try await db.sql.select()
            .column(SQLColumn("township_code", table: "a")).column(SQLColumn("held_on", table: "a")).column(SQLColumn("unit_name", table: "u"))
            .column(SQLColumn("member_id", table: "u")).column(SQLColumn("organization_code", table: "u"))
            .column(SQLAlias(SQLColumn("organization_code", table: "m"), as: SQLIdentifier("member_organization")))
            .from(SQLAlias(SQLIdentifier("activity_units"), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier("activities"), as: SQLIdentifier("a")), on: SQLColumn("activity_id", table: "u"), .equal, SQLColumn("id", table: "a"))
            .join(SQLAlias(SQLIdentifier("divisions"), as: SQLIdentifier("d")), on: SQLColumn("township_code", table: "a"), .equal, SQLColumn("code", table: "d"))
            .join(SQLAlias(SQLIdentifier("conference_members"), as: SQLIdentifier("m")), method: SQLJoinMethod.left,
                  on: SQLColumn("member_id", table: "u"), .equal, SQLColumn("id", table: "m"))
            .whereInside(scope, SQLColumn("path", table: "d")).whereInside(.within(path), SQLColumn("path", table: "d"))
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        var units: [String: Conversion.Unit] = [:]
        for row in rows {
            guard let day = CalendarDay(iso: row.heldOn) else { continue }
            let organization = row.organizationCode ?? row.memberOrganization
            let key = organization.map { "o:" + $0 } ?? row.memberId.map { "m:\($0)" } ?? "n:\(row.townshipCode):\(row.unitName)"
            if var unit = units[key] {
                if day < unit.firstActivity { unit.firstActivity = day }
                units[key] = unit
            } else {
                units[key] = Conversion.Unit(key: key, name: row.unitName, townshipCode: row.townshipCode, firstActivity: day,
                                             organizationCode: organization, stage: nil, foundedOn: nil)
            }
        }
        let codes = Array(Set(units.values.compactMap(\.organizationCode)))
        struct Organization: Decodable { var code: String; var name: String; var stage: String; var foundedOn: String? }
        var organizations: [String: Organization] = [:]
        for chunk in stride(from: 0, to: codes.count, by: 500).map({ Array(codes[$0..<min($0 + 500, codes.count)]) }) {
            for org in try await db.sql.select().columns("code", "name", "stage", "founded_on").from("organizations").where("code", .in, chunk)
                .all(decoding: Organization.self, keyDecodingStrategy: .convertFromSnakeCase) {
                organizations[org.code] = org
            }
        }
        return units.values.map { unit in
            var unit = unit
            if let org = unit.organizationCode.flatMap({ organizations[$0] }) {
                unit.stage = Stage(rawValue: org.stage)
                unit.foundedOn = org.foundedOn.flatMap(CalendarDay.init(iso:))
            }
            return unit
        }.sorted { ($0.townshipCode, $0.firstActivity, $0.name) < ($1.townshipCode, $1.firstActivity, $1.name) }
    }

    /// The path of an organization's unit: its activities, then the ledger's stage changes, in date order.
    public struct PathStep: Sendable, Hashable {
        public var day: CalendarDay
        public var label: String
        public var activityID: Int?
    }

    public static func path(ofOrganization code: String, on db: any Database) async throws -> [PathStep] {
        struct ActivityRow: Decodable { var id: Int; var kind: String; var title: String; var heldOn: String }
        let activities = try await db.sql.raw("""
            SELECT a.id, a.kind, a.title, a.held_on FROM activities a WHERE a.id IN (\(reaching(code)))
            """).all(decoding: ActivityRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        struct EventRow: Decodable { var toStage: String; var effectiveOn: String }
        let events = try await db.sql.select().columns("to_stage", "effective_on").from("organization_stage_events")
            .where("organization_code", .equal, code).orderBy("effective_on").orderBy("id")
            .all(decoding: EventRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        let steps = activities.compactMap { row in
            CalendarDay(iso: row.heldOn).map { PathStep(day: $0, label: "\(row.kind)：\(row.title)", activityID: row.id) }
        } + events.compactMap { row in
            CalendarDay(iso: row.effectiveOn).map { PathStep(day: $0, label: Stage(rawValue: row.toStage)?.label ?? row.toStage, activityID: nil) }
        }
        return steps.sorted { ($0.day, $0.activityID == nil ? 1 : 0) < ($1.day, $1.activityID == nil ? 1 : 0) }
    }
}
