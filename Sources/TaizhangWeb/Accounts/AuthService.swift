import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// Passwords, secrets and sign-in: everything about proving who someone is.
public enum AuthService {
    /// bcrypt's work factor: about 50 ms a hash on these machines.
    static let bcryptCost = 10
    static let sessionCookie = "taizhang_session"
    static let loginCSRFCookie = "taizhang_login_csrf"
    /// A session ends after this long without a request…
    static let idleTimeout: TimeInterval = 2 * 3600
    /// …and in any case this long after sign-in.
    static let absoluteLifetime: TimeInterval = 12 * 3600
    /// Failed sign-ins allowed per account and per address in `throttleWindow`.
    static let maxFailuresPerAccount = 5
    static let maxFailuresPerAddress = 20
    static let throttleWindow: TimeInterval = 15 * 60

    public static func hashPassword(_ password: String) throws -> String {
        try Bcrypt.hash(password, cost: bcryptCost)
    }

    public static func checkPasswordRules(_ password: String) throws {
        guard password.count >= 8 else { throw Refusal("密码：至少 8 位") }
        guard password.contains(where: \.isLetter), password.contains(where: \.isNumber) else {
            throw Refusal("密码：须同时包含字母和数字")
        }
    }

    /// A password to hand out once: 12 characters without look-alikes (0/O, 1/l/I).
    public static func generatePassword() -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
        let digits = Array("23456789")
        let all = letters + digits
        var chars = (0..<10).map { _ in all.randomElement()! }
        chars.append(letters.randomElement()!)
        chars.append(digits.randomElement()!)
        return String(chars.shuffled())
    }

    /// A random secret (session cookie, API token, CSRF token), URL-safe.
    static func generateSecret(prefix: String = "") -> String {
        prefix + Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hashSecret(_ secret: String) -> String {
        secret.sha256Hex
    }

    /// Issues a personal API token for `userID` and returns its secret; only its hash is stored.
    public static func issueAPIToken(userID: UUID, name: String, by actor: Actor, on db: any Database) async throws -> String {
        let secret = generateSecret(prefix: "tz_")
        _ = try await APITokenStore.create(userID: userID, name: name, tokenHash: hashSecret(secret), by: actor, on: db)
        return secret
    }

    /// Creates an account with a generated password (or the given one) and returns both.
    /// There is no default password anywhere: every account starts from this.
    public static func createAccount(
        username: String, displayName: String, phone: String? = nil, password: String? = nil,
        grants: [(role: Role, divisionCode: String)], mustChangePassword: Bool = false, by actor: Actor, on db: any Database
    ) async throws -> (user: User, password: String) {
        let password = password ?? generatePassword()
        try checkPasswordRules(password)
        let hash = try hashPassword(password)
        let user = try await AccountStore.createUser(
            .init(username: username, displayName: displayName, phone: phone, passwordHash: hash, grants: grants,
                  mustChangePassword: mustChangePassword),
            by: actor, on: db)
        return (user, password)
    }

    /// Loads a user's grants into the form access decisions need.
    static func currentUser(_ user: User, session: UserSession?, on db: any Database) async throws -> CurrentUser {
        CurrentUser(
            id: user.id!, username: user.username, displayName: user.displayName,
            policy: AccessPolicy(grants: try await AccountStore.grants(of: user.id!, on: db)),
            csrfToken: session?.csrfToken, sessionTokenHash: session?.id, mustChangePassword: user.mustChangePassword)
    }

    struct SignedIn {
        var cookieValue: String
        var user: User
    }

    /// Checks a password with throttling per account and per address; every attempt is
    /// recorded and audited. Unknown users cost the same time as known ones.
    static func signIn(username rawUsername: String, password: String, request req: Request) async throws -> SignedIn {
        let username = rawUsername.trimmingCharacters(in: .whitespaces)
        let address = req.clientAddress ?? "unknown"
        let since = Date().addingTimeInterval(-throttleWindow)
        let accountFailures = try await LoginThrottle.recentFailures(username: username, since: since, on: req.db)
        let addressFailures = try await LoginThrottle.recentFailures(clientAddress: address, since: since, on: req.db)
        if accountFailures >= maxFailuresPerAccount || addressFailures >= maxFailuresPerAddress {
            try await AuditLog.record("login.throttled", entityType: "user", entityID: username, divisionPath: nil,
                                      before: nil, after: nil, by: Actor(userID: nil, name: username, clientAddress: address), on: req.db)
            throw Refusal("登录失败次数过多，请 15 分钟后再试", kind: .forbidden)
        }
        let user = try await AccountStore.user(named: username, on: req.db)
        let hash = user?.passwordHash ?? dummyHash
        let matches = try await req.application.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
        guard let user, user.isActive, matches else {
            try await LoginThrottle.record(username: username, clientAddress: address, succeeded: false, on: req.db)
            try await AuditLog.record("login.failed", entityType: "user", entityID: username, divisionPath: nil,
                                      before: nil, after: ["reason": user == nil ? "无此用户" : (user!.isActive ? "密码错误" : "账号已停用")],
                                      by: Actor(userID: nil, name: username, clientAddress: address), on: req.db)
            throw Refusal("用户名或密码不正确", kind: .invalidInput)
        }
        let secret = generateSecret()
        // A new session changes nothing any cache holds, so sign-ins do not empty the caches.
        try await writeTransaction(on: req.db, raisesDataVersion: false) { db in
            try await LoginThrottle.record(username: username, clientAddress: address, succeeded: true, on: db)
            _ = try await SessionStore.create(userID: user.id!, tokenHash: hashSecret(secret), csrfToken: generateSecret(),
                                              lifetime: absoluteLifetime, clientAddress: address, on: db)
            try await AuditLog.record("login", entityType: "user", entityID: username, divisionPath: nil, before: nil, after: nil,
                                      by: Actor(userID: user.id!.uuidString, name: user.displayName, clientAddress: address), on: db)
        }
        return SignedIn(cookieValue: secret, user: user)
    }

    /// A real bcrypt hash, so that checking a password for an unknown user takes as long
    /// as for a known one.
    private static let dummyHash = (try? Bcrypt.hash("taizhang-timing-equalizer", cost: bcryptCost)) ?? ""

    static func sessionCookie(_ value: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: nil, maxAge: Int(absoluteLifetime), path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

extension Request {
    /// Whether the request reached us over TLS: the deployment says so, or a trusted reverse
    /// proxy does (a client's own `X-Forwarded-Proto` is not believed).
    var isSecure: Bool {
        if application.settings.secureCookies || url.scheme == "https" { return true }
        guard let peer = remoteAddress?.ipAddress, application.settings.trustedProxies.contains(peer) else { return false }
        return headers.first(name: "X-Forwarded-Proto") == "https"
    }
}
