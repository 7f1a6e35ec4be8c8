import Foundation
import NIOCore
import NIOPosix
import TaizhangCore
import TaizhangStore
import Vapor

/// What the executable's commands share: making the app for a database, running it, and
/// shutting it down whatever happens.
public enum AppRunner {
    public static func withApplication<T>(
        settings: AppSettings,
        _ body: (Application) async throws -> T
    ) async throws -> T {
        let app = try await Application.make(Environment(name: "production", arguments: ["taizhang"]))
        do {
            try configure(app, settings: settings)
            try await prepareDatabase(app, settings: settings)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Serves until SIGINT or SIGTERM.
    public static func serve(_ app: Application, hostname: String, port: Int) async throws {
        app.http.server.configuration.hostname = hostname
        app.http.server.configuration.port = port
        app.environment.arguments = ["taizhang", "serve"]
        do {
            try await app.execute()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw PortInUse(port: port)
        } catch let error as IOError where error.errnoCode == EACCES {
            throw InvalidInput(field: "--port", reason: "没有权限监听端口 \(port)：请使用 1024 以上的端口")
        }
    }

    public struct PortInUse: UserFacingError {
        public var port: Int
        public var message: String {
            "端口 \(port) 已被占用：请用 --port 换一个端口，或先停止占用它的程序"
        }
    }
}
