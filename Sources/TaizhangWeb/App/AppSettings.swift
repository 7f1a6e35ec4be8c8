import Foundation
import TaizhangCore
import TaizhangStore

/// Everything the app reads from its environment, checked once at start-up.
/// Each variable is listed in `.env.example`.
public struct AppSettings: Sendable {
    public var database: DatabaseSettings
    /// Log every SQL statement (TAIZHANG_LOG_SQL=1).
    public var logSQL: Bool
    /// Reverse proxies whose forwarding headers are believed (TAIZHANG_TRUSTED_PROXIES).
    public var trustedProxies: TrustedProxies
    /// The deployment is served over TLS (TAIZHANG_SECURE_COOKIES=1): cookies are always Secure
    /// and pages send HSTS.
    public var secureCookies: Bool

    public init(database: DatabaseSettings, logSQL: Bool = false, trustedProxies: TrustedProxies = .none, secureCookies: Bool = false) {
        self.database = database
        self.logSQL = logSQL
        self.trustedProxies = trustedProxies
        self.secureCookies = secureCookies
    }

    /// One year, as browsers' preload lists expect, once the deployment declares TLS.
    var strictTransportSecurity: Int? { secureCookies ? 31_536_000 : nil }

    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AppSettings {
        let proxies: TrustedProxies
        do {
            proxies = try TrustedProxies(parsing: environment["TAIZHANG_TRUSTED_PROXIES"] ?? "")
        } catch {
            throw InvalidInput(field: "TAIZHANG_TRUSTED_PROXIES", reason: "「\(error.entry)」不是 IP 地址或网段（如 10.0.0.0/8）")
        }
        return AppSettings(
            database: try DatabaseSettings.fromEnvironment(environment),
            logSQL: environment["TAIZHANG_LOG_SQL"] == "1",
            trustedProxies: proxies,
            secureCookies: ["1", "true", "yes", "是"].contains(environment["TAIZHANG_SECURE_COOKIES"]?.lowercased() ?? "")
        )
    }
}
