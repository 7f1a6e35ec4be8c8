import FluentKit
import Foundation
import SQLiteNIO
import SQLKit
import TaizhangCore

/// Backups of the embedded SQLite database, taken while the server runs, and restoring one.
/// (PostgreSQL has its own tools: `pg_dump` and `pg_restore`; see the README.)
public enum SQLiteBackup {
    /// What a backup or a restored file holds, read from the file itself.
    public struct Report: Sendable, Equatable {
        public var path: String
        public var bytes: Int
        public var organizations: Int
        public var auditEvents: Int
        public var campaigns: Int
        public var users: Int

        public var summary: String {
            "\(path)：\(bytes / 1024) KB，团组织 \(organizations) 个，审计记录 \(auditEvents) 条，建团活动 \(campaigns) 个，账号 \(users) 个；完整性检查通过"
        }
    }

    public struct Problem: UserFacingError {
        public var message: String
        public init(message: String) { self.message = message }
    }

    /// Copies the live database into `output` as one consistent snapshot (`VACUUM INTO`: a read
    /// transaction, so writers go on meanwhile), then opens the copy and checks it.
    public static func backup(to output: URL, on db: any Database) async throws -> Report {
        guard db.isSQLite else {
            throw Problem(message: "备份：本命令用于内置 SQLite 数据库；PostgreSQL 请用 pg_dump（见 README）")
        }
        let path = output.standardizedFileURL.path
        guard !FileManager.default.fileExists(atPath: path) else {
            throw Problem(message: "--output：「\(path)」已存在，不会覆盖：请换一个文件名")
        }
        var isFolder: ObjCBool = false
        let folder = output.standardizedFileURL.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Problem(message: "--output：文件夹「\(folder)」不存在")
        }
        try await db.sql.raw("VACUUM INTO \(bind: path)").run()
        do {
            return try await check(path)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Opens `path` on its own and checks that it is a whole Taizhang database: SQLite's
    /// `integrity_check` and `foreign_key_check`, the schema's tables, and what it holds.
    public static func check(_ path: String) async throws -> Report {
        guard FileManager.default.fileExists(atPath: path) else { throw Problem(message: "「\(path)」不存在") }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path))
        } catch {
            throw Problem(message: "「\(path)」无法打开（\(error)）")
        }
        do {
            let report = try await read(path, connection)
            try await connection.close()
            return report
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func read(_ path: String, _ connection: SQLiteConnection) async throws -> Report {
        let integrity: [SQLiteRow]
        do {
            integrity = try await connection.query("PRAGMA integrity_check")
        } catch {
            throw Problem(message: "「\(path)」不是 SQLite 数据库，或已损坏（\(error)）")
        }
        let verdict = integrity.compactMap { $0.column("integrity_check")?.string }
        guard verdict == ["ok"] else {
            throw Problem(message: "「\(path)」完整性检查未通过：\(verdict.prefix(3).joined(separator: "；"))")
        }
        let broken = try await connection.query("PRAGMA foreign_key_check")
        guard broken.isEmpty else { throw Problem(message: "「\(path)」有 \(broken.count) 处外键指向不存在的记录") }
        let tables = Set(try await connection.query("SELECT name FROM sqlite_master WHERE type = 'table'")
            .compactMap { $0.column("name")?.string })
        let needed = ["_fluent_migrations", "organizations", "audit_events", "campaigns", "users"]
        guard needed.allSatisfy(tables.contains) else {
            throw Problem(message: "「\(path)」不是台账数据库（缺少 \(needed.filter { !tables.contains($0) }.joined(separator: "、")) 表）")
        }
        if tables.contains("organization_search") {
            // The search index against the ledger it indexes (rank 1: compare with the content table).
            do {
                _ = try await connection.query("INSERT INTO organization_search(organization_search, rank) VALUES ('integrity-check', 1)")
            } catch where "\(error)".contains("readonly") {
                // The check is written as an INSERT; a backup on read-only media is checked without it.
            } catch {
                throw Problem(message: "「\(path)」的台账检索索引与台账不一致（\(error)）")
            }
        }
        func count(_ table: String) async throws -> Int {
            try await connection.query("SELECT COUNT(*) AS n FROM \(table)").first?.column("n")?.integer ?? 0
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Report(path: path, bytes: bytes, organizations: try await count("organizations"),
                      auditEvents: try await count("audit_events"), campaigns: try await count("campaigns"), users: try await count("users"))
    }

    /// Puts the backup at `backup` in place of the database at `target`, keeping the old file
    /// (and its -wal and -shm) beside it as `<target>.before-restore-<time>`. Refused while any
    /// `taizhang` process has the database open (`SQLiteFileLock`), or when the backup does not check.
    public static func restore(from backup: String, into target: String, now: Date = Date()) async throws -> (Report, kept: String?) {
        let backup = URL(fileURLWithPath: backup).standardizedFileURL.path
        let target = URL(fileURLWithPath: target).standardizedFileURL.path
        guard backup != target else { throw Problem(message: "恢复：备份文件就是当前数据库「\(target)」") }
        let report = try await check(backup)
        guard let lock = try SQLiteFileLock.acquire(database: target, exclusive: true) else {
            throw Problem(message: "恢复：无法在「\(URL(fileURLWithPath: target).deletingLastPathComponent().path)」建立锁文件（文件夹不存在或不可写）")
        }
        defer { lock.release() }
        var kept: String?
        if FileManager.default.fileExists(atPath: target) {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            formatter.timeZone = .shanghai
            let aside = target + ".before-restore-" + formatter.string(from: now)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: target + suffix) {
                try FileManager.default.moveItem(atPath: target + suffix, toPath: aside + suffix)
            }
            kept = aside
        }
        try FileManager.default.copyItem(atPath: backup, toPath: target)
        var restored = report
        restored.path = target
        return (restored, kept)
    }
}
