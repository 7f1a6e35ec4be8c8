import Foundation
import TaizhangMail
import TaizhangTestSupport
import Testing

/// The SMTP client against a real SMTP server process (aiosmtpd): a message with a Chinese subject
/// and a body with a line starting with "." arrives as written, with AUTH when the server asks for
/// it; over STARTTLS with AUTH LOGIN and over TLS from the start (smtps); a certificate that does
/// not verify, a server that requires STARTTLS from a client not set up for it, a refusal and an
/// unreachable server throw errors that say so.
@Suite struct SMTPClientTests {
    @Test func aMessageArrivesWithItsChineseSubjectAndBodyAfterLogin() async throws {
        let server = try TestSMTPServer.start(user: "taizhang", password: "p@ss 词")
        defer { server.stop() }
        let config = try SMTPConfiguration(url: "smtp://taizhang:p%40ss%20%E8%AF%8D@127.0.0.1:\(server.port)?from=noreply@taizhang.test&name=台账系统")
        let body = "安海镇：\n\n请尽快报送。\n.以点开头的一行\n"
        try await SMTPMailSender(configuration: config).send(MailMessage(to: ["anhai@example.org"], subject: "【催报】安海镇：2012年12月3日日报尚未报送", body: body))
        let messages = try server.messages()
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.subject == "【催报】安海镇：2012年12月3日日报尚未报送")
        #expect(message.body.replacingOccurrences(of: "\r\n", with: "\n") == body)
        #expect(message.to == ["anhai@example.org"])
        #expect(message.from == "noreply@taizhang.test")
        #expect(message.auth == true)
    }

    @Test func aWrongPasswordIsRefusedAndNothingIsSent() async throws {
        let server = try TestSMTPServer.start(user: "taizhang", password: "right")
        defer { server.stop() }
        let config = try SMTPConfiguration(url: "smtp://taizhang:wrong@127.0.0.1:\(server.port)?from=noreply@taizhang.test")
        var short = config
        short.timeout = 3
        // aiosmtpd drops the connection after a failed login (or answers 535): either way the send fails.
        await #expect(throws: MailError.self) {
            try await SMTPMailSender(configuration: short).send(MailMessage(to: ["a@example.org"], subject: "x", body: "y"))
        }
        #expect(try server.messages().isEmpty)
    }

    @Test func aRefusedRecipientAndAClosedPortThrowSayingWhy() async throws {
        let server = try TestSMTPServer.start(refuse: 550)
        defer { server.stop() }
        let refused = await #expect(throws: MailError.self) {
            try await SMTPMailSender(configuration: SMTPConfiguration(host: "127.0.0.1", port: server.port, from: "noreply@taizhang.test"))
                .send(MailMessage(to: ["gone@example.org"], subject: "x", body: "y"))
        }
        #expect(refused?.code == 550)
        #expect(refused?.description.contains("RCPT TO <gone@example.org>") == true)
        #expect(try server.messages().isEmpty)

        let port = TestSMTPServer.closedPort()
        let unreachable = await #expect(throws: MailError.self) {
            try await SMTPMailSender(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, from: "noreply@taizhang.test"))
                .send(MailMessage(to: ["a@example.org"], subject: "x", body: "y"))
        }
        #expect(unreachable?.description.contains("无法连接 SMTP 服务器 127.0.0.1:\(port)") == true)
    }

    @Test func starttlsThenAuthLoginCarriesTheMessageOverTLS() async throws {
        let server = try TestSMTPServer.start(user: "taizhang", password: "p@ss 词", loginOnly: true, security: .requireStartTLS)
        defer { server.stop() }
        // The test server's certificate is its own (self-signed), so verify=0.
        let config = try SMTPConfiguration(url: "smtp://taizhang:p%40ss%20%E8%AF%8D@127.0.0.1:\(server.port)?from=noreply@taizhang.test&starttls=1&verify=0")
        #expect(config.security == .startTLS && !config.verifyCertificate)
        try await SMTPMailSender(configuration: config).send(MailMessage(to: ["anhai@example.org"], subject: "【催办】加密通道", body: "经 STARTTLS 和 AUTH LOGIN 送达。\n"))
        let message = try #require(try server.messages().first)
        #expect(message.subject == "【催办】加密通道")
        #expect(message.tls == true && message.auth == true)
    }

    @Test func smtpsSpeaksTLSFromTheFirstByte() async throws {
        let server = try TestSMTPServer.start(security: .implicitTLS)
        defer { server.stop() }
        let config = try SMTPConfiguration(url: "smtps://127.0.0.1:\(server.port)?from=noreply@taizhang.test&verify=0")
        try await SMTPMailSender(configuration: config).send(MailMessage(to: ["a@example.org"], subject: "smtps", body: "TLS 直连。\n"))
        let messages = try server.messages()
        #expect(messages.count == 1 && messages.first?.tls == true)
    }

    @Test func anUnverifiedCertificateOrAMissingStartTLSSendsNothing() async throws {
        let server = try TestSMTPServer.start(security: .requireStartTLS)
        defer { server.stop() }
        var verifying = try SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)?from=noreply@taizhang.test&starttls=1")
        verifying.timeout = 5
        // A self-signed certificate is refused while verification is on (the default).
        let unverified = await #expect(throws: MailError.self) {
            try await SMTPMailSender(configuration: verifying).send(MailMessage(to: ["a@example.org"], subject: "x", body: "y"))
        }
        #expect(unverified?.description.contains("TLS 加密连接失败") == true, "\(String(describing: unverified))")
        // A client that does not ask for STARTTLS is told by the server that it must (530).
        let plain = await #expect(throws: MailError.self) {
            try await SMTPMailSender(configuration: SMTPConfiguration(host: "127.0.0.1", port: server.port, from: "noreply@taizhang.test", timeout: 5))
                .send(MailMessage(to: ["a@example.org"], subject: "x", body: "y"))
        }
        #expect(plain?.code == 530, "\(String(describing: plain))")
        #expect(try server.messages().isEmpty)
    }
}
