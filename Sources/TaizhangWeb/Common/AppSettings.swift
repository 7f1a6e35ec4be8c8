import Foundation
import NIOCore
import TaizhangCore
import TaizhangStore
import Vapor

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
    /// The thresholds of the ledger's warnings (TAIZHANG_MIN_BRANCH_MEMBERS, TAIZHANG_WARN_FOUNDING_BEFORE_APPROVAL).
    public var organizationChecks: OrganizationChecks
    /// A fixed "today" for replaying a past campaign (TAIZHANG_TODAY); nil in real use.
    public var today: CalendarDay?
    /// How long a request waits for a database connection before it fails. Writers queue for
    /// one write lock while holding a connection, so a burst of writers can keep the pool busy.
    public var connectionWait: TimeAmount = .seconds(10)

    public init(database: DatabaseSettings, logSQL: Bool = false, trustedProxies: TrustedProxies = .none, secureCookies: Bool = false,
                organizationChecks: OrganizationChecks = .init(), today: CalendarDay? = nil) {
        self.database = database
        self.logSQL = logSQL
        self.trustedProxies = trustedProxies
        self.secureCookies = secureCookies
        self.organizationChecks = organizationChecks
        self.today = today
    }

    /// One year, as browsers' preload lists expect, once the deployment declares TLS.
    var strictTransportSecurity: Int? { secureCookies ? 31_536_000 : nil }

    public static func fromEnvironment(
        _ environment: [String: String]
    ) throws -> AppSettings {
        let proxies: TrustedProxies
        do {
            proxies = try TrustedProxies(parsing: environment["TAIZHANG_TRUSTED_PROXIES"] ?? "")
        } catch {
            throw InvalidInput(field: "TAIZHANG_TRUSTED_PROXIES", reason: "「\(error.entry)」不是 IP 地址或网段（如 10.0.0.0/8）")
        }
        var today: CalendarDay?
        if let text = environment["TAIZHANG_TODAY"]?.nilIfBlank {
            guard let day = CalendarDay(iso: text), CalendarDay.plausible.contains(day) else {
                throw InvalidInput(field: "TAIZHANG_TODAY", reason: "「\(text)」应为 YYYY-MM-DD 格式的日期")
            }
            today = day
        }
        return AppSettings(
            database: try DatabaseSettings.fromEnvironment(environment),
            logSQL: environment["TAIZHANG_LOG_SQL"] == "1",
            trustedProxies: proxies,
            secureCookies: ["1", "true", "yes", "是"].contains(environment["TAIZHANG_SECURE_COOKIES"]?.lowercased() ?? ""),
            organizationChecks: try OrganizationChecks(settings: environment),
            today: today
        )
    }
}

extension Application {
    private struct SettingsKey: StorageKey {
        typealias Value = AppSettings
    }

    /// The settings the app was configured with.
    var settings: AppSettings {
        get {
            guard let settings = storage[SettingsKey.self] else { fatalError("configure(_:settings:) sets the settings first") }
            return settings
        }
        set { storage[SettingsKey.self] = newValue }
    }
}
