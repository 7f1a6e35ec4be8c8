import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The outbox as administrators see it (发件箱): the reminder mails queued, failed (with the last
/// error and the next try) and sent, inside the administrator's subtree; and "retry now", which
/// makes a waiting mail due at once and can claim that one mail for an immediate send.
public enum ReminderOutbox {
    public enum Shelf: String, CaseIterable, Sendable {
        /// Waiting for its first try.
        case queued
        /// Tried and failed at least once; waiting for its next try.
        case failed
        case sent

        public var label: String {
            switch self {
            case .queued: "排队待发"
            case .failed: "发送失败待重试"
            case .sent: "已发送"
            }
        }
    }

    public struct Counts: Sendable, Equatable {
        public var queued = 0
        public var failed = 0
        public var sent = 0
    }

    /// The mails on one shelf inside `scope`: waiting ones by next try, sent ones newest first.
    public static func list(_ shelf: Shelf, in scope: Scope, limit: Int = 200, on db: any Database) async throws -> [Reminder] {
        let select = db.sql.select().columns(ReminderRow.columns.map { SQLColumn($0) }).from("reminders")
            .whereInside(scope, SQLColumn("division_path"))
        switch shelf {
        case .queued:
            select.where("mail_state", .equal, MailDelivery.pending.rawValue).where("mail_attempts", .equal, 0)
                .orderBy("mail_next_attempt_at").orderBy("id")
        case .failed:
            select.where("mail_state", .equal, MailDelivery.pending.rawValue).where("mail_attempts", .greaterThan, 0)
                .orderBy("mail_next_attempt_at").orderBy("id")
        case .sent:
            select.where("mail_state", .equal, MailDelivery.sent.rawValue)
                .orderBy("mail_sent_at", .descending).orderBy("id", .descending)
        }
        return try await select.limit(limit).all(decoding: ReminderRow.self, keyDecodingStrategy: .convertFromSnakeCase).map(\.reminder)
    }

    /// How many mails are on each shelf inside `scope` (one GROUP BY).
    public static func counts(in scope: Scope, on db: any Database) async throws -> Counts {
        struct Row: Decodable { var mailState: String; var tried: Int; var n: Int }
        let tried = SQLRaw("CASE WHEN mail_attempts > 0 THEN 1 ELSE 0 END")
        let rows = try await db.sql.select().column("mail_state").column(tried, as: "tried")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("reminders")
            .where("mail_state", .in, SQLBind.group([MailDelivery.pending.rawValue, MailDelivery.sent.rawValue]))
            .whereInside(scope, SQLColumn("division_path"))
            .groupBy("mail_state").groupBy(tried)
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        var counts = Counts()
        for row in rows {
            switch (row.mailState, row.tried) {
            case (MailDelivery.sent.rawValue, _): counts.sent += row.n
            case (_, 0): counts.queued += row.n
            default: counts.failed += row.n
            }
        }
        return counts
    }

    /// Makes a waiting mail due at `now` (audited). A mail already sent, without e-mail, outside
    /// `scope`, or held this moment by a sender is refused and nothing changes.
    @discardableResult
    public static func retryNow(_ id: Int, in scope: Scope, now: Date = Date(), by actor: Actor, on database: any Database) async throws -> Reminder {
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            guard let reminder = try await db.sql.select().columns(ReminderRow.columns.map { SQLColumn($0) }).from("reminders")
                .where("id", .equal, id).first(decoding: ReminderRow.self, keyDecodingStrategy: .convertFromSnakeCase)?.reminder,
                scope.contains(reminder.divisionPath) else {
                throw Refusal.notFound("找不到编号为 \(id) 的提醒")
            }
            switch reminder.mail.delivery {
            case .sent: throw Refusal.conflict("第 \(id) 号提醒的邮件已于 \(reminder.mail.sentAt.map { ISO8601DateFormatter().string(from: $0) } ?? "") 发出，不再重发")
            case .none: throw Refusal.conflict("第 \(id) 号提醒不发邮件（收件人没有邮件地址，或当时未配置邮件服务器），只在收件箱中显示")
            case .pending: break
            }
            let updated = try await db.sql.update("reminders").set("mail_next_attempt_at", to: SQLBind(now))
                .where("id", .equal, id).where("mail_state", .equal, MailDelivery.pending.rawValue)
                .where(group: { $0.where("mail_claimed_until", .is, SQLLiteral.null).orWhere("mail_claimed_until", .lessThan, SQLBind(now)) })
                .returning("id").all()
            guard !updated.isEmpty else { throw Refusal.conflict("第 \(id) 号提醒的邮件正在发送，请稍后刷新查看结果") }
            try await AuditLog.record("reminder.retry_now", entityType: "reminder", entityID: String(id), divisionPath: reminder.divisionPath,
                                      before: ["下次重试": reminder.mail.nextAttemptAt.map { ISO8601DateFormatter().string(from: $0) } ?? "",
                                               "失败次数": String(reminder.mail.attempts)],
                                      after: ["下次重试": ISO8601DateFormatter().string(from: now), "收件地址": reminder.mail.address ?? ""],
                                      by: actor, on: db)
            var result = reminder
            result.mail.nextAttemptAt = now
            return result
        }
    }

    /// Claims one due mail for `holder` (as `ReminderMailQueue.claim` does for a batch), or nil
    /// when it is not due or another sender holds it.
    public static func claim(_ id: Int, holder: String, claimFor: TimeInterval = 120, now: Date = Date(),
                             on database: any Database) async throws -> Reminder? {
        try await writeTransaction(on: database, raisesDataVersion: false) { db in
            try await db.sql.update("reminders").set("mail_claimed_by", to: SQLBind(holder))
                .set("mail_claimed_until", to: SQLBind(now.addingTimeInterval(claimFor)))
                .where("id", .equal, id).where("mail_state", .equal, MailDelivery.pending.rawValue)
                .where("mail_next_attempt_at", .lessThanOrEqual, SQLBind(now))
                .where(group: { $0.where("mail_claimed_until", .is, SQLLiteral.null).orWhere("mail_claimed_until", .lessThan, SQLBind(now)) })
                .returning(ReminderRow.columns.map { SQLColumn($0) })
                .first(decoding: ReminderRow.self, keyDecodingStrategy: .convertFromSnakeCase)?.reminder
        }
    }
}
