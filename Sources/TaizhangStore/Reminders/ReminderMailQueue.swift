import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The e-mail side of the outbox. A sender claims due mails with one conditional UPDATE (so two
/// instances never both hold one), sends each, then records it sent or failed; a failure keeps the
/// mail queued with its error and a later try, doubling the wait each time (`MailRetry`).
public enum ReminderMailQueue {
    /// Claims up to `limit` mails due at `now` for `holder` until `now + claimFor`, oldest first.
    /// A claim that ran out (a sender that died mid-send) is taken over.
    public static func claim(holder: String, limit: Int = 50, claimFor: TimeInterval = 120, now: Date = Date(),
                             on database: any Database) async throws -> [Reminder] {
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            let due: SQLQueryString = """
                mail_state = \(bind: MailDelivery.pending.rawValue) AND mail_next_attempt_at <= \(bind: now) \
                AND (mail_claimed_until IS NULL OR mail_claimed_until < \(bind: now))
                """
            let rows = try await db.sql.raw("""
                UPDATE reminders SET mail_claimed_by = \(bind: holder), mail_claimed_until = \(bind: now.addingTimeInterval(claimFor)) \
                WHERE id IN (SELECT id FROM reminders WHERE \(due) ORDER BY id LIMIT \(unsafeRaw: String(limit))) AND \(due) \
                RETURNING \(unsafeRaw: ReminderRow.columns.joined(separator: ", "))
                """).all(decoding: ReminderRow.self, keyDecodingStrategy: .convertFromSnakeCase)
            return rows.map(\.reminder).sorted { $0.id < $1.id }
        }
    }

    /// Records a claimed mail as sent.
    public static func recordSent(_ reminder: Reminder, holder: String, now: Date = Date(), on database: any Database) async throws {
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            let rows = try await db.sql.update("reminders")
                .set("mail_state", to: MailDelivery.sent.rawValue).set("mail_sent_at", to: now)
                .set("mail_attempts", to: reminder.mail.attempts + 1).set("mail_last_error", to: SQLLiteral.null)
                .set("mail_next_attempt_at", to: SQLLiteral.null)
                .set("mail_claimed_by", to: SQLLiteral.null).set("mail_claimed_until", to: SQLLiteral.null)
                .where("id", .equal, reminder.id).where("mail_claimed_by", .equal, holder).returning("id").all()
            guard !rows.isEmpty else { return }
            try await AuditLog.record("reminder.mail_sent", entityType: "reminder", entityID: String(reminder.id), divisionPath: reminder.divisionPath,
                                      before: nil, after: ["收件地址": reminder.mail.address ?? "", "主题": reminder.subject,
                                                           "第几次发送": String(reminder.mail.attempts + 1)],
                                      by: .system, on: db)
        }
    }

    /// Records a failed try: the mail stays queued with the error and the time of the next try.
    /// Returns that time.
    @discardableResult
    public static func recordFailure(_ reminder: Reminder, error: String, holder: String, now: Date = Date(),
                                     on database: any Database) async throws -> Date {
        let attempts = reminder.mail.attempts + 1
        let next = now.addingTimeInterval(MailRetry.delay(afterAttempts: attempts))
        let message = String(error.prefix(500))
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            let rows = try await db.sql.update("reminders")
                .set("mail_attempts", to: attempts).set("mail_last_error", to: message).set("mail_next_attempt_at", to: next)
                .set("mail_claimed_by", to: SQLLiteral.null).set("mail_claimed_until", to: SQLLiteral.null)
                .where("id", .equal, reminder.id).where("mail_claimed_by", .equal, holder).returning("id").all()
            guard !rows.isEmpty else { return }
            try await AuditLog.record("reminder.mail_failed", entityType: "reminder", entityID: String(reminder.id), divisionPath: reminder.divisionPath,
                                      before: nil, after: ["收件地址": reminder.mail.address ?? "", "错误": message, "失败次数": String(attempts),
                                                           "下次重试": ISO8601DateFormatter().string(from: next)],
                                      by: .system, on: db)
        }
        return next
    }

    /// Mails still waiting (queued or retrying), for the outbox's summary.
    public static func waitingCount(on db: any Database) async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("reminders")
            .where("mail_state", .equal, MailDelivery.pending.rawValue).first(decodingColumn: "n", as: Int.self) ?? 0
    }
}

extension Actor {
    /// The server's own scheduled jobs (reminders).
    public static let system = Actor(userID: nil, name: "系统定时任务", clientAddress: nil)
}
