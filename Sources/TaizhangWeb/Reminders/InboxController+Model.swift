import Foundation
import TaizhangCore
import TaizhangStore

/// What the 收件箱 page shows: each reminder with a link to what it is about and where its e-mail
/// copy stands — sent, waiting, or failed and waiting for its next try (nothing is lost).
extension InboxController {
    struct PageModel: Encodable {
        var layout: LayoutContext
        var reminders: [Row]
        var unread: Int
        var total: Int
        var readAction: String
        var mailAddressAction: String
        var mailAddress: String
        var mailConfigured: Bool
        var apiHref: String
        /// The outbox, for system and city administrators.
        var outboxHref: String?
        var error: String?
        var notice: String?
    }

    struct Row: Encodable {
        var id: Int
        var kind: String
        var subject: String
        var body: String
        var created: String
        var isUnread: Bool
        var aboutHref: String?
        var aboutLabel: String
        var mail: String?
        var mailFailed: Bool
    }

    static func row(_ reminder: Reminder) -> Row {
        let about = aboutLink(reminder)
        return Row(id: reminder.id, kind: reminder.kind.label, subject: reminder.subject, body: reminder.body,
                   created: DisplayFormat.dateTime(reminder.createdAt), isUnread: reminder.readAt == nil,
                   aboutHref: about?.href, aboutLabel: about?.label ?? "", mail: mailText(reminder.mail),
                   mailFailed: reminder.mail.delivery == .pending && reminder.mail.lastError != nil)
    }

    /// The page a reminder is about: the township's report for the period, or the supervision item.
    static func aboutLink(_ reminder: Reminder) -> (href: String, label: String)? {
        switch reminder.kind {
        case .report:
            guard let campaignID = reminder.campaignID else { return nil }
            let query = [reminder.periodKey.map { "period=" + $0 }, "area=" + reminder.divisionCode].compactMap { $0 }.joined(separator: "&")
            return (SiteURL.campaignReports(.value(campaignID)).path + "?" + query, "去报送")
        case .supervision:
            guard let id = reminder.supervisionItemID else { return nil }
            return (SiteURL.supervisionItem(.value(id)).path, "查看督办事项")
        }
    }

    /// The e-mail copy's state in words; nil when the reminder has none.
    static func mailText(_ mail: Reminder.MailState) -> String? {
        let address = mail.address ?? ""
        switch mail.delivery {
        case .none:
            return nil
        case .sent:
            return "邮件已发送至 \(address)" + (mail.sentAt.map { "（\(DisplayFormat.dateTime($0))）" } ?? "")
        case .pending:
            guard let error = mail.lastError else { return "邮件待发送至 \(address)" }
            let next = mail.nextAttemptAt.map { "，将于 \(DisplayFormat.dateTime($0)) 重试" } ?? ""
            return "邮件发送失败 \(mail.attempts) 次（\(error)）\(next)；提醒仍在待发送队列中，不会丢失"
        }
    }
}
