import Foundation
import FluentKit
import SQLKit
import TaizhangCore

/// The measured figures of an assessment's units on its date, read through the stores that own
/// them: completion from the campaign's running counts (`CampaignProgress`), timeliness from the
/// reports (`ReportStore`), review outcomes from the review events up to the day, spot-check outcomes from the
/// spot-check samples, liaison coverage from the lead assignments (`LiaisonStore.leads`), conference
/// months from the meetings, visits against the campaign's rhythm (`VisitStore.rhythm`), supervision
/// items by their deadlines, brand activities by township, accepted demonstration townships. A new `MeasuredIndicator` adds its query here.
public enum AssessmentFacts {
    public static func units(_ campaign: Campaign, scope: CampaignArea, asOf: CalendarDay, on db: any Database) async throws -> [AssessmentUnit] {
        let areas = try await CampaignStore.children(of: scope, on: db)
        let progress = try await CampaignProgress.figures(campaign, areas: areas, asOf: asOf, on: db)
        let onTime = try await reportsOnTime(campaign, units: areas, asOf: asOf, on: db)
        let established = try await establishedOn(areas, on: db)
        let townships = try await townships(of: areas, within: scope, on: db)
        let allTownships = townships.values.flatMap { $0 }
        let leads = try await LiaisonStore.leads(campaignID: campaign.id, townships: allTownships, on: asOf, on: db)
        let met = try await meetingMonths(within: scope, from: campaign.start, through: asOf, on: db)
        let months = monthKeys(from: campaign.start, through: asOf)
        let rhythm = try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: db)
        let visits = try await VisitStore.rhythm(under: scope.path, window: rhythm.window(endingOn: asOf), on: db)
        let supervision = try await supervisionItemsDue(campaign, within: scope, asOf: asOf, on: db)
        let active = try await townshipsWithActivities(within: scope, from: campaign.start, through: asOf, on: db)
        let accepted = try await acceptedDemonstrations(campaign, within: scope, asOf: asOf, on: db)
        var units: [AssessmentUnit] = []
        for (area, figures) in zip(areas, progress) {
            var measured: [MeasuredIndicator: Double] = [:]
            if figures.target > 0 { measured[.completion] = Percent.tenthsRoundedDown(figures.progress.percent) }
            measured[.reportsOnTime] = onTime[area.code]
            measured[.verificationPass] = try await verificationPass(area, asOf: asOf, on: db)
            measured[.spotCheckReal] = try await spotCheckReal(campaign, area, asOf: asOf, on: db)
            if let mine = townships[area.code], !mine.isEmpty {
                measured[.liaisonCoverage] = percent(mine.filter { leads[$0] != nil }.count, of: mine.count)
                measured[.visitRhythm] = percent(mine.filter { !rhythm.isBelow(visits: visits[$0]?.inWindow ?? 0) }.count, of: mine.count)
                measured[.activityCoverage] = percent(mine.filter(active.contains).count, of: mine.count)
                measured[.demonstrationAccepted] = Double(mine.filter(accepted.contains).count)
                if !months.isEmpty {
                    measured[.conferenceMonthly] = percent(mine.map { code in months.filter { met.contains("\(code)|\($0)") }.count }.reduce(0, +),
                                                           of: mine.count * months.count)
                }
            }
            let due = supervision.filter { DivisionPath(area.path).contains($0.path) }
            if !due.isEmpty { measured[.supervisionOnTime] = percent(due.filter(\.closedOnTime).count, of: due.count) }
            units.append(AssessmentUnit(code: area.code, name: area.name, target: figures.target, establishedOn: established[area.code],
                                        measured: measured))
        }
        return units
    }

    /// 对标定级: the organizations of a township founded by `asOf` (by their founding date) and not found refuted
    /// by then, ordered by code; each eligible from its founding date. They have no measured figures.
    public static func organizations(inside path: String, asOf: CalendarDay, on db: any Database) async throws -> [AssessmentUnit] {
        struct Row: Decodable { var code: String; var name: String; var founded_on: String? }
        let day = asOf.description
        let rows = try await db.sql.select().columns("code", "name", "founded_on").from("organizations")
            .whereInside(.within(path), SQLColumn("division_path"))
            .where("stage", .equal, SQLBind(Stage.founded.rawValue))
            .where { $0.where("founded_on", .is, SQLLiteral.null).orWhere("founded_on", .lessThanOrEqual, SQLBind(day)) }
            .where { $0.where("refuted_on", .is, SQLLiteral.null).orWhere("refuted_on", .greaterThan, SQLBind(day)) }
            .orderBy("code").all(decoding: Row.self)
        return rows.map { AssessmentUnit(code: $0.code, name: $0.name, target: 0, establishedOn: $0.founded_on.flatMap(CalendarDay.init(iso:))) }
    }

    /// Share of the report periods due by the end of `asOf` that each unit reported on time
    /// (the first submission decides); nil where none was due.
    static func reportsOnTime(_ campaign: Campaign, units: [CampaignArea], asOf: CalendarDay, on db: any Database) async throws -> [String: Double] {
        let schedule = try await ReportStore.schedule(campaign, on: db)
        let endOfDay = schedule.period(.daily, containing: asOf).closesAt
        let due = ReportingFrequency.allCases.flatMap { schedule.periods($0, from: campaign.start, through: asOf) }.filter { $0.dueAt <= endOfDay }
        guard !due.isEmpty else { return [:] }
        var onTime: [String: Int] = [:]
        for period in due {
            for (code, status) in try await ReportStore.statuses(campaign.id, periodKey: period.key, codes: units.map(\.code), on: db) {
                if case .onTime = status { onTime[code, default: 0] += 1 }
            }
        }
        return Dictionary(uniqueKeysWithValues: units.map { ($0.code, percent(onTime[$0.code] ?? 0, of: due.count)) })
    }

    /// Of the organizations founded by `asOf` (by their founding date, not found refuted by then): the share whose
    /// review state at the end of that day (their latest review event by then; none means 待县核实) was 县已核实 or
    /// 市已确认; nil with none founded. Reviews after the day do not change the figure.
    static func verificationPass(_ area: CampaignArea, asOf: CalendarDay, on db: any Database) async throws -> Double? {
        let day = asOf.description
        let confirmed = ReviewState.allCases.filter(\.isConfirmed).map(\.rawValue)
        let stateThen = SQLQueryString("""
            (SELECT e.to_state FROM organization_review_events e WHERE e.organization_code = o.code AND e.recorded_at < \(bind: asOf.endInShanghai)
            ORDER BY e.recorded_at DESC, e.id DESC LIMIT 1)
            """)
        let row = try await db.sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "founded")
            .column(SQLFunction("SUM", args: SQLQueryString("CASE WHEN \(stateThen) IN (\(SQLList(confirmed.map { SQLBind($0) }))) THEN 1 ELSE 0 END")),
                    as: "confirmed")
            .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")))
            .whereInside(.within(area.path), SQLColumn("division_path", table: "o"))
            .where(SQLColumn("stage", table: "o"), .equal, SQLBind(Stage.founded.rawValue))
            .where { $0.where(SQLColumn("founded_on", table: "o"), .is, SQLLiteral.null)
                .orWhere(SQLColumn("founded_on", table: "o"), .lessThanOrEqual, SQLBind(day)) }
            .where { $0.where(SQLColumn("refuted_on", table: "o"), .is, SQLLiteral.null)
                .orWhere(SQLColumn("refuted_on", table: "o"), .greaterThan, SQLBind(day)) }
            .first()
        guard let row else { return nil }
        let founded = try row.decode(column: "founded", as: Int.self)
        guard founded > 0 else { return nil }
        return percent(try row.decode(column: "confirmed", as: Int?.self) ?? 0, of: founded)
    }

    /// Of the unit's organizations sampled in the campaign's spot checks drawn as of `asOf` or earlier and given
    /// a finding other than 无法核实: the share found to exist (属实 or 信息有误); nil with none.
    static func spotCheckReal(_ campaign: Campaign, _ area: CampaignArea, asOf: CalendarDay, on db: any Database) async throws -> Double? {
        let rows = try await db.sql.select().column(SQLColumn("outcome", table: "s")).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("spot_check_samples"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier("spot_checks"), as: SQLIdentifier("c")), on: SQLColumn("id", table: "c"), .equal, SQLColumn("spot_check_id", table: "s"))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), on: SQLColumn("code", table: "o"), .equal, SQLColumn("organization_code", table: "s"))
            .where(SQLColumn("campaign_id", table: "c"), .equal, SQLBind(campaign.id))
            .where(SQLColumn("as_of", table: "c"), .lessThanOrEqual, SQLBind(asOf.description))
            .where(SQLColumn("outcome", table: "s"), .isNot, SQLLiteral.null)
            .whereInside(.within(area.path), SQLColumn("division_path", table: "o"))
            .groupBy(SQLColumn("outcome", table: "s")).all()
        var checked = 0, real = 0
        for row in rows {
            guard let outcome = SpotCheckOutcome(rawValue: try row.decode(column: "outcome", as: String.self)), outcome.isChecked else { continue }
            let n = try row.decode(column: "n", as: Int.self)
            checked += n
            if outcome.isReal { real += n }
        }
        return checked == 0 ? nil : percent(real, of: checked)
    }

    /// Each unit's townships: itself when it is one, else the townships below it.
    static func townships(of areas: [CampaignArea], within scope: CampaignArea, on db: any Database) async throws -> [String: [String]] {
        struct Row: Decodable { var code: String; var path: String }
        let rows = try await db.sql.select().columns("code", "path").from("divisions").where("level", .equal, DivisionLevel.township.rawValue)
            .whereInside(.within(scope.path), SQLColumn("path")).orderBy("path").all(decoding: Row.self)
        var result: [String: [String]] = [:]
        for area in areas {
            result[area.code] = area.level == .township ? [area.code] : rows.filter { DivisionPath(area.path).contains($0.path) }.map(\.code)
        }
        return result
    }

    /// "township|2012-11" for every month in which a township inside `scope` held a conference meeting between the two days.
    static func meetingMonths(within scope: CampaignArea, from start: CalendarDay, through end: CalendarDay, on db: any Database) async throws -> Set<String> {
        struct Row: Decodable { var townshipCode: String; var heldOn: String }
        let rows = try await db.sql.select().column(SQLColumn("township_code", table: "m")).column(SQLColumn("held_on", table: "m"))
            .from(SQLAlias(SQLIdentifier("conference_meetings"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier("divisions"), as: SQLIdentifier("d")), on: SQLColumn("code", table: "d"), .equal, SQLColumn("township_code", table: "m"))
            .whereInside(.within(scope.path), SQLColumn("path", table: "d"))
            .where(SQLColumn("held_on", table: "m"), .greaterThanOrEqual, SQLBind(start.description))
            .where(SQLColumn("held_on", table: "m"), .lessThanOrEqual, SQLBind(end.description))
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return Set(rows.map { "\($0.townshipCode)|\($0.heldOn.prefix(7))" })
    }

    /// The campaign's supervision items inside `scope` due by `asOf` (deadline on or before it), not returned:
    /// each one's division path and whether it was closed on or before its deadline (Asia/Shanghai).
    static func supervisionItemsDue(_ campaign: Campaign, within scope: CampaignArea, asOf: CalendarDay,
                                    on db: any Database) async throws -> [(path: String, closedOnTime: Bool)] {
        let select = db.sql.select().columns("division_path", "deadline", "state", "closed_at").from("supervision_items")
            .where("campaign_id", .equal, SQLBind(campaign.id)).where("deadline", .lessThanOrEqual, asOf.description)
            .where("state", .notEqual, SupervisionState.returned.rawValue)
        select.whereInside(.within(scope.path), SQLColumn("division_path"))
        return try await ResultRows.all(select.query, on: db) { row in
            let deadline = CalendarDay(iso: try row.string("deadline"))
            let closedOn = try row.optionalString("state") == SupervisionState.closed.rawValue
                ? (try? row.date("closed_at")).map { CalendarDay.shanghaiDay(secondsSince1970: $0.timeIntervalSince1970) } : nil
            return (try row.string("division_path"), closedOn.map { day in deadline.map { day <= $0 } ?? false } ?? false)
        }
    }

    /// The codes of the townships inside `scope` that held a brand activity between the two days.
    static func townshipsWithActivities(within scope: CampaignArea, from start: CalendarDay, through end: CalendarDay,
                                        on db: any Database) async throws -> Set<String> {
        struct Row: Decodable { var townshipCode: String }
        let rows = try await db.sql.select().distinct().column(SQLColumn("township_code", table: "a"))
            .from(SQLAlias(SQLIdentifier("activities"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("divisions"), as: SQLIdentifier("d")), on: SQLColumn("code", table: "d"), .equal, SQLColumn("township_code", table: "a"))
            .whereInside(.within(scope.path), SQLColumn("path", table: "d"))
            .where(SQLColumn("held_on", table: "a"), .greaterThanOrEqual, SQLBind(start.description))
            .where(SQLColumn("held_on", table: "a"), .lessThanOrEqual, SQLBind(end.description))
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return Set(rows.map(\.townshipCode))
    }

    /// The codes of the campaign's demonstration townships inside `scope` approved by the city and accepted on or before `asOf`.
    static func acceptedDemonstrations(_ campaign: Campaign, within scope: CampaignArea, asOf: CalendarDay,
                                       on db: any Database) async throws -> Set<String> {
        let select = db.sql.select().column("township_code").from("demonstration_townships")
            .where("campaign_id", .equal, SQLBind(campaign.id)).where("status", .equal, SQLBind(DemonstrationStatus.approved.rawValue))
            .where("accepted_on", .lessThanOrEqual, SQLBind(asOf.description))
        select.whereInside(.within(scope.path), SQLColumn("township_path"))
        return Set(try await select.all(decodingColumn: "township_code", as: String.self))
    }

    /// "2012-10", "2012-11", … from the month of `start` through the month of `end`; empty when `end` is before `start`.
    static func monthKeys(from start: CalendarDay, through end: CalendarDay) -> [String] {
        guard start <= end else { return [] }
        var keys: [String] = []
        var year = start.year, month = start.month
        while (year, month) <= (end.year, end.month) {
            keys.append(String(format: "%04d-%02d", year, month))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return keys
    }

    /// A management zone counts as established on the first day a township moved into it; other divisions long before.
    static func establishedOn(_ areas: [CampaignArea], on db: any Database) async throws -> [String: CalendarDay] {
        guard !areas.isEmpty else { return [:] }
        let rows = try await db.sql.select().column("to_parent_code").column(SQLFunction("MIN", args: SQLColumn("effective_date")), as: "first")
            .from("division_moves").where("to_parent_code", .in, areas.map(\.code)).groupBy("to_parent_code").all()
        var result: [String: CalendarDay] = [:]
        for row in rows {
            if let day = CalendarDay(iso: try row.decode(column: "first", as: String.self)) {
                result[try row.decode(column: "to_parent_code", as: String.self)] = day
            }
        }
        return result
    }

    /// A share in percent to a tenth, rounded down as every page shows it (in whole numbers: 29 of 100 is 29.0, not 28.9).
    static func percent(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 0 : Double(part * 1000 / whole) / 10
    }
}
