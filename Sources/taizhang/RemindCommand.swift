import ArgumentParser
import Foundation
import TaizhangWeb

/// `taizhang remind --now`: runs the reminder job once (queue the 催报 / 催办 reminders due now,
/// mail what is waiting) and says what it did. The server runs the same job every minute.
struct RemindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind", abstract: "催报、催办提醒：--now 立即运行一次（生成到时的提醒，发送待发邮件）；服务运行时每分钟自动运行。")

    @Flag(help: "立即运行一次")
    var now = false

    func validate() throws {
        guard now else { throw ValidationError("请加 --now 立即运行一次提醒任务（服务运行时会自动定时运行）") }
    }

    func run() async throws {
        try await Taizhang.run {
            let settings = try AppSettings.fromEnvironment(ProcessInfo.processInfo.environment)
            try await AppRunner.withApplication(settings: settings) { app in
                print(try await ReminderJob.runNow(app))
            }
        }
    }
}
