import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import TaizhangCore

/// Which database the app runs on: an embedded SQLite file (the default) or PostgreSQL.
public enum DatabaseSettings: Sendable, Equatable {
    case sqlite(path: String)
    /// `searchPath` lets tests give every run a schema of its own.
    case postgres(url: String, searchPath: [String]? = nil)

    public static let defaultSQLitePath = "taizhang.sqlite"

    /// From `DATABASE_URL` (PostgreSQL) or else `TAIZHANG_SQLITE_PATH`.
    public static func fromEnvironment(_ environment: [String: String]) throws -> DatabaseSettings {
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            _ = try postgresConfiguration(url: url, searchPath: nil)
            return .postgres(url: url)
        }
        return .sqlite(path: environment["TAIZHANG_SQLITE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultSQLitePath)
    }

    public struct Problem: UserFacingError {
        public var message: String
        public init(message: String) { self.message = message }
    }

    static func postgresConfiguration(url: String, searchPath: [String]?) throws -> SQLPostgresConfiguration {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme),
              let host = components.host, !host.isEmpty else {
            throw Problem(message: "DATABASE_URL「\(redacted(url))」格式不对：应为 postgres://用户:密码@主机:端口/数据库")
        }
        do {
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = searchPath
            return configuration
        } catch {
            throw Problem(message: "DATABASE_URL「\(redacted(url))」无法解析（\(error)）：应为 postgres://用户:密码@主机:端口/数据库")
        }
    }

    /// A URL with its password masked, for messages and logs.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    /// Checks what can be checked before connecting, so that a wrong path fails with a
    /// clear line instead of a driver error halfway through start-up.
    public func validate() throws {
        guard case .sqlite(let path) = self else { return }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw Problem(message: "数据库路径 \(path) 是一个文件夹：请指定一个 .sqlite 文件")
            }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw Problem(message: "数据库文件 \(path) 无法读取：请检查文件权限")
            }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            try? handle.close()
            if !header.isEmpty, header != Data("SQLite format 3\0".utf8) {
                throw Problem(message: "文件 \(path) 不是 SQLite 数据库：请换一个路径（TAIZHANG_SQLITE_PATH）或移走该文件")
            }
            if !fm.isWritableFile(atPath: path) {
                throw Problem(message: "数据库文件 \(path) 是只读的：请赋予写权限，或换一个可写的路径（TAIZHANG_SQLITE_PATH）")
            }
        }
        let folder = (path as NSString).deletingLastPathComponent
        let dir = folder.isEmpty ? "." : folder
        if !fm.fileExists(atPath: dir) {
            throw Problem(message: "数据库所在文件夹 \(dir) 不存在：请先创建它，或换一个路径（TAIZHANG_SQLITE_PATH）")
        }
        if !fm.isWritableFile(atPath: dir) {
            throw Problem(message: "数据库所在文件夹 \(dir) 不可写（SQLite 需要在旁边写日志文件）：请赋予写权限，或换一个路径")
        }
    }

    public var databaseID: DatabaseID {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .psql
        }
    }

    /// - Parameters:
    ///   - logSQL: log every statement at notice level (`TAIZHANG_LOG_SQL=1`), so it shows
    ///     without turning on debug logging for everything else.
    ///   - connectionWait: how long a request waits for a pooled connection before it fails
    ///     (the drivers' 10 s unless set).
    public func configurationFactory(logSQL: Bool = false, connectionWait: TimeAmount = .seconds(10)) throws -> DatabaseConfigurationFactory {
        let level: Logger.Level = logSQL ? .notice : .debug
        switch self {
        case .sqlite(let path):
            return .sqlite(.file(path), connectionPoolTimeout: connectionWait, sqlLogLevel: level)
        case .postgres(let url, let searchPath):
            return .postgres(configuration: try Self.postgresConfiguration(url: url, searchPath: searchPath),
                             maxConnectionsPerEventLoop: 4, connectionPoolTimeout: connectionWait, sqlLogLevel: level)
        }
    }

    public var summary: String {
        switch self {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let url, _): "PostgreSQL \(Self.redacted(url))"
        }
    }
}
