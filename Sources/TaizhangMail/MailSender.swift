import Foundation

/// One plain-text message to send.
public struct MailMessage: Sendable, Equatable {
    public var to: [String]
    public var subject: String
    public var body: String
    public var date: Date

    public init(to: [String], subject: String, body: String, date: Date = Date()) {
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
    }
}

/// Something that sends mail: the SMTP client here, or whatever a test puts in its place. A throw
/// means the message was not accepted; its description says why, for the outbox.
public protocol MailSender: Sendable {
    func send(_ message: MailMessage) async throws
}

/// Why a mail was not sent, in words for the outbox page.
public struct MailError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The SMTP reply code, when the server answered with a refusal.
    public var code: Int?
    public var description: String

    public init(code: Int? = nil, _ description: String) {
        self.code = code
        self.description = description
    }
}
