import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TaizhangTestSupport
import Testing

/// `taizhang backup` and `taizhang restore` as an operator uses them on a running server.
@Suite struct BackupCommandTests {
    @Test func aLiveDatabaseIsBackedUpAndRestoredOnlyOnceTheServerStops() async throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("taizhang.sqlite").path
        let env = ["TAIZHANG_SQLITE_PATH": database]
        #expect(try TaizhangCommand.run(["init", "--region", "3505"], in: folder, environment: env).exitCode == 0)
        let port = TaizhangCommand.freePort()
        let server = try TaizhangCommand.start(["serve", "--port", "\(port)"], in: folder, environment: env)
        defer { server.stop() }
        var healthy = false
        for _ in 0..<6_000 where !healthy {
            healthy = (try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/healthz")!)) != nil
            if !healthy { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(healthy)

        let backup = folder.appendingPathComponent("备份.sqlite").path
        let made = try TaizhangCommand.run(["backup", "--output", backup], in: folder, environment: env)
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(made.stdout.contains("完整性检查通过"))
        let again = try TaizhangCommand.run(["backup", "--output", backup], in: folder, environment: env)
        #expect(again.exitCode == 1 && again.stderr.contains("已存在，不会覆盖"))

        // The server has the database open: restoring is refused and nothing is touched.
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let refused = try TaizhangCommand.run(["restore", backup], in: folder, environment: env)
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("正在使用"), "\(refused.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)

        server.stop()
        let restored = try TaizhangCommand.run(["restore", backup], in: folder, environment: env)
        #expect(restored.exitCode == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("原数据库已保留为"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("taizhang.sqlite.before-restore-") }
        #expect(!kept.isEmpty)

        let notADatabase = folder.appendingPathComponent("notes.txt")
        try Data("这不是数据库".utf8).write(to: notADatabase)
        let bad = try TaizhangCommand.run(["restore", notADatabase.path], in: folder, environment: env)
        #expect(bad.exitCode == 1 && bad.stderr.contains("不是 SQLite 数据库"), "\(bad.stderr)")
    }
}
