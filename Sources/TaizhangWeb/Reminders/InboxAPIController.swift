import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/inbox`: the caller's reminders and marking them read, as the 收件箱 page does.
enum InboxAPIController {
    struct ReminderJSON: Content {
        var id: Int
        var kind: String
        var kindLabel: String
        var subject: String
        var body: String
        var divisionCode: String
        var campaignId: Int?
        var periodKey: String?
        var supervisionItemId: Int?
        var href: String?
        var createdAt: Date
        var readAt: Date?
        var mail: MailJSON
    }

    struct MailJSON: Content {
        var state: String
        var address: String?
        var attempts: Int
        var lastError: String?
        var nextAttemptAt: Date?
        var sentAt: Date?
    }

    struct InboxJSON: Content {
        var unread: Int
        var reminders: [ReminderJSON]
    }

    static func list(_ req: Request) async throws -> InboxJSON {
        let user = try req.requireUser()
        let unreadOnly = try req.query[String.self, at: "unread"].map { text -> Bool in
            guard ["0", "1", "true", "false"].contains(text) else { throw Refusal("unread：应为 1 或 0（现为「\(text)」）", field: "unread") }
            return text == "1" || text == "true"
        } ?? false
        let reminders = try await ReminderStore.inbox(user.id, unreadOnly: unreadOnly, on: req.db)
        return InboxJSON(unread: try await ReminderStore.unreadCount(user.id, on: req.db), reminders: reminders.map(json))
    }

    static func json(_ reminder: Reminder) -> ReminderJSON {
        ReminderJSON(id: reminder.id, kind: reminder.kind.rawValue, kindLabel: reminder.kind.label, subject: reminder.subject, body: reminder.body,
                     divisionCode: reminder.divisionCode, campaignId: reminder.campaignID, periodKey: reminder.periodKey,
                     supervisionItemId: reminder.supervisionItemID, href: InboxController.aboutLink(reminder)?.href,
                     createdAt: reminder.createdAt, readAt: reminder.readAt,
                     mail: MailJSON(state: reminder.mail.delivery.rawValue, address: reminder.mail.address, attempts: reminder.mail.attempts,
                                    lastError: reminder.mail.lastError, nextAttemptAt: reminder.mail.nextAttemptAt, sentAt: reminder.mail.sentAt))
    }

    struct ReadBody: Content {
        /// The reminders to mark read; absent or null marks every unread one.
        var ids: [Int]?
    }

    struct ReadJSON: Content {
        var marked: Int
        var unread: Int
    }

    static func markRead(_ req: Request) async throws -> ReadJSON {
        let user = try req.requireUser()
        let body = try req.content.decode(ReadBody.self)
        let marked = try await ReminderStore.markRead(body.ids, of: user.id, by: req.actor, on: req.db)
        return ReadJSON(marked: marked, unread: try await ReminderStore.unreadCount(user.id, on: req.db))
    }
}
