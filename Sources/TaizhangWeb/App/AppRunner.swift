import Foundation
#if canImport(Glibc)
import Glibc
#endif
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
        // While this process has the SQLite file open, `taizhang restore` will not replace it.
        var lock: SQLiteFileLock?
        if case .sqlite(let path) = settings.database { lock = try SQLiteFileLock.acquire(database: path, exclusive: false) }
        defer { lock?.release() }
        let app = try await Application.make(Environment(name: "production", arguments: ["taizhang"]))
        do {
            // A failed start-up is reported as one line by the caller; the drivers' own
            // log lines about it would only bury that line.
            StartupLogGate.isQuiet = true
            defer { StartupLogGate.isQuiet = false }
            try configure(app, settings: settings)
            try await prepareDatabase(app, settings: settings)
            StartupLogGate.isQuiet = false
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Makes NIO's event loops (`MultiThreadedEventLoopGroup.singleton`, which the server and
    /// the database drivers use) run Swift Concurrency's jobs too, as Vapor's own template does.
    /// Otherwise every `await` on the network or the database hops from an event loop to
    /// Swift's thread pool and back: under load the ledger's first page spent about a sixth of
    /// its time switching threads (BENCHMARKS, "Concurrency on the event loops"). Call once, at
    /// the start of the process, before anything is awaited; false where NIO cannot take over.
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Serves until SIGINT or SIGTERM. Only a serving instance runs the reminder scheduler (unless
    /// TAIZHANG_SCHEDULER=0): a one-off command (init, import, backup…) never starts it.
    public static func serve(_ app: Application, hostname: String, port: Int, settings: AppSettings) async throws {
        if settings.reminders.schedulerEnabled { app.lifecycle.use(ReminderScheduler(interval: settings.reminders.interval)) }
        app.http.server.configuration.hostname = hostname
        app.http.server.configuration.port = port
        app.environment.arguments = ["taizhang", "serve"]
        try checkPortIsFree(hostname: hostname, port: port)
        do {
            try await app.execute()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw PortInUse(port: port)
        } catch let error as IOError where error.errnoCode == EACCES {
            throw InvalidInput(field: "--port", reason: "没有权限监听端口 \(port)：请使用 1024 以上的端口")
        }
    }

    /// Binds and releases the address the way NIO will (SO_REUSEADDR), so that a port in
    /// use is refused before the server logs its own bind failure.
    static func checkPortIsFree(hostname: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(hostname, String(port), &hints, &info) == 0, let first = info else {
            throw InvalidInput(field: "--hostname", reason: "无法解析监听地址「\(hostname)」")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            switch errno {
            case EADDRINUSE: throw PortInUse(port: port)
            case EACCES: throw InvalidInput(field: "--port", reason: "没有权限监听端口 \(port)：请使用 1024 以上的端口")
            case EADDRNOTAVAIL: throw InvalidInput(field: "--hostname", reason: "本机没有地址「\(hostname)」")
            default: return
            }
        }
    }

    public struct PortInUse: UserFacingError {
        public var port: Int
        public var message: String {
            "端口 \(port) 已被占用：请用 --port 换一个端口，或先停止占用它的程序"
        }
    }
}
