import FluentKit
import Foundation
import TaizhangCore
import TaizhangMail
import TaizhangStore
import Vapor

/// 发件箱 (`/inbox/outbox`), for system and city administrators: the reminder mails of their
/// subtree queued, failed (with the last error and the next try) and sent, and "retry now" for a
/// waiting one — made due at once and, when a mail server is configured, sent there and then.
enum OutboxController {
    struct Row: Encodable {
        var id: Int
        var kind: String
        var subject: String
        var recipient: String
        var address: String
        var created: String
        var attempts: Int
        var lastError: String?
        var nextAttempt: String
        var sent: String
        var retryAction: String
    }

    struct Shelf: Encodable {
        var key: String
        var anchor: String
        var label: String
        var count: Int
        var rows: [Row]
        var hasRows: Bool
        var canRetry: Bool
        var shown: String
    }

    struct PageModel: Encodable {
        var layout: LayoutContext
        var shelves: [Shelf]
        var mailConfigured: Bool
        var inboxHref: String
        var error: String?
        var notice: String?
    }

    static let shown = 200

    static func show(_ req: Request) async throws -> Response {
        try await render(req, error: nil, notice: Notice(rawValue: req.queryText("notice") ?? "")?.text, status: .ok)
    }

    enum Notice: String {
        case sent, failed, due

        var text: String {
            switch self {
            case .sent: "已重新发送，邮件已发出。"
            case .failed: "已立即重试，但邮件服务器仍未接收；错误和下次重试时间见下表，提醒仍在队列中。"
            case .due: "已安排立即重试：下一轮定时发送时发出。"
            }
        }
    }

    static func retry(_ req: Request) async throws -> Response {
        let text = try req.parameters.require("reminderID")
        do {
            guard let id = Int(text) else { throw Refusal.notFound("找不到编号为 \(text) 的提醒") }
            let now = Date()
            try await ReminderOutbox.retryNow(id, in: try req.scope(for: .manageCampaigns), now: now, by: req.actor, on: req.db)
            var notice = Notice.due
            if let sender = req.application.reminderMailSender {
                let holder = "立即重试-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
                if let reminder = try await ReminderOutbox.claim(id, holder: holder, now: now, on: req.db) {
                    var outcome = ReminderPass.Outcome()
                    try await ReminderPass.send(reminder, sender: sender, holder: holder, now: { Date() }, outcome: &outcome, db: req.db)
                    notice = outcome.mailed > 0 ? .sent : .failed
                }
            }
            return req.redirect(to: SiteURL.outbox.path + "?notice=" + notice.rawValue + "#reminder-\(id)", redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, notice: nil, status: ErrorPresentation(error).status)
        }
    }

    static func render(_ req: Request, error: String?, notice: String?, status: HTTPStatus) async throws -> Response {
        let scope = try req.scope(for: .manageCampaigns)
        let counts = try await ReminderOutbox.counts(in: scope, on: req.db)
        var shelves: [Shelf] = []
        for shelf in ReminderOutbox.Shelf.allCases {
            let reminders = try await ReminderOutbox.list(shelf, in: scope, limit: shown, on: req.db)
            let ids = Array(Set(reminders.map(\.recipientUserID)))
            let names = ids.isEmpty ? [:] : Dictionary(try await User.query(on: req.db).filter(\.$id ~~ ids).all()
                .compactMap { user in user.id.map { ($0, "\(user.displayName)（\(user.username)）") } }, uniquingKeysWith: { a, _ in a })
            let count = switch shelf {
            case .queued: counts.queued
            case .failed: counts.failed
            case .sent: counts.sent
            }
            shelves.append(Shelf(
                key: shelf.rawValue, anchor: "#" + shelf.rawValue, label: shelf.label, count: count,
                rows: reminders.map { reminder in
                    Row(id: reminder.id, kind: reminder.kind.label, subject: reminder.subject, recipient: names[reminder.recipientUserID] ?? "",
                        address: reminder.mail.address ?? "", created: DisplayFormat.dateTime(reminder.createdAt), attempts: reminder.mail.attempts,
                        lastError: reminder.mail.lastError, nextAttempt: reminder.mail.nextAttemptAt.map { DisplayFormat.dateTime($0) } ?? "",
                        sent: reminder.mail.sentAt.map { DisplayFormat.dateTime($0) } ?? "",
                        retryAction: SiteURL.outboxRetry(.value(reminder.id)).path)
                },
                hasRows: !reminders.isEmpty, canRetry: shelf != .sent, shown: count > shown ? "（显示前 \(shown) 条）" : ""))
        }
        let model = PageModel(layout: LayoutContext(title: "发件箱", area: nil, request: req), shelves: shelves,
                              mailConfigured: req.application.reminderMailSender != nil, inboxHref: SiteURL.inbox.path,
                              error: error, notice: notice)
        return try await req.view.render("outbox", model).encodeResponse(status: status, for: req)
    }
}
