import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Which items a list shows.
public enum SupervisionView: String, Sendable, CaseIterable, Codable {
    case open
    case overdue
    case closedThisWeek = "closed_this_week"
    case all

    public var label: String {
        switch self {
        case .open: "未办结"
        case .overdue: "逾期"
        case .closedThisWeek: "本周办结"
        case .all: "全部"
        }
    }
}

extension SupervisionStore {
    struct Row: Decodable {
        var id: Int
        var campaignId: Int?
        var divisionCode: String
        var divisionPath: String
        var title: String
        var detail: String
        var ownerUnit: String
        var responsibleName: String
        var responsibleUserId: String?
        var raisedOn: String
        var deadline: String
        var state: String
        var source: String
        var sourceRef: String?
        var raisedBy: String
        var raisedById: String?
        var result: String?
        var closedBy: String?
        var closedAt: Date?
        var returnReason: String?

        var item: SupervisionItem {
            let fallback = CalendarDay(year: 2000, month: 1, day: 1)!
            return SupervisionItem(id: id, campaignID: campaignId, divisionCode: divisionCode, divisionPath: divisionPath, title: title, detail: detail,
                                   ownerUnit: ownerUnit, responsibleName: responsibleName, responsibleUserID: responsibleUserId,
                                   raisedOn: CalendarDay(iso: raisedOn) ?? fallback, deadline: CalendarDay(iso: deadline) ?? fallback,
                                   state: SupervisionState(rawValue: state) ?? .open, source: SupervisionSource(rawValue: source) ?? .other,
                                   sourceRef: sourceRef, raisedBy: raisedBy, raisedByID: raisedById, result: result, closedBy: closedBy,
                                   closedAt: closedAt, returnReason: returnReason)
        }
    }

    static let columns = ["id", "campaign_id", "division_code", "division_path", "title", "detail", "owner_unit", "responsible_name",
                          "responsible_user_id", "raised_on", "deadline", "state", "source", "source_ref", "raised_by", "raised_by_id",
                          "result", "closed_by", "closed_at", "return_reason"]

    /// One item; not found outside `scope`.
    public static func require(_ id: Int, in scope: Scope, on db: any Database) async throws -> SupervisionItem {
        guard let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("supervision_items").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase), scope.contains(row.divisionPath) else {
            throw Refusal.notFound("找不到编号为 \(id) 的督办事项")
        }
        return row.item
    }

    /// Items under `path` inside `scope` that `view` selects as of `instant`, overdue and nearest deadline first.
    public static func list(_ view: SupervisionView, under path: String? = nil, in scope: Scope, at instant: Date,
                            limit: Int = 500, on db: any Database) async throws -> [SupervisionItem] {
        let today = CalendarDay(shanghai: instant)
        let select = db.sql.select().columns(columns.map { SQLColumn($0) }).from("supervision_items").whereInside(scope, SQLColumn("division_path"))
        if let path { select.whereInside(.within(path), SQLColumn("division_path")) }
        switch view {
        case .open: select.where("state", .notEqual, SupervisionState.closed.rawValue)
        case .overdue: select.where("state", .notEqual, SupervisionState.closed.rawValue).where("deadline", .lessThan, today.description)
        case .closedThisWeek:
            select.where("state", .equal, SupervisionState.closed.rawValue).where("closed_at", .greaterThanOrEqual, SQLBind(weekStart(today).startInShanghai))
        case .all: break
        }
        return try await select.orderBy("deadline").orderBy("id").limit(limit)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.item)
    }

    /// Monday of the week `day` falls in.
    static func weekStart(_ day: CalendarDay) -> CalendarDay {
        day.adding(days: -day.weekdayFromMonday)
    }

    /// The items of one township or county, every state, newest first.
    public static func items(of divisionCode: String, on db: any Database) async throws -> [SupervisionItem] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("supervision_items").where("division_code", .equal, divisionCode)
            .orderBy("raised_on", .descending).orderBy("id", .descending)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.item)
    }

    /// Open and overdue items per county under `path` (a city), as of `instant`.
    public struct Tally: Sendable, Hashable {
        public var open = 0
        public var overdue = 0

        public init(open: Int = 0, overdue: Int = 0) {
            self.open = open
            self.overdue = overdue
        }
    }

    public static func tallyByCounty(under path: String, at instant: Date, on db: any Database) async throws -> [String: Tally] {
        struct Item: Decodable { var divisionPath: String; var deadline: String }
        let today = CalendarDay(shanghai: instant).description
        let rows = try await db.sql.select().column("division_path").column("deadline").from("supervision_items")
            .where("state", .notEqual, SupervisionState.closed.rawValue).whereInside(.within(path), SQLColumn("division_path"))
            .all(decoding: Item.self, keyDecodingStrategy: .convertFromSnakeCase)
        let depth = DivisionPath(path).depth
        var tally: [String: Tally] = [:]
        for row in rows {
            let segments = row.divisionPath.split(separator: "/")
            guard segments.count > depth else { continue }
            let county = String(segments[depth])
            tally[county, default: Tally()].open += 1
            if row.deadline < today { tally[county, default: Tally()].overdue += 1 }
        }
        return tally
    }

    /// One move in an item's history.
    public struct Event: Sendable, Hashable, Codable {
        public var from: SupervisionState?
        public var to: SupervisionState
        public var note: String?
        public var actor: String
        public var at: Date
    }

    public static func history(of id: Int, on db: any Database) async throws -> [Event] {
        struct EventRow: Decodable { var fromState: String?; var toState: String; var note: String?; var actor: String; var at: Date }
        return try await db.sql.select().columns("from_state", "to_state", "note", "actor", "at").from("supervision_item_events")
            .where("item_id", .equal, id).orderBy("id")
            .all(decoding: EventRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            .map { Event(from: $0.fromState.flatMap(SupervisionState.init(rawValue:)), to: SupervisionState(rawValue: $0.toState) ?? .open,
                         note: $0.note, actor: $0.actor, at: $0.at) }
    }
}
