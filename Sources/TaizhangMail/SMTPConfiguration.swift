import Foundation

/// Where and how to send mail, read from one URL:
/// `smtp://user:pass@host:587?from=noreply@example.org&starttls=1` (plain, upgraded with STARTTLS),
/// `smtps://…:465?from=…` (TLS from the start), `smtp://host:25?from=…` (no TLS, no login).
/// Optional: `name=` the sender's display name, `helo=` the name given in EHLO, `verify=0` to accept
/// a server certificate that does not verify (a test server's own).
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        case none
        case startTLS
        case tls
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var from: String
    public var fromName: String?
    public var security: Security
    public var verifyCertificate: Bool
    public var heloName: String
    /// How long one connection, command or reply may take.
    public var timeout: TimeInterval

    public init(host: String, port: Int, username: String? = nil, password: String? = nil, from: String, fromName: String? = nil,
                security: Security = .none, verifyCertificate: Bool = true, heloName: String = "taizhang.localdomain", timeout: TimeInterval = 20) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.from = from
        self.fromName = fromName
        self.security = security
        self.verifyCertificate = verifyCertificate
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Reads the URL, refusing with a message that says what is wrong with it (never echoing the password).
    public init(url text: String) throws {
        guard let url = URLComponents(string: text.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme?.lowercased(),
              ["smtp", "smtps"].contains(scheme) else {
            throw MailError("应写作 smtp://用户名:密码@主机:端口?from=发件地址（或 smtps://…），而不是「\(Self.redacted(text))」")
        }
        guard let host = url.host, !host.isEmpty else { throw MailError("缺少 SMTP 服务器主机名") }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        guard let from = query["from"], !from.isEmpty else {
            throw MailError("缺少发件地址：在末尾加上 ?from=noreply@example.org")
        }
        guard from.contains("@"), !from.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) else {
            throw MailError("发件地址「\(from)」不是有效的电子邮件地址")
        }
        let yes = ["1", "true", "yes"]
        let startTLS = yes.contains(query["starttls"]?.lowercased() ?? "")
        let security: Security = scheme == "smtps" ? .tls : (startTLS ? .startTLS : .none)
        let port = url.port ?? (security == .tls ? 465 : 25)
        guard (1...65535).contains(port) else { throw MailError("端口 \(port) 应在 1 到 65535 之间") }
        self.init(host: host, port: port, username: url.user?.removingPercentEncoding ?? url.user,
                  password: url.password?.removingPercentEncoding ?? url.password, from: from, fromName: query["name"]?.nilIfEmpty,
                  security: security, verifyCertificate: query["verify"] != "0", heloName: query["helo"]?.nilIfEmpty ?? "taizhang.localdomain")
    }

    /// The URL with its password hidden, for messages and logs.
    public static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? "smtp://***"
    }

    /// "smtp.example.org:587（STARTTLS）"
    public var summary: String {
        let mode = switch security {
        case .none: "不加密"
        case .startTLS: "STARTTLS"
        case .tls: "TLS"
        }
        return "\(host):\(port)（\(mode)，发件人 \(from)）"
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
