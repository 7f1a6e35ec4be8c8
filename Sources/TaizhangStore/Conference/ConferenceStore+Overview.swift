import FluentKit
import SQLKit
import TaizhangCore

extension ConferenceStore {
    /// A township's conference at a glance: members on the day, how many have an organization,
    /// the last meeting and the follow-ups still open.
    public struct Summary: Sendable, Hashable {
        public var townshipCode: String
        public var townshipName: String
        public var townshipPath: String
        public var members: Int
        public var withOrganization: Int
        public var lastMeeting: CalendarDay?
        public var meetings: Int
        public var openFollowups: Int

        /// Share of members with an organization, in whole percent (nil without members).
        public var organizedPercent: Int? {
            members == 0 ? nil : Int((Double(withOrganization) * 100 / Double(members)).rounded())
        }
    }

    /// Every township inside `scope` and under `path` with its conference's summary, in code order.
    public static func summaries(under path: String? = nil, in scope: Scope, today: CalendarDay = .today(),
                                 on db: any Database) async throws -> [Summary] {
        struct Township: Decodable { var code: String; var name: String; var path: String }
        let townships = try await db.sql.select().columns("code", "name", "path").from("divisions")
            .where("level", .equal, DivisionLevel.township.rawValue).whereInside(scope, SQLColumn("path"))
            .whereInside(path.map { .within($0) } ?? .everywhere, SQLColumn("path")).orderBy("path")
            .all(decoding: Township.self)
        guard !townships.isEmpty else { return [] }
        struct Count: Decodable { var townshipCode: String; var n: Int; var m: Int? }
        let day = today.description
        // A few townships (a township's or a county's page) are read by index; a city or more in one pass.
        let only: SQLQueryString = townships.count <= 1000
            ? " AND township_code IN (\(binds: townships.map(\.code)))" : ""
        let members = try await db.sql.raw("""
            SELECT township_code, COUNT(*) AS n, SUM(CASE WHEN organization_code IS NULL THEN 0 ELSE 1 END) AS m
            FROM conference_members WHERE joined_on <= \(bind: day) AND (left_on IS NULL OR left_on >= \(bind: day))\(only)
            GROUP BY township_code
            """).all(decoding: Count.self, keyDecodingStrategy: .convertFromSnakeCase)
        struct Last: Decodable { var townshipCode: String; var n: Int; var last: String? }
        let meetings = try await db.sql.raw("SELECT township_code, COUNT(*) AS n, MAX(held_on) AS last FROM conference_meetings WHERE 1 = 1\(only) GROUP BY township_code")
            .all(decoding: Last.self, keyDecodingStrategy: .convertFromSnakeCase)
        let open = try await db.sql.raw("""
            SELECT township_code, COUNT(*) AS n, 0 AS m FROM conference_followups WHERE state = \(bind: ConferenceFollowup.State.open.rawValue)\(only)
            GROUP BY township_code
            """).all(decoding: Count.self, keyDecodingStrategy: .convertFromSnakeCase)
        let memberCounts = Dictionary(members.map { ($0.townshipCode, $0) }, uniquingKeysWith: { $1 })
        let meetingCounts = Dictionary(meetings.map { ($0.townshipCode, $0) }, uniquingKeysWith: { $1 })
        let openCounts = Dictionary(open.map { ($0.townshipCode, $0.n) }, uniquingKeysWith: { $1 })
        return townships.map { township in
            Summary(townshipCode: township.code, townshipName: township.name, townshipPath: township.path,
                    members: memberCounts[township.code]?.n ?? 0, withOrganization: memberCounts[township.code]?.m ?? 0,
                    lastMeeting: meetingCounts[township.code]?.last.flatMap(CalendarDay.init(iso:)),
                    meetings: meetingCounts[township.code]?.n ?? 0, openFollowups: openCounts[township.code] ?? 0)
        }
    }
}
