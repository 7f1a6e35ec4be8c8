import Foundation
import NIOConcurrencyHelpers
import NIOCore
import TaizhangStore
import Vapor

/// Runs the reminder pass about every `interval` inside the server, from boot to shutdown. Several
/// instances on one database each run one of these; the job's lease in the database lets one of
/// them at a time do the work, and another takes over when it stops renewing.
final class ReminderScheduler: LifecycleHandler, Sendable {
    let holder: String
    let interval: TimeAmount
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(interval: TimeAmount, holder: String = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))") {
        self.interval = interval
        self.holder = holder
    }

    func didBootAsync(_ app: Application) async throws {
        let holder = holder
        let seconds = Double(interval.nanoseconds) / 1_000_000_000
        let logger = app.logger
        task.withLockedValue {
            $0 = Task {
                while !Task.isCancelled {
                    do {
                        let outcome = try await ReminderPass.run(app, lease: (holder, max(seconds * 2, 30)))
                        if outcome.ran, outcome != ReminderPass.Outcome() { logger.info("提醒：\(outcome.summary)") }
                    } catch {
                        logger.error("提醒任务出错：\(error)")
                    }
                    try? await Task.sleep(for: .nanoseconds(Int64(seconds * 1_000_000_000)))
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        let running = task.withLockedValue { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
        try? await JobLease.release(ReminderPass.job, holder: holder, on: app.db)
    }
}
