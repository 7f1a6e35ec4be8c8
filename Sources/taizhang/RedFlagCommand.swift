import ArgumentParser
import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangWeb

/// `taizhang red-flags [--division CODE]`: the open red flags of a division, counted by kind (and
/// listed with --list), with the time each computation took — for scripts and the benchmark. The
/// first run checks every township; later runs, as the site does, only those whose ledger changed
/// (none, unless another process writes meanwhile) — or everything each time with --whole.
struct RedFlagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "red-flags", abstract: "计算数据预警：按类别统计某地区待处理的预警（--list 逐条列出），并显示计算用时。")

    @Option(help: "地区代码（如 3505、350582）；默认为全部")
    var division: String?

    @Option(help: "按这一天计算（YYYY-MM-DD），默认今天")
    var today: String?

    @Option(help: "计算几次（显示每次用时）")
    var runs = 1

    @Flag(help: "逐条列出待处理的预警")
    var list = false

    @Flag(help: "每次都从头计算全部乡镇（默认：第 1 次计算全部乡镇并按乡镇保留，之后只重算台账有变动的乡镇，与网站相同）")
    var whole = false

    func run() async throws {
        try await Taizhang.run {
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            let day = try today.map { text in
                guard let day = CalendarDay(iso: text) else { throw Refusal("--today：「\(text)」不是 YYYY-MM-DD 格式的日期") }
                return day
            } ?? CalendarDay.today()
            try await AppRunner.withApplication(settings: settings) { app in
                var scope = Scope.everywhere
                if let division {
                    guard let found = try await DivisionQueries.find(division, on: app.db) else { throw Refusal.notFound("找不到代码为「\(division)」的行政区划") }
                    scope = .within(found.path)
                }
                let context = try await RedFlagStore.context(for: scope, settings: RedFlagSettings(checks: settings.organizationChecks),
                                                             today: day, on: app.db)
                var listing: RedFlagStore.Listing?
                let parts = whole ? nil : RedFlagParts(maxBytes: settings.redFlagCacheBytes)
                for run in 1...max(1, runs) {
                    let clock = ContinuousClock.now
                    listing = try await RedFlagStore.listing(in: scope, context, parts: parts, on: app.db)
                    let elapsed = ContinuousClock.now - clock
                    print("第 \(run) 次：\(String(format: "%.3f", Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))) 秒")
                }
                guard let listing else { return }
                let counts = Dictionary(grouping: listing.open, by: \.kind).mapValues(\.count)
                print("待处理预警 \(listing.open.count) 条，已忽略 \(listing.dismissed.count) 条；截止日 \(context.cutoffs.count) 个")
                for kind in RedFlagKind.allCases { print("  \(kind.label)：\(counts[kind] ?? 0)") }
                if list { for flag in listing.open { print("[\(flag.kind.label)] \(flag.sentence)") } }
            }
        }
    }
}
