import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock on `<database>.lock` beside a SQLite file. Every `taizhang` process that
/// opens the database holds it shared for as long as it runs; `restore` takes it exclusive, so
/// a database in use is never replaced under a running server. The kernel drops the lock when
/// the process ends, however it ends.
public final class SQLiteFileLock: Sendable {
    private let descriptor: Int32

    /// Nil when the lock file cannot be made at all (a missing or read-only folder: opening the
    /// database will then say what is wrong); throws when another process holds the lock.
    public static func acquire(database path: String, exclusive: Bool) throws -> SQLiteFileLock? {
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        return try SQLiteFileLock(descriptor: fd, database: path, exclusive: exclusive)
    }

    private init(descriptor fd: Int32, database path: String, exclusive: Bool) throws {
        guard flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            close(fd)
            throw SQLiteBackup.Problem(message: exclusive
                ? "数据库「\(path)」正在使用（服务或其他命令正在运行）：请先停止服务再恢复"
                : "数据库「\(path)」正在恢复，请稍后再试")
        }
        descriptor = fd
    }

    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
