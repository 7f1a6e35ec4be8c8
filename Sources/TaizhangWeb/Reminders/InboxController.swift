import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 收件箱 (`/inbox`): the signed-in user's reminders (催报 / 催办), newest first, marking them read,
/// and the address their e-mail copies go to.
enum InboxController {
    static func show(_ req: Request) async throws -> Response {
        try await render(req, error: nil, notice: req.query[String.self, at: "notice"].flatMap(Notice.init(rawValue:))?.text, status: .ok)
    }

    struct ReadForm: Content {
        var ids: [Int]?
        var all: String?
    }

    static func markRead(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        do {
            let form = try req.content.decode(ReadForm.self)
            let ids: [Int]? = form.all == "1" ? nil : (form.ids ?? [])
            try await ReminderStore.markRead(ids, of: user.id, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.inbox.path + "?notice=" + Notice.read.rawValue, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, notice: nil, status: ErrorPresentation(error).status)
        }
    }

    struct MailAddressForm: Content {
        var address: String?
    }

    static func setMailAddress(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        do {
            let form = try req.content.decode(MailAddressForm.self)
            try await ReminderStore.setMailAddress(form.address ?? "", for: user.id, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.inbox.path + "?notice=" + Notice.address.rawValue, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await render(req, error: error.message, notice: nil, status: ErrorPresentation(error).status)
        }
    }

    enum Notice: String {
        case read, address

        var text: String {
            switch self {
            case .read: "已标为已读。"
            case .address: "邮件提醒地址已保存。"
            }
        }
    }

    static func render(_ req: Request, error: String?, notice: String?, status: HTTPStatus) async throws -> Response {
        let user = try req.requireUser()
        let reminders = try await ReminderStore.inbox(user.id, on: req.db)
        let address = try await ReminderStore.mailAddresses([user.id], on: req.db)[user.id] ?? ""
        let unread = try await ReminderStore.unreadCount(user.id, on: req.db)
        var layout = LayoutContext(title: "收件箱", area: nil, request: req)
        layout.unreadReminders = unread
        let model = PageModel(
            layout: layout, reminders: reminders.map(row), unread: unread, total: reminders.count,
            readAction: SiteURL.inboxRead.path, mailAddressAction: SiteURL.inboxMailAddress.path, mailAddress: address,
            mailConfigured: req.application.reminderMailSender != nil, apiHref: APIURL.inbox.path,
            outboxHref: try req.scope(for: .manageCampaigns).isEmpty ? nil : SiteURL.outbox.path, error: error, notice: notice)
        return try await req.view.render("inbox", model).encodeResponse(status: status, for: req)
    }
}
