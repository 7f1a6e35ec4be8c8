import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TaizhangTestSupport
import Testing

/// The executable as an operator meets it: one clear line and a non-zero exit for every
/// mistake, nothing half-written, and a server that answers in Chinese.
@Suite struct CommandLineTests {
    private func sqliteEnvironment(_ folder: URL) -> [String: String] {
        ["TAIZHANG_SQLITE_PATH": folder.appendingPathComponent("taizhang.sqlite").path]
    }

    /// A refusal is exactly one line on stderr that starts with 错误： and has no trace.
    private func expectOneLineRefusal(_ result: CommandResult, containing text: String) {
        #expect(result.exitCode == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr was: \(result.stderr)")
        #expect(result.stderr.hasPrefix("错误："))
        #expect(result.stderr.contains(text), "stderr was: \(result.stderr)")
    }

    @Test func initLoadsARegionOnceAndReportsWhatItAdded() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try TaizhangCommand.run(["init", "--region", "3505"], in: folder, environment: sqliteEnvironment(folder))
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains("区划表中 189 行，本次新增 189 行"))
        let second = try TaizhangCommand.run(["init", "--region", "3505"], in: folder, environment: sqliteEnvironment(folder))
        #expect(second.exitCode == 0)
        #expect(second.stdout.contains("本次新增 0 行"))
    }

    @Test func unknownRegionIsRefusedBeforeTouchingTheDatabase() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TaizhangCommand.run(["init", "--region", "9999"], in: folder, environment: sqliteEnvironment(folder))
        expectOneLineRefusal(result, containing: "未知的区划代码「9999」")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("taizhang.sqlite").path))
    }

    @Test(arguments: ["mysql://root@localhost/taizhang", "postgres://", "not a url at all"])
    func malformedDatabaseURLIsNamed(_ url: String) throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TaizhangCommand.run(["migrate"], in: folder, environment: ["DATABASE_URL": url])
        expectOneLineRefusal(result, containing: "DATABASE_URL")
    }

    @Test func unreachablePostgresSaysSoWithoutThePassword() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = TaizhangCommand.freePort()
        let result = try TaizhangCommand.run(
            ["init", "--region", "3505"], in: folder,
            environment: ["DATABASE_URL": "postgres://cadre:s3cret@127.0.0.1:\(port)/taizhang"])
        expectOneLineRefusal(result, containing: "无法连接 PostgreSQL")
        #expect(!result.stderr.contains("s3cret"))
    }

    @Test func fileThatIsNotADatabaseIsLeftAlone() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.sqlite")
        let content = "这不是数据库\n".repeated(100)
        try content.write(to: path, atomically: true, encoding: .utf8)
        let result = try TaizhangCommand.run(["init", "--region", "3505"], in: folder,
                                             environment: ["TAIZHANG_SQLITE_PATH": path.path])
        expectOneLineRefusal(result, containing: "不是 SQLite 数据库")
        #expect(try String(contentsOf: path, encoding: .utf8) == content)
        #expect(!FileManager.default.fileExists(atPath: path.path + "-wal"))
    }

    @Test func missingFolderIsNamed() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TaizhangCommand.run(["migrate"], in: folder,
                                             environment: ["TAIZHANG_SQLITE_PATH": "/nonexistent-dir/x.sqlite"])
        expectOneLineRefusal(result, containing: "/nonexistent-dir 不存在")
    }

    @Test func portOutOfRangeIsRefused() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TaizhangCommand.run(["serve", "--port", "70000"], in: folder, environment: sqliteEnvironment(folder))
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("--port 应为 1 到 65535 之间的整数"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("taizhang.sqlite").path))
    }

    @Test func serverAnswersInChineseAndASecondOnTheSamePortIsRefused() async throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = sqliteEnvironment(folder)
        #expect(try TaizhangCommand.run(["init", "--region", "3505"], in: folder, environment: env).exitCode == 0)
        let port = TaizhangCommand.freePort()
        let server = try TaizhangCommand.start(["serve", "--port", "\(port)"], in: folder, environment: env)
        defer { server.stop() }
        // Nobody is let in unsigned: the city page leads to the sign-in page.
        let page = try await fetch("http://127.0.0.1:\(port)/divisions/3505", waitingUpTo: 600)
        #expect(page.status == 200)
        #expect(page.body.contains("登录台账"))
        #expect(!page.body.contains("晋江市"))

        let second = try TaizhangCommand.run(["serve", "--port", "\(port)"], in: folder, environment: env)
        expectOneLineRefusal(second, containing: "端口 \(port) 已被占用")
        let health = try await fetch("http://127.0.0.1:\(port)/healthz", waitingUpTo: 5)
        #expect(health.status == 200)
    }

    @Test func demoBuildsQuanzhouWithItsZoneOnce() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try TaizhangCommand.run(["demo", "--no-serve"], in: folder, timeout: 600)
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains("泉州台商投资区"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("taizhang-demo.sqlite").path))
        let again = try TaizhangCommand.run(["demo", "--no-serve"], in: folder)
        #expect(again.exitCode == 0)
        #expect(again.stdout.contains("演示数据已存在"))
        // One account per role, each with a freshly generated password printed once per run.
        for username in ["admin", "quanzhou", "jinjiang", "anhai", "guagou", "hecha", "lingdao"] {
            #expect(first.stdout.contains("  \(username) "))
        }
        #expect(first.stdout.contains("县级管理员 · 晋江市"))
        #expect(passwords(in: first.stdout) != passwords(in: again.stdout))
    }

    @Test func demoPrintsItsPasswordsIntoALogWhileItServes() async throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Standard output is a file here, as under a service manager: block-buffered unless flushed.
        let demo = try TaizhangCommand.start(["demo", "--port", "\(TaizhangCommand.freePort())"], in: folder)
        defer { demo.stop() }
        var output = ""
        for _ in 0..<6_000 where !output.contains("演示地址") {
            try await Task.sleep(for: .milliseconds(100))
            output = demo.outputSoFar()
        }
        #expect(demo.process.isRunning, "the server is still serving")
        #expect(output.contains("演示地址"))
        for username in ["admin", "quanzhou", "jinjiang", "anhai", "guagou", "hecha", "lingdao"] {
            #expect(output.contains("  \(username) "), "\(username) and its password are in the log")
        }
    }

    private func passwords(in output: String) -> [String] {
        output.split(separator: "\n").filter { $0.hasPrefix("  ") }.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
    }

    @Test func importPreviewsRefusesRejectedRowsAndExportRoundTrips() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = sqliteEnvironment(folder)
        #expect(try TaizhangCommand.run(["init", "--region", "3505"], in: folder, environment: env).exitCode == 0)
        let bad = folder.appendingPathComponent("bad.csv")
        try "县（市、区）,乡镇（街道）,团组织名称,组织类型,单位类别,成立日期\n晋江市,安海,安海团支部,团支部,学校,\n晋江市,火星镇,火星团支部,团支部,学校,\n晋江市,磁灶,磁灶团支部,团小组,学校,2012-13-01\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let refused = try TaizhangCommand.run(["import", bad.path], in: folder, environment: env)
        #expect(refused.exitCode == 1)
        #expect(refused.stdout.contains("共 3 行：新增 1，更新 0，无变化 0，退回 2"))
        #expect(refused.stdout.contains("退回：第 3 行「乡镇（街道）」：「晋江市」下没有名为「火星镇」的乡镇（街道）"))
        #expect(refused.stdout.contains("退回：第 4 行「成立日期」：「2012-13-01」不是存在的日期"))
        #expect(refused.stdout.contains("退回：第 4 行「组织类型」：「团小组」不是可选的组织类型"))
        #expect(refused.stderr.contains("错误：有 2 行被退回，未导入任何数据"))

        let good = folder.appendingPathComponent("good.csv")
        try "县（市、区）,乡镇（街道）,团组织名称,组织类型,单位类别\n晋江市,安海,安海团支部,团支部,学校\n".write(to: good, atomically: true, encoding: .utf8)
        let dry = try TaizhangCommand.run(["import", good.path, "--dry-run"], in: folder, environment: env)
        #expect(dry.exitCode == 0)
        #expect(dry.stdout.contains("（预览，未写入"))
        let done = try TaizhangCommand.run(["import", good.path], in: folder, environment: env)
        #expect(done.exitCode == 0, "\(done.stderr)")
        #expect(done.stdout.contains("已导入"))

        let exported = folder.appendingPathComponent("out.xlsx")
        let export = try TaizhangCommand.run(["export", "--division", "350582", "--output", exported.path], in: folder, environment: env)
        #expect(export.stdout.contains("已导出 1 个团组织"))
        let again = try TaizhangCommand.run(["import", exported.path, "--dry-run"], in: folder, environment: env)
        #expect(again.stdout.contains("共 1 行：新增 0，更新 0，无变化 1，退回 0"))
        expectOneLineRefusal(try TaizhangCommand.run(["export", "--output", "out.pdf"], in: folder, environment: env),
                             containing: "--output：「out.pdf」应以 .xlsx 或 .csv 结尾")
        expectOneLineRefusal(try TaizhangCommand.run(["import", "missing.xlsx"], in: folder, environment: env),
                             containing: "文件「missing.xlsx」不存在")
    }

    @Test func userAddPrintsAGeneratedPasswordAndRefusesBadInput() throws {
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let env = sqliteEnvironment(folder)
        #expect(try TaizhangCommand.run(["init", "--region", "3505"], in: folder, environment: env).exitCode == 0)
        let added = try TaizhangCommand.run(["user", "add", "--username", "jinjiang", "--name", "晋江团市委",
                                             "--role", "县级管理员", "--division", "350582"], in: folder, environment: env)
        #expect(added.exitCode == 0, "\(added.stderr)")
        #expect(added.stdout.contains("已开设账号 jinjiang（县级管理员 · 350582）"))
        let password = added.stdout.components(separatedBy: "初始密码：").last?.prefix(12) ?? ""
        #expect(password.count == 12)

        expectOneLineRefusal(try TaizhangCommand.run(["user", "add", "--username", "jinjiang", "--name", "又一个",
                                                      "--role", "county_admin", "--division", "350582"], in: folder, environment: env),
                             containing: "用户名：「jinjiang」已被使用")
        expectOneLineRefusal(try TaizhangCommand.run(["user", "add", "--username", "nowhere", "--name", "无处",
                                                      "--role", "county_admin", "--division", "359999"], in: folder, environment: env),
                             containing: "找不到代码为「359999」的行政区划")
        expectOneLineRefusal(try TaizhangCommand.run(["user", "add", "--username", "toohigh", "--name", "越级",
                                                      "--role", "county_admin", "--division", "3505"], in: folder, environment: env),
                             containing: "县级管理员只能授予")
        expectOneLineRefusal(try TaizhangCommand.run(["user", "add", "--username", "x", "--name", "短",
                                                      "--role", "boss", "--division", "3505"], in: folder, environment: env),
                             containing: "--role：未知角色「boss」")
        let list = try TaizhangCommand.run(["user", "list"], in: folder, environment: env)
        #expect(list.stdout.split(separator: "\n").count == 1)
        #expect(list.stdout.contains("jinjiang\t晋江团市委\t启用\t县级管理员·晋江市"))
    }

    private func fetch(_ url: String, waitingUpTo seconds: TimeInterval) async throws -> (status: Int, body: String) {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do {
                let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
                return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
            } catch {
                if Date() > deadline { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}

private extension String {
    func repeated(_ times: Int) -> String { String(repeating: self, count: times) }
}

@Suite struct CommandLinePostgresTests {
    /// Runs when CI provides a server; `.ci/run` always does.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TAIZHANG_TEST_POSTGRES_URL"] != nil))
    func initAgainstPostgresIsIdempotent() throws {
        let url = ProcessInfo.processInfo.environment["TAIZHANG_TEST_POSTGRES_URL"]!
        let folder = try TaizhangCommand.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try TaizhangCommand.run(["init", "--region", "3505"], in: folder, environment: ["DATABASE_URL": url])
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains("区划表中 189 行"))
        #expect(first.stdout.contains("PostgreSQL"))
        let second = try TaizhangCommand.run(["init", "--region", "3505"], in: folder, environment: ["DATABASE_URL": url])
        #expect(second.exitCode == 0)
        #expect(second.stdout.contains("本次新增 0 行"))
    }
}
