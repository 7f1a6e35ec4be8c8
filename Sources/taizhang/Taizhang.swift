import ArgumentParser
import Foundation
import Logging
import TaizhangCore
import TaizhangStore
import TaizhangWeb

@main
struct Taizhang: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taizhang",
        abstract: "台账：乡镇实体化“大团委”建设的台账、目标、报送、通报与核查系统。",
        subcommands: [Serve.self, Migrate.self, Init.self, Demo.self, Import.self, Export.self, UserCommand.self, Backup.self, Restore.self, RedFlagCommand.self, RemindCommand.self],
        defaultSubcommand: Serve.self
    )

    /// Runs a command body; a refusal meant for the user becomes one line on stderr and exit 1.
    static func run(_ body: () async throws -> Void) async throws {
        MallocArenas.limit(environment: ProcessInfo.processInfo.environment)
        LoggingSetup.bootstrapOnce()
        do {
            try await body()
        } catch let error as any UserFacingError {
            FileHandle.standardError.write(Data("错误：\(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

enum LoggingSetup {
    nonisolated(unsafe) private static var done = false

    static func bootstrapOnce() {
        guard !done else { return }
        done = true
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return GatedLogHandler(wrapping: handler)
        }
    }
}

struct ServerOptions: ParsableArguments {
    @Option(help: "监听地址")
    var hostname = "127.0.0.1"

    @Option(help: "监听端口（1–65535）")
    var port = 8080

    func validate() throws {
        guard (1...65535).contains(port) else {
            throw ValidationError("--port 应为 1 到 65535 之间的整数，收到 \(port)")
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "启动网页服务（数据库由 DATABASE_URL 或 TAIZHANG_SQLITE_PATH 指定，默认 ./taizhang.sqlite）。")

    @OptionGroup var server: ServerOptions

    func run() async throws {
        AppRunner.runConcurrencyOnEventLoops()
        try await Taizhang.run {
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            try await AppRunner.withApplication(settings: settings) { app in
                app.logger.info("台账 serving \(settings.database.summary) at http://\(server.hostname):\(server.port)/")
                try await AppRunner.serve(app, hostname: server.hostname, port: server.port, settings: settings)
            }
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "把数据库结构升级到当前版本（serve 启动时也会自动执行）。")

    func run() async throws {
        try await Taizhang.run {
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            try await AppRunner.withApplication(settings: settings) { _ in
                print("数据库结构已是最新：\(settings.database.summary)")
            }
        }
    }
}

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "载入一个地区的行政区划：市（3505）、省（35）或全国（CN）。重复执行不会改变已有数据。")

    @Option(help: "区划代码：2 位省、4 位市、6 位县、9 位乡镇，或 CN 表示全国")
    var region: String

    func run() async throws {
        try await Taizhang.run {
            let started = Date()
            let table = try DivisionTable.bundled()
            _ = try table.region(region)
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            let result = try await AppRunner.withApplication(settings: settings) { app in
                try await DivisionLoader.load(region: region, from: table, by: .commandLine("init"), on: app.db)
            }
            let seconds = Date().timeIntervalSince(started)
            print("已载入 \(result.region)：区划表中 \(result.rowsInRegion) 行，本次新增 \(result.inserted) 行（\(String(format: "%.2f", seconds)) 秒，\(settings.database.summary)）")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "创建可直接浏览的泉州演示实例（本地 SQLite 文件）并启动服务。")

    @OptionGroup var server: ServerOptions

    @Option(help: "演示数据库文件")
    var database = "taizhang-demo.sqlite"

    @Flag(help: "删除已有的演示数据库，重新生成")
    var reset = false

    @Flag(help: "只生成数据，不启动服务")
    var noServe = false

    func run() async throws {
        AppRunner.runConcurrencyOnEventLoops()
        try await Taizhang.run {
            if reset {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            }
            var settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            settings.database = .sqlite(path: database)
            try await AppRunner.withApplication(settings: settings) { app in
                let summary = try await DemoSeeder.seed(on: app.db)
                print(summary.lines.joined(separator: "\n"))
                print("")
                print(DemoAccounts.lines(try await DemoAccounts.prepare(on: app.db)).joined(separator: "\n"))
                guard !noServe else { return }
                print("\n演示地址：http://\(server.hostname):\(server.port)/   （Ctrl-C 停止）")
                // Into a file or a service manager's log, standard output is block-buffered: the
                // passwords must be there while the server runs, not when it stops.
                fflush(nil)
                try await AppRunner.serve(app, hostname: server.hostname, port: server.port, settings: settings)
            }
        }
    }
}
