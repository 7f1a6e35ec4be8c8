import Foundation
import TaizhangStore

/// Everything the app reads from its environment, checked once at start-up.
/// Each variable is listed in `.env.example`.
public struct AppSettings: Sendable {
    public var database: DatabaseSettings
    /// Log every SQL statement (TAIZHANG_LOG_SQL=1).
    public var logSQL: Bool

    public init(database: DatabaseSettings, logSQL: Bool = false) {
        self.database = database
        self.logSQL = logSQL
    }

    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AppSettings {
        AppSettings(
            database: try DatabaseSettings.fromEnvironment(environment),
            logSQL: environment["TAIZHANG_LOG_SQL"] == "1"
        )
    }
}
