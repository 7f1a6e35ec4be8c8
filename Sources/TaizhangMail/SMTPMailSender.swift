import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail over SMTP (RFC 5321): EHLO, STARTTLS when asked, AUTH PLAIN or LOGIN when a user is
/// given, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. One connection per message; a refusal
/// or a broken connection throws a `MailError` that names the step and the server's words.
public struct SMTPMailSender: MailSender {
    public var configuration: SMTPConfiguration
    let group: any EventLoopGroup

    public init(configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    public func send(_ message: MailMessage) async throws {
        guard !message.to.isEmpty else { throw MailError("没有收件人") }
        let session = try await SMTPSession.open(configuration, group: group)
        do {
            try await session.deliver(message)
            try? await session.quit()
            await session.close()
        } catch {
            await session.close()
            throw error
        }
    }
}

/// One connection to the server, command by command.
struct SMTPSession {
    let channel: any Channel
    let replies: SMTPReplyHandler
    let configuration: SMTPConfiguration
    var timeout: TimeAmount { .milliseconds(Int64(configuration.timeout * 1000)) }

    static func open(_ configuration: SMTPConfiguration, group: any EventLoopGroup) async throws -> SMTPSession {
        let replies = SMTPReplyHandler()
        let tls = configuration.security == .tls ? try tlsContext(configuration) : nil
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.milliseconds(Int64(configuration.timeout * 1000)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(try tlsHandler(tls, configuration)) }
                        try channel.pipeline.syncOperations.addHandler(replies)
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw MailError("无法连接 SMTP 服务器 \(configuration.host):\(configuration.port)（\(error)）")
        }
        let session = SMTPSession(channel: channel, replies: replies, configuration: configuration)
        do {
            try await session.expect("连接", [220])
            try await session.hello(afterTLS: false)
        } catch {
            await session.close()
            throw error
        }
        return session
    }

    static func tlsContext(_ configuration: SMTPConfiguration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !configuration.verifyCertificate { tls.certificateVerification = .none }
        return try NIOSSLContext(configuration: tls)
    }

    static func tlsHandler(_ context: NIOSSLContext, _ configuration: SMTPConfiguration) throws -> NIOSSLClientHandler {
        let isAddress = configuration.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : configuration.host)
    }

    /// EHLO, then STARTTLS and EHLO again when asked for, then AUTH when a user is given.
    func hello(afterTLS: Bool) async throws {
        let features = try await command("EHLO \(configuration.heloName)", step: "EHLO", expect: [250])
        let keywords = features.lines.dropFirst().map { $0.uppercased() }
        if configuration.security == .startTLS, !afterTLS {
            guard keywords.contains(where: { $0.hasPrefix("STARTTLS") }) else {
                throw MailError("服务器不支持 STARTTLS（设置要求加密）")
            }
            try await command("STARTTLS", step: "STARTTLS", expect: [220])
            let context = try Self.tlsContext(configuration)
            let configuration = self.configuration
            try await channel.eventLoop.submit { [channel] in
                try channel.pipeline.syncOperations.addHandler(try Self.tlsHandler(context, configuration), position: .first)
            }.get()
            try await hello(afterTLS: true)
            return
        }
        guard let username = configuration.username, !username.isEmpty else { return }
        let password = configuration.password ?? ""
        let auth = keywords.first { $0.hasPrefix("AUTH") }?.split(separator: " ").dropFirst().map(String.init) ?? []
        if auth.contains("PLAIN") || !auth.contains("LOGIN") {
            let token = Data(("\u{0}" + username + "\u{0}" + password).utf8).base64EncodedString()
            try await command("AUTH PLAIN " + token, step: "登录（AUTH PLAIN）", expect: [235], shown: "AUTH PLAIN ***")
        } else {
            try await command("AUTH LOGIN", step: "登录（AUTH LOGIN）", expect: [334])
            try await command(Data(username.utf8).base64EncodedString(), step: "登录（用户名）", expect: [334], shown: "***")
            try await command(Data(password.utf8).base64EncodedString(), step: "登录（密码）", expect: [235], shown: "***")
        }
    }

    func deliver(_ message: MailMessage) async throws {
        try await command("MAIL FROM:<\(configuration.from)>", step: "MAIL FROM", expect: [250])
        for recipient in message.to {
            try await command("RCPT TO:<\(recipient)>", step: "RCPT TO <\(recipient)>", expect: [250, 251])
        }
        try await command("DATA", step: "DATA", expect: [354])
        let domain = configuration.from.split(separator: "@").last.map(String.init) ?? "taizhang.localdomain"
        let text = MailFormat.render(message, from: configuration.from, fromName: configuration.fromName,
                                     messageID: UUID().uuidString.lowercased() + "@" + domain)
        try await write(MailFormat.dotStuffed(text) + ".\r\n")
        try await expect("发送正文", [250])
    }

    func quit() async throws {
        try await command("QUIT", step: "QUIT", expect: [221])
    }

    func close() async {
        try? await channel.close().get()
    }

    @discardableResult
    func command(_ line: String, step: String, expect codes: Set<Int>, shown: String? = nil) async throws -> SMTPReply {
        try await write(line + "\r\n")
        return try await expect(step, codes)
    }

    @discardableResult
    func expect(_ step: String, _ codes: Set<Int>) async throws -> SMTPReply {
        let replies = self.replies
        let timeout = self.timeout
        let loop = channel.eventLoop
        let reply = try await loop.flatSubmit { replies.nextReply(on: loop, timeout: timeout) }.get()
        guard codes.contains(reply.code) else {
            throw MailError(code: reply.code, "SMTP 服务器在「\(step)」一步拒绝：\(reply.code) \(reply.text)")
        }
        return reply
    }

    func write(_ text: String) async throws {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        do {
            try await channel.writeAndFlush(buffer).get()
        } catch {
            // A connection closed by a failure the reply handler saw (a refused certificate) says that failure.
            let replies = self.replies
            if let cause = try? await channel.eventLoop.submit({ replies.failure }).get() { throw cause }
            throw MailError("向 SMTP 服务器写入失败（\(error)）")
        }
    }
}
