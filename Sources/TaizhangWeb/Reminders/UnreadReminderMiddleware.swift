import TaizhangStore
import Vapor

/// The signed-in user's unread reminders for the header's 收件箱, on every page: counted once
/// per reminders version (raised by triggers whenever a reminder is added, removed, read or
/// unread), so a page costs no query for it until the user's reminders change.
struct UnreadReminderMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let user = req.currentUser, !req.url.path.hasPrefix("/api/") {
            req.unreadReminderCount = try? await req.application.unreadReminderCounts.value(
                user.id.uuidString, at: try await req.dataVersions().reminders
            ) { try await ReminderStore.unreadCount(user.id, on: req.db) }
        }
        return try await next.respond(to: req)
    }
}

extension Application {
    private struct UnreadReminderCountsKey: StorageKey {
        typealias Value = VersionedCache<Int>
    }

    /// Unread reminders by user, under the reminders version. Set up by `configure`.
    var unreadReminderCounts: VersionedCache<Int> {
        get { storage[UnreadReminderCountsKey.self] ?? VersionedCache(capacity: 0) }
        set { storage[UnreadReminderCountsKey.self] = newValue }
    }

    static func makeUnreadReminderCounts() -> VersionedCache<Int> {
        VersionedCache(capacity: 100_000)
    }
}
