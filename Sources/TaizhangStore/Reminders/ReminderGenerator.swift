import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Finds who is to be reminded at an instant and queues it: 催报 to the reporters (and the lead
/// liaison) of each township that has not reported for a period due today, once the reminder time
/// has come; 催办 to the responsible user of each open supervision item due tomorrow or overdue,
/// once per item and kind. Running it again queues nothing new (dedupe keys).
public enum ReminderGenerator {
    public struct Outcome: Sendable, Equatable {
        public var reportReminders = 0
        public var supervisionReminders = 0
    }

    public static func run(now: Date, timing: ReminderTiming, mailEnabled: Bool, on db: any Database) async throws -> Outcome {
        var outcome = Outcome()
        let reports = try await reportReminders(now: now, timing: timing, on: db)
        outcome.reportReminders = try await ReminderStore.queue(reports, mailEnabled: mailEnabled, now: now, by: .system, on: db)
        let items = try await supervisionReminders(now: now, on: db)
        outcome.supervisionReminders = try await ReminderStore.queue(items, mailEnabled: mailEnabled, now: now, by: .system, on: db)
        return outcome
    }

    // MARK: - 催报

    /// The 催报 reminders due at `now`, queued or not.
    public static func reportReminders(now: Date, timing: ReminderTiming, on db: any Database) async throws -> [NewReminder] {
        let today = ReminderTiming.day(of: now)
        var result: [NewReminder] = []
        for campaign in try await CampaignStore.list(overlapping: .everywhere, on: db) {
            let schedule = try await ReportStore.schedule(campaign, on: db)
            let periods = timing.reportPeriodsToChase(schedule, campaignStart: campaign.start, campaignDeadline: campaign.deadline, now: now)
            guard !periods.isEmpty, let region = try await CampaignStore.area(campaign.regionCode, on: db) else { continue }
            let townships = try await CampaignStore.divisions(at: .township, in: region, on: db)
            let targets = try await CampaignStore.targets(campaign.id, codes: townships.map(\.code), on: db)
            let asked = townships.filter { (targets[$0.code] ?? 0) > 0 }
            for period in periods {
                let statuses = try await ReportStore.statuses(campaign.id, periodKey: period.key, codes: asked.map(\.code), on: db)
                let missing = asked.filter { statuses[$0.code] == .missing }
                guard !missing.isEmpty else { continue }
                let recipients = try await reportRecipients(of: missing.map(\.code), campaignID: campaign.id, on: today, db: db)
                for township in missing {
                    let text = ReminderText.report(township: township.name, campaign: campaign.name, period: period)
                    for userID in recipients[township.code] ?? [] {
                        result.append(NewReminder(
                            kind: .report, dedupeKey: "report:\(campaign.id):\(period.key):\(township.code):\(userID.uuidString.lowercased())",
                            recipientUserID: userID, text: text, divisionCode: township.code, divisionPath: township.path,
                            campaignID: campaign.id, periodKey: period.key))
                    }
                }
            }
        }
        return result
    }

    /// Who is reminded for each township: its active township reporters and, when it has one
    /// with an account, its lead liaison cadre for the campaign on that day.
    static func reportRecipients(of codes: [String], campaignID: Int, on day: CalendarDay, db: any Database) async throws -> [String: [UUID]] {
        struct Grant: Decodable {
            var division_code: String
            var user_id: UUID
        }
        struct Lead: Decodable {
            var township_code: String
            var user_id: String
        }
        var result: [String: [UUID]] = [:]
        var leads: [(String, UUID)] = []
        for chunk in codes.chunked(500) {
            let grants = try await db.sql.select().column(SQLColumn("division_code", table: "g")).column(SQLColumn("user_id", table: "g"))
                .from(SQLAlias(SQLIdentifier("role_grants"), as: SQLIdentifier("g")))
                .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("id", table: "u"), .equal, SQLColumn("user_id", table: "g"))
                .where(SQLColumn("role", table: "g"), .equal, SQLBind(Role.townshipReporter.rawValue))
                .where(SQLColumn("is_active", table: "u"), .equal, SQLLiteral.boolean(true))
                .where(SQLColumn("division_code", table: "g"), .in, SQLBind.group(chunk))
                .all(decoding: Grant.self)
            for grant in grants { result[grant.division_code, default: []].append(grant.user_id) }
            // The lead liaison (挂钩联系, issue 17 part 1): a cadre with an account whose lead assignment covers the day.
            let rows = try await db.sql.select().column(SQLColumn("township_code", table: "a")).column(SQLColumn("user_id", table: "c"))
                .from(SQLAlias(SQLIdentifier("liaison_assignments"), as: SQLIdentifier("a")))
                .join(SQLAlias(SQLIdentifier("liaison_cadres"), as: SQLIdentifier("c")), on: SQLColumn("id", table: "c"), .equal, SQLColumn("cadre_id", table: "a"))
                .where(SQLColumn("campaign_id", table: "a"), .equal, SQLBind(campaignID))
                .where(SQLColumn("role", table: "a"), .equal, SQLBind("lead"))
                .where(SQLColumn("starts_on", table: "a"), .lessThanOrEqual, SQLBind(day.description))
                .where { $0.where(SQLColumn("ends_on", table: "a"), .is, SQLLiteral.null).orWhere(SQLColumn("ends_on", table: "a"), .greaterThanOrEqual, SQLBind(day.description)) }
                .where(SQLColumn("user_id", table: "c"), .isNot, SQLLiteral.null)
                .where(SQLColumn("township_code", table: "a"), .in, SQLBind.group(chunk))
                .all(decoding: Lead.self)
            leads += rows.compactMap { row in UUID(uuidString: row.user_id).map { (row.township_code, $0) } }
        }
        let active = try await activeUsers(Array(Set(leads.map(\.1))), on: db)
        for (code, userID) in leads where active.contains(userID) && !(result[code] ?? []).contains(userID) {
            result[code, default: []].append(userID)
        }
        return result
    }

    static func activeUsers(_ ids: [UUID], on db: any Database) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        struct Row: Decodable { var id: UUID }
        var result: Set<UUID> = []
        for chunk in ids.chunked(500) {
            for row in try await db.sql.select().column("id").from("users").where("id", .in, chunk).where("is_active", .equal, true)
                .all(decoding: Row.self) { result.insert(row.id) }
        }
        return result
    }

    static func divisionNames(_ codes: [String], on db: any Database) async throws -> [String: String] {
        struct Row: Decodable {
            var code: String
            var name: String
        }
        var result: [String: String] = [:]
        for chunk in codes.chunked(500) {
            for row in try await db.sql.select().columns("code", "name").from(Division.schema).where("code", .in, chunk).all(decoding: Row.self) {
                result[row.code] = row.name
            }
        }
        return result
    }

    // MARK: - 催办

    /// The 催办 reminders due at `now`: each supervision item not closed whose deadline is tomorrow
    /// or past reminds its responsible user, once while it is due tomorrow and once when overdue.
    public static func supervisionReminders(now: Date, on db: any Database) async throws -> [NewReminder] {
        struct Item: Decodable {
            var id: Int
            var division_code: String
            var division_path: String
            var title: String
            var responsible_user_id: String
            var deadline: String
        }
        let today = ReminderTiming.day(of: now)
        let items = try await db.sql.select().columns("id", "division_code", "division_path", "title", "responsible_user_id", "deadline")
            .from("supervision_items")
            .where("state", .in, ["open", "in_progress", "returned"])
            .where("deadline", .lessThanOrEqual, today.adding(days: 1).description)
            .where("responsible_user_id", .isNot, SQLLiteral.null)
            .orderBy("id").all(decoding: Item.self)
        let users = try await activeUsers(items.compactMap { UUID(uuidString: $0.responsible_user_id) }, on: db)
        let names = try await divisionNames(Array(Set(items.map(\.division_code))), on: db)
        return items.compactMap { item in
            guard let userID = UUID(uuidString: item.responsible_user_id), users.contains(userID),
                  let deadline = CalendarDay(iso: item.deadline), ReminderTiming.chasesItem(deadline: deadline, now: now) else { return nil }
            let overdue = ReminderTiming.isOverdue(deadline: deadline, now: now)
            let text = ReminderText.supervision(title: item.title, division: names[item.division_code] ?? item.division_code,
                                                deadline: deadline, overdue: overdue)
            return NewReminder(kind: .supervision,
                               dedupeKey: "supervision:\(item.id):\(overdue ? "overdue" : "due_tomorrow"):\(deadline):\(userID.uuidString.lowercased())",
                               recipientUserID: userID, text: text, divisionCode: item.division_code, divisionPath: item.division_path,
                               supervisionItemID: item.id)
        }
    }
}
