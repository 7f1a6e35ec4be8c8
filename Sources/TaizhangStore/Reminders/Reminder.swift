import Foundation
import TaizhangCore

/// One reminder to one user, as the inbox and the mail sender see it.
public struct Reminder: Sendable, Equatable, Codable {
    public var id: Int
    public var kind: ReminderKind
    public var recipientUserID: UUID
    public var subject: String
    public var body: String
    public var divisionCode: String
    public var divisionPath: String
    public var campaignID: Int?
    public var periodKey: String?
    public var supervisionItemID: Int?
    public var createdAt: Date
    public var readAt: Date?
    public var mail: MailState

    /// Where the reminder's e-mail copy stands.
    public struct MailState: Sendable, Equatable, Codable {
        public var delivery: MailDelivery
        public var address: String?
        public var attempts: Int
        public var lastError: String?
        public var nextAttemptAt: Date?
        public var sentAt: Date?
    }
}

/// A reminder to queue; `dedupeKey` names it so the same reminder is never queued twice.
public struct NewReminder: Sendable, Equatable {
    public var kind: ReminderKind
    public var dedupeKey: String
    public var recipientUserID: UUID
    public var text: ReminderText
    public var divisionCode: String
    public var divisionPath: String
    public var campaignID: Int?
    public var periodKey: String?
    public var supervisionItemID: Int?

    public init(kind: ReminderKind, dedupeKey: String, recipientUserID: UUID, text: ReminderText, divisionCode: String, divisionPath: String,
                campaignID: Int? = nil, periodKey: String? = nil, supervisionItemID: Int? = nil) {
        self.kind = kind
        self.dedupeKey = dedupeKey
        self.recipientUserID = recipientUserID
        self.text = text
        self.divisionCode = divisionCode
        self.divisionPath = divisionPath
        self.campaignID = campaignID
        self.periodKey = periodKey
        self.supervisionItemID = supervisionItemID
    }
}

struct ReminderRow: Decodable {
    var id: Int
    var kind: String
    var recipientUserId: UUID
    var subject: String
    var body: String
    var divisionCode: String
    var divisionPath: String
    var campaignId: Int?
    var periodKey: String?
    var supervisionItemId: Int?
    var createdAt: Date
    var readAt: Date?
    var mailState: String
    var mailAddress: String?
    var mailAttempts: Int
    var mailLastError: String?
    var mailNextAttemptAt: Date?
    var mailSentAt: Date?

    static let columns = ["id", "kind", "recipient_user_id", "subject", "body", "division_code", "division_path", "campaign_id", "period_key",
                          "supervision_item_id", "created_at", "read_at", "mail_state", "mail_address", "mail_attempts", "mail_last_error",
                          "mail_next_attempt_at", "mail_sent_at"]

    var reminder: Reminder {
        Reminder(id: id, kind: ReminderKind(rawValue: kind) ?? .report, recipientUserID: recipientUserId, subject: subject, body: body,
                 divisionCode: divisionCode, divisionPath: divisionPath, campaignID: campaignId, periodKey: periodKey,
                 supervisionItemID: supervisionItemId, createdAt: createdAt, readAt: readAt,
                 mail: .init(delivery: MailDelivery(rawValue: mailState) ?? .none, address: mailAddress, attempts: mailAttempts,
                             lastError: mailLastError, nextAttemptAt: mailNextAttemptAt, sentAt: mailSentAt))
    }
}
