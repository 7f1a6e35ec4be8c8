import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangWeb

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "备份内置 SQLite 数据库（服务运行时也可以）：写出一致的副本并检查其完整性。PostgreSQL 请用 pg_dump。")

    @Option(help: "备份文件（不能已存在），如 backups/taizhang-2012-12-03.sqlite")
    var output: String

    func run() async throws {
        try await Taizhang.run {
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            let started = Date()
            let report = try await AppRunner.withApplication(settings: settings) { app in
                try await SQLiteBackup.backup(to: URL(fileURLWithPath: output), on: app.db)
            }
            print("已备份 \(settings.database.summary) → \(report.summary)（\(String(format: "%.1f", Date().timeIntervalSince(started))) 秒）")
        }
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "用备份文件替换内置 SQLite 数据库。须先停止服务；原数据库文件改名保留在旁边。")

    @Argument(help: "由 taizhang backup 写出的备份文件")
    var file: String

    func run() async throws {
        try await Taizhang.run {
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            guard case .sqlite(let path) = settings.database else {
                throw SQLiteBackup.Problem(message: "恢复：本命令用于内置 SQLite 数据库；PostgreSQL 请用 pg_restore（见 README）")
            }
            let (report, kept) = try await SQLiteBackup.restore(from: file, into: path)
            if let kept { print("原数据库已保留为 \(kept)") }
            print("已恢复 \(report.summary)")
        }
    }
}
