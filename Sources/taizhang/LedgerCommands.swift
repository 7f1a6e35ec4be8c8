import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import TaizhangWeb

/// `taizhang import FILE [--dry-run]`: the web import's preview and commit, for scripts.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "导入团组织台账（.xlsx 或 .csv，按表头识别各列）。先显示预览；有退回的行则一行都不导入并以非零状态退出。")

    @Argument(help: "要导入的文件")
    var file: String

    @Flag(help: "只预览，不写入")
    var dryRun = false

    func run() async throws {
        try await Taizhang.run {
            let url = URL(fileURLWithPath: file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw Refusal("文件「\(file)」不存在")
            }
            let reader = try TabularFileReader(url: url)
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            let started = Date()
            let (preview, committed) = try await AppRunner.withApplication(settings: settings) { app in
                try await LedgerImporter.run(reader, fileName: url.lastPathComponent, dryRun: dryRun, scope: .everywhere,
                                             checks: settings.organizationChecks, by: .commandLine("import"), on: app.db)
            }
            print(preview.summaryLine)
            if !preview.unknownHeaders.isEmpty { print("已忽略不认识的列：\(preview.unknownHeaders.joined(separator: "、"))") }
            for row in preview.ignoredRows { print("未读取：第 \(row.rowNumber) 行（\(row.reason.rawValue)）\(row.text)") }
            for warning in preview.warnings.prefix(50) { print("提醒：\(warning)") }
            for problem in preview.rejected { print("退回：\(problem.message)") }
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            if !preview.rejected.isEmpty {
                FileHandle.standardError.write(Data("错误：有 \(preview.rejectedRowCount) 行被退回，未导入任何数据\n".utf8))
                throw ExitCode(1)
            }
            print(committed ? "已导入（\(seconds) 秒）" : "（预览，未写入；\(seconds) 秒）")
        }
    }
}

/// `taizhang export --output FILE [filters]`: a filtered ledger as XLSX or CSV.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "导出团组织台账；按 --output 的扩展名写成 .xlsx 或 .csv。")

    @Option(help: "输出文件（.xlsx 或 .csv）")
    var output: String

    @Option(help: "只导出这个区划之下（如 350582）")
    var division: String?

    @Option(help: "建设阶段（中文名或代码，多个用逗号分隔）")
    var stage: String?

    @Option(help: "名称、编码或书记姓名包含")
    var q: String?

    func run() async throws {
        try await Taizhang.run {
            guard let format = LedgerExporter.Format(fileName: output) else {
                throw Refusal("--output：「\(output)」应以 .xlsx 或 .csv 结尾")
            }
            var filter = LedgerFilter()
            if let text = stage?.nilIfBlank {
                filter.stages = try Stage.list(text, field: "--stage")
            }
            filter.text = q
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            let started = Date()
            let count = try await AppRunner.withApplication(settings: settings) { app in
                if let code = division?.nilIfBlank {
                    guard let found = try await DivisionQueries.find(code, on: app.db) else {
                        throw InvalidInput(field: "--division", reason: "找不到代码为「\(code)」的行政区划")
                    }
                    filter.scope = .within(found.path)
                }
                return try await LedgerExporter.write(filter, to: URL(fileURLWithPath: output), format: format, on: app.db)
            }
            print("已导出 \(count) 个团组织到 \(output)（\(String(format: "%.2f", Date().timeIntervalSince(started))) 秒）")
        }
    }
}
