import FluentKit
import Foundation
import TaizhangCore
import TaizhangMail
import TaizhangStore
import Vapor

/// One pass of the reminder job: queue the reminders due now, then mail what is waiting. The
/// scheduler runs it under the job's lease; `taizhang remind --now` runs it by hand. Either way a
/// reminder is queued once (dedupe keys) and each mail is claimed by one sender before it is sent.
enum ReminderPass {
    static let job = "reminders"

    struct Outcome: Sendable, Equatable {
        var ran = true
        var queuedReports = 0
        var queuedSupervision = 0
        var mailed = 0
        var failed = 0
        var failures: [String] = []

        var summary: String {
            guard ran else { return "另一个实例持有定时任务，本实例未运行" }
            return "新提醒：催报 \(queuedReports) 条，催办 \(queuedSupervision) 条；邮件：发出 \(mailed) 封，失败 \(failed) 封（留在待发送中稍后重试）"
        }
    }

    /// Runs a pass at `now` (the campaign's clock, which a demo may fix to a past day); mail is
    /// claimed and retried by `mailNow` (the real clock). With a `lease` holder, only when this
    /// holder has or takes the job's lease (for twice the interval, so a live holder keeps it and a
    /// dead one loses it).
    static func run(_ app: Application, now: Date = ReportingClock.now(), mailNow: @Sendable () -> Date = { Date() },
                    lease: (holder: String, duration: TimeInterval)?) async throws -> Outcome {
        let holder = lease?.holder ?? "命令行-\(ProcessInfo.processInfo.processIdentifier)"
        if let lease {
            guard try await JobLease.take(job, holder: lease.holder, for: lease.duration, now: mailNow(), on: app.db) else {
                return Outcome(ran: false)
            }
        }
        let settings = app.settings.reminders
        let sender = app.reminderMailSender
        let generated = try await ReminderGenerator.run(now: now, timing: settings.timing, mailEnabled: sender != nil, on: app.db)
        var outcome = Outcome(queuedReports: generated.reportReminders, queuedSupervision: generated.supervisionReminders)
        if let sender { try await deliver(app, sender: sender, holder: holder, now: mailNow, outcome: &outcome) }
        return outcome
    }

    /// Sends the mails that are due, a batch at a time; a failure is recorded on its reminder
    /// (error, next try) and the others go on.
    static func deliver(_ app: Application, sender: any MailSender, holder: String, now: @Sendable () -> Date,
                        outcome: inout Outcome) async throws {
        for _ in 0..<20 {
            let batch = try await ReminderMailQueue.claim(holder: holder, limit: 50, now: now(), on: app.db)
            guard !batch.isEmpty else { return }
            for reminder in batch {
                try await send(reminder, sender: sender, holder: holder, now: now, outcome: &outcome, db: app.db)
            }
        }
    }

    /// Sends one claimed mail and records it sent, or failed with its error and next try.
    static func send(_ reminder: Reminder, sender: any MailSender, holder: String, now: @Sendable () -> Date,
                     outcome: inout Outcome, db: any Database) async throws {
        guard let address = reminder.mail.address else { return }
        do {
            try await sender.send(MailMessage(to: [address], subject: reminder.subject, body: reminder.body))
            try await ReminderMailQueue.recordSent(reminder, holder: holder, now: now(), on: db)
            outcome.mailed += 1
        } catch {
            let message = (error as? MailError)?.description ?? String(describing: error)
            try await ReminderMailQueue.recordFailure(reminder, error: message, holder: holder, now: now(), on: db)
            outcome.failed += 1
            outcome.failures.append(message)
        }
    }
}

extension Application {
    private struct MailSenderKey: StorageKey {
        typealias Value = any MailSender
    }

    /// What sends reminder mail: the SMTP client for `TAIZHANG_SMTP_URL`, or nil when none is set
    /// (reminders then stay in the in-app inbox only). Tests may put another sender here.
    var reminderMailSender: (any MailSender)? {
        get { storage[MailSenderKey.self] ?? settings.reminders.smtp.map { SMTPMailSender(configuration: $0) } }
        set { storage[MailSenderKey.self] = newValue }
    }
}

/// What the command line may do with reminders.
public enum ReminderJob {
    /// `taizhang remind --now`: one pass by hand, without the scheduler's lease (queueing is
    /// deduplicated and each mail claimed, so running it beside a server sends nothing twice).
    public static func runNow(_ app: Application) async throws -> String {
        let outcome = try await ReminderPass.run(app, lease: nil)
        let mail = app.reminderMailSender == nil ? "（未设置 TAIZHANG_SMTP_URL：只发站内提醒）" : ""
        return outcome.summary + mail + outcome.failures.prefix(3).map { "\n  失败原因：" + $0 }.joined()
    }
}
