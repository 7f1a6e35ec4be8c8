import Foundation
import TaizhangCore
import TaizhangTestSupport

/// The probes of the 收件箱 (reminders, issue 17 part 4): every signed-in user has an inbox of their own.
extension RouteAccessTests {
    static var reminderProbes: [Probe] {
        [
            Probe(method: .GET, route: "/inbox", requirement: .signedIn, path: { _ in "/inbox" }),
            Probe(method: .POST, route: "/inbox/read", requirement: .signedIn, path: { _ in "/inbox/read" }, form: ["all": "1"]),
            Probe(method: .POST, route: "/inbox/mail-address", requirement: .signedIn, path: { _ in "/inbox/mail-address" },
                  form: ["address": "probe@example.org"]),
            Probe(method: .GET, route: "/api/v1/inbox", requirement: .signedIn, path: { _ in "/api/v1/inbox?unread=1" }),
            Probe(method: .POST, route: "/api/v1/inbox/read", requirement: .signedIn, path: { _ in "/api/v1/inbox/read" }, json: { "{}" }),
        ]
    }
}
