import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The outbox of reminders and each user's inbox. Queueing never writes the same reminder twice
/// (its dedupe key is unique); each write and its audit row commit together.
public enum ReminderStore {
    // MARK: - Queueing

    /// Queues reminders not queued before; returns how many were new. An e-mail copy is queued
    /// for recipients with an address when `mailEnabled`. One audit row for the batch.
    @discardableResult
    public static func queue(_ reminders: [NewReminder], mailEnabled: Bool, now: Date, by actor: Actor, on database: any Database) async throws -> Int {
        guard !reminders.isEmpty else { return 0 }
        return try await writeTransaction(on: database, raisesDataVersion: false) { db in
            let addresses = mailEnabled ? try await mailAddresses(Array(Set(reminders.map(\.recipientUserID))), on: db) : [:]
            var inserted = 0
            for chunk in reminders.chunked(100) {
                var insert = db.sql.insert(into: "reminders")
                    .columns("kind", "dedupe_key", "recipient_user_id", "subject", "body", "division_code", "division_path", "campaign_id",
                             "period_key", "supervision_item_id", "created_at", "mail_state", "mail_address", "mail_attempts",
                             "mail_next_attempt_at")
                for reminder in chunk {
                    let address = addresses[reminder.recipientUserID]
                    insert = insert.values(
                        SQLBind(reminder.kind.rawValue), SQLBind(reminder.dedupeKey), SQLBind(reminder.recipientUserID),
                        SQLBind(reminder.text.subject), SQLBind(reminder.text.body), SQLBind(reminder.divisionCode), SQLBind(reminder.divisionPath),
                        SQLBind(reminder.campaignID), SQLBind(reminder.periodKey), SQLBind(reminder.supervisionItemID), SQLBind(now),
                        SQLBind((address == nil ? MailDelivery.none : .pending).rawValue), SQLBind(address), SQLBind(0),
                        SQLBind(address == nil ? nil : now))
                }
                inserted += try await insert.ignoringConflicts(with: "dedupe_key").returning("id").all().count
            }
            if inserted > 0 {
                let kinds = Set(reminders.map(\.kind.label)).sorted().joined(separator: "、")
                try await AuditLog.record("reminder.queue", entityType: "reminder", entityID: nil, divisionPath: nil, before: nil,
                                          after: ["种类": kinds, "新提醒": String(inserted), "邮件": mailEnabled ? "发送" : "未配置"], by: actor, on: db)
            }
            return inserted
        }
    }

    // MARK: - Inbox

    /// A user's reminders, newest first.
    public static func inbox(_ userID: UUID, unreadOnly: Bool = false, limit: Int = 200, on db: any Database) async throws -> [Reminder] {
        var query = db.sql.select().columns(ReminderRow.columns.map { SQLColumn($0) }).from("reminders")
            .where("recipient_user_id", .equal, userID)
        if unreadOnly { query = query.where("read_at", .is, SQLLiteral.null) }
        return try await query.orderBy("id", .descending).limit(limit)
            .all(decoding: ReminderRow.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.reminder)
    }

    /// How many of a user's reminders are unread: one indexed count, for the header of every page.
    public static func unreadCount(_ userID: UUID, on db: any Database) async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("reminders")
            .where("recipient_user_id", .equal, userID).where("read_at", .is, SQLLiteral.null)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Marks some of a user's reminders read (all unread ones when `ids` is nil); returns how many
    /// changed. An id that is not one of the user's reminders is refused and nothing changes.
    @discardableResult
    public static func markRead(_ ids: [Int]?, of userID: UUID, now: Date = Date(), by actor: Actor, on database: any Database) async throws -> Int {
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            if let ids {
                guard !ids.isEmpty else { throw Refusal("请选择要标为已读的提醒", field: "ids") }
                let own = try await db.sql.select().column("id").from("reminders").where("recipient_user_id", .equal, userID)
                    .where("id", .in, ids).all(decoding: IDRow.self).map(\.id)
                if let stranger = ids.first(where: { !own.contains($0) }) {
                    throw Refusal("您的收件箱中没有编号为 \(stranger) 的提醒", kind: .notFound, field: "ids")
                }
            }
            var update = db.sql.update("reminders").set("read_at", to: now)
                .where("recipient_user_id", .equal, userID).where("read_at", .is, SQLLiteral.null)
            if let ids { update = update.where("id", .in, ids) }
            let changed = try await update.returning("id").all().count
            if changed > 0 {
                try await AuditLog.record("reminder.read", entityType: "reminder", entityID: ids?.count == 1 ? String(ids![0]) : nil,
                                          divisionPath: nil, before: nil, after: ["标为已读": String(changed)], by: actor, on: db)
            }
            return changed
        }
    }

    struct IDRow: Decodable { var id: Int }

    // MARK: - Mail addresses

    /// The addresses users gave for reminder mail.
    public static func mailAddresses(_ userIDs: [UUID], on db: any Database) async throws -> [UUID: String] {
        struct Row: Decodable {
            var user_id: UUID
            var address: String
        }
        var result: [UUID: String] = [:]
        for chunk in userIDs.chunked(500) {
            for row in try await db.sql.select().columns("user_id", "address").from("reminder_mail_addresses").where("user_id", .in, chunk)
                .all(decoding: Row.self) { result[row.user_id] = row.address }
        }
        return result
    }

    /// Sets (or, with an empty address, removes) where a user's reminders are mailed. The address is
    /// checked for the shape of an e-mail address; a bad one is refused.
    public static func setMailAddress(_ text: String, for userID: UUID, by actor: Actor, on database: any Database) async throws {
        let address = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !address.isEmpty { try MailAddressRule.check(address) }
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            let before = try await mailAddresses([userID], on: db)[userID]
            if address.isEmpty {
                try await db.sql.delete(from: "reminder_mail_addresses").where("user_id", .equal, userID).run()
            } else {
                try await db.sql.insert(into: "reminder_mail_addresses").columns("user_id", "address", "updated_at")
                    .values(SQLBind(userID), SQLBind(address), SQLBind(Date()))
                    .onConflict(with: ["user_id"]) { $0.set(excludedValueOf: "address").set(excludedValueOf: "updated_at") }.run()
            }
            try await AuditLog.record("reminder.mail_address", entityType: "user", entityID: userID.uuidString, divisionPath: nil,
                                      before: before.map { ["邮件提醒地址": $0] }, after: ["邮件提醒地址": address.isEmpty ? "（不发邮件）" : address],
                                      by: actor, on: db)
        }
    }
}

/// What an address for reminder mail must look like: local@domain.tld, no spaces or angle brackets
/// (it goes into SMTP commands as typed).
public enum MailAddressRule {
    public static func check(_ address: String) throws {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = address.contains { $0.isWhitespace || "<>\",;:()[]\\".contains($0) || !$0.isASCII }
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !forbidden, address.count <= 254 else {
            throw Refusal("邮件提醒地址：「\(address)」不是有效的电子邮件地址（应写作 name@example.com）", field: "address")
        }
    }
}
