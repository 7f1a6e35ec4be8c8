/// What a reminder chases: a missing report (催报) or a supervision item falling due (催办).
public enum ReminderKind: String, CaseIterable, Codable, Sendable {
    case report
    case supervision

    public var label: String {
        switch self {
        case .report: "催报"
        case .supervision: "催办"
        }
    }
}

/// Where a reminder's e-mail copy stands. The in-app inbox always has the reminder; e-mail is a
/// second channel, used when the server has an SMTP server and the recipient an address.
public enum MailDelivery: String, Codable, Sendable {
    /// No e-mail for this reminder (no SMTP server configured, or no address for the recipient).
    case none
    /// Waiting to be sent, or to be tried again after a failure.
    case pending
    case sent

    public var label: String {
        switch self {
        case .none: "不发邮件"
        case .pending: "待发送"
        case .sent: "已发送"
        }
    }
}
