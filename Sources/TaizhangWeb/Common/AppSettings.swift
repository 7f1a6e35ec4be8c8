import Foundation
import NIOCore
import TaizhangCore
import TaizhangMail
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
    /// Reminders (催报 / 催办): when they go out, whether this instance runs the scheduler, and the
    /// SMTP server for their e-mail copies (TAIZHANG_REMIND_AT, TAIZHANG_SCHEDULER,
    /// TAIZHANG_REMIND_EVERY, TAIZHANG_SMTP_URL). The scheduler is off unless asked (tests).
    public var reminders = ReminderSettings()
    /// The largest file the library and demonstration evidence accept (TAIZHANG_LIBRARY_MAX_MB, default 20).
    public var libraryMaximumBytes = DocumentFileKind.standardMaximumBytes
    /// How much memory the red flags kept per township may take (TAIZHANG_RED_FLAG_CACHE_MB, default
    /// 512: about two million organizations' records; past it the townships used longest ago are read again when next needed).
    public var redFlagCacheBytes = 512 << 20

    public init(database: DatabaseSettings, logSQL: Bool = false, trustedProxies: TrustedProxies = .none, secureCookies: Bool = false,
                organizationChecks: OrganizationChecks = .init(), today: CalendarDay? = nil, reminders: ReminderSettings = ReminderSettings()) {
        self.database = database
        self.logSQL = logSQL
        self.trustedProxies = trustedProxies
        self.secureCookies = secureCookies
        self.organizationChecks = organizationChecks
        self.today = today
        self.reminders = reminders
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
        var libraryMaximumBytes = DocumentFileKind.standardMaximumBytes
        if let text = environment["TAIZHANG_LIBRARY_MAX_MB"]?.nilIfBlank {
            guard let megabytes = Int(text), (1...200).contains(megabytes) else {
                throw InvalidInput(field: "TAIZHANG_LIBRARY_MAX_MB", reason: "「\(text)」应为 1 到 200 之间的整数（兆字节）")
            }
            libraryMaximumBytes = megabytes * 1024 * 1024
        }
        var redFlagCacheBytes = 512 << 20
        if let text = environment["TAIZHANG_RED_FLAG_CACHE_MB"]?.nilIfBlank {
            guard let megabytes = Int(text), (16...65_536).contains(megabytes) else {
                throw InvalidInput(field: "TAIZHANG_RED_FLAG_CACHE_MB", reason: "「\(text)」应为 16 到 65536 之间的整数（兆字节）")
            }
            redFlagCacheBytes = megabytes << 20
        }
        var settings = AppSettings(
            database: try DatabaseSettings.fromEnvironment(environment),
            logSQL: environment["TAIZHANG_LOG_SQL"] == "1",
            trustedProxies: proxies,
            secureCookies: ["1", "true", "yes", "是"].contains(environment["TAIZHANG_SECURE_COOKIES"]?.lowercased() ?? ""),
            organizationChecks: try OrganizationChecks(settings: environment),
            today: today,
            reminders: try ReminderSettings(environment: environment)
        )
        settings.libraryMaximumBytes = libraryMaximumBytes
        settings.redFlagCacheBytes = redFlagCacheBytes
        return settings
    }
}

/// When reminders go out and how they are delivered.
public struct ReminderSettings: Sendable {
    public var timing = ReminderTiming()
    /// Whether this instance runs the reminder scheduler (one instance at a time takes each pass, by a lease).
    public var schedulerEnabled = false
    /// How often the scheduler looks for reminders to queue and mail to send.
    public var interval: TimeAmount = .seconds(60)
    /// The SMTP server for reminder mail; nil sends none (reminders stay in the in-app inbox).
    public var smtp: SMTPConfiguration?

    public init(timing: ReminderTiming = ReminderTiming(), schedulerEnabled: Bool = false, interval: TimeAmount = .seconds(60),
                smtp: SMTPConfiguration? = nil) {
        self.timing = timing
        self.schedulerEnabled = schedulerEnabled
        self.interval = interval
        self.smtp = smtp
    }

    /// The served app runs the scheduler unless TAIZHANG_SCHEDULER=0.
    init(environment: [String: String]) throws {
        if let text = environment["TAIZHANG_REMIND_AT"]?.nilIfBlank {
            guard let time = TimeOfDay(text: text) else {
                throw InvalidInput(field: "TAIZHANG_REMIND_AT", reason: "「\(text)」不是 0:00 至 23:59 之间的时刻，应写作 15:00")
            }
            timing = ReminderTiming(reportReminderTime: time)
        }
        schedulerEnabled = !["0", "false", "no", "否"].contains(environment["TAIZHANG_SCHEDULER"]?.lowercased() ?? "")
        if let text = environment["TAIZHANG_REMIND_EVERY"]?.nilIfBlank {
            guard let seconds = Int(text), (5...3600).contains(seconds) else {
                throw InvalidInput(field: "TAIZHANG_REMIND_EVERY", reason: "「\(text)」应为 5 到 3600 之间的秒数")
            }
            interval = .seconds(Int64(seconds))
        }
        if let text = environment["TAIZHANG_SMTP_URL"]?.nilIfBlank {
            do {
                smtp = try SMTPConfiguration(url: text)
            } catch let error as MailError {
                throw InvalidInput(field: "TAIZHANG_SMTP_URL", reason: error.description)
            }
        }
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
