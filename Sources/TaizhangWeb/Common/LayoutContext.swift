import LeafKit
import TaizhangCore
import Vapor

/// The areas of the interface, in the order the navigation shows them. An area whose
/// pages are not built yet is shown greyed out, so cadres see what is coming.
enum Area: String, CaseIterable, Encodable {
    case home, ledger, targets, reports, bulletins, verification, liaisons, talent, conferences, demonstration, library, assessment, divisions, users, audit

    var label: String {
        switch self {
        case .home: "首页"
        case .ledger: "台账"
        case .targets: "目标任务"
        case .reports: "报送"
        case .bulletins: "通报"
        case .verification: "核查"
        case .liaisons: "挂钩联系"
        case .talent: "人才库"
        case .conferences: "联席会"
        case .demonstration: "示范典型"
        case .library: "工作资料"
        case .assessment: "考评"
        case .divisions: "行政区划"
        case .users: "用户管理"
        case .audit: "审计日志"
        }
    }

    /// The area's page, or nil while it is not built.
    var href: String? {
        switch self {
        case .home: SiteURL.home.path
        case .ledger: SiteURL.ledger.path
        case .targets: SiteURL.campaigns.path
        case .reports: SiteURL.latestReports.path
        case .bulletins: SiteURL.latestBulletins.path
        case .verification: SiteURL.verification.path
        case .liaisons: SiteURL.liaisons.path
        case .talent: SiteURL.talents.path
        case .divisions: SiteURL.divisions.path
        case .users: SiteURL.users.path
        case .audit: SiteURL.audit.path
        case .assessment: SiteURL.assessments.path
        case .conferences: SiteURL.conferences.path
        case .demonstration: SiteURL.demonstrations.path
        case .library: SiteURL.library.path
        default: nil
        }
    }

    /// Shown only to users whose role carries this permission somewhere.
    var requiredPermission: Permission? {
        switch self {
        case .users: .manageUsers
        case .audit: .viewAudit
        default: nil
        }
    }
}

/// What every page's frame needs: its title, the navigation, who is signed in, the CSRF token
/// every form carries and the links to the parameter-free pages.
struct LayoutContext: Encodable {
    var title: String
    /// The main navigation's links, written here (`navigationHTML(for:active:)`).
    var navigationHTML: String
    var links = SiteLinks.shared
    var productName = "台账 · 乡镇实体化大团委建设"
    var userName: String?
    var roleSummary: String?
    var csrfToken: String
    /// The signed-in user's unread reminders (收件箱), counted once per request by the inbox's middleware.
    var unreadReminders = 0

    init(title: String, area: Area?, request: Request) {
        self.title = title
        let user = request.currentUser
        self.navigationHTML = user.map { Self.navigationHTML(for: $0.policy, active: area) } ?? ""
        self.userName = user?.displayName
        self.roleSummary = user.map { Array(Set($0.policy.grants.map(\.role.label))).sorted().joined(separator: "、") }
        self.csrfToken = user?.csrfToken ?? ""
        self.unreadReminders = request.unreadReminderCount ?? 0
    }

    /// The areas the user may open, the current one marked, and those still to come greyed out:
    /// on every page, so written in Swift rather than by the layout's template (a loop of some
    /// 15 items, each with its conditions, was a tenth of a ledger page's rendering).
    static func navigationHTML(for policy: AccessPolicy, active: Area?) -> String {
        var out = HTMLWriter(capacity: 1_024)
        for area in Area.allCases {
            if let permission = area.requiredPermission, !policy.allowsSomewhere(permission) { continue }
            guard let href = area.href else {
                out.markup("<span class=\"soon\" title=\"即将上线\">")
                out.text(area.label)
                out.markup("</span>")
                continue
            }
            out.markup("<a href=\"")
            out.text(href)
            out.markup(area == active ? "\" class=\"active\" aria-current=\"page\">" : "\">")
            out.text(area.label)
            out.markup("</a>")
        }
        return out.html
    }
}

extension Request {
    private struct UnreadReminderCountKey: StorageKey {
        typealias Value = Int
    }

    /// The signed-in user's unread reminders, set before the handler runs (nil when not counted).
    var unreadReminderCount: Int? {
        get { storage[UnreadReminderCountKey.self] }
        set { storage[UnreadReminderCountKey.self] = newValue }
    }
}

/// Leaf takes the frame as its own value instead of walking it through `Encodable` key by key on
/// every page: the same keys and values (a missing name is left out, as `Encodable` leaves it).
extension LayoutContext: LeafDataRepresentable {
    var leafData: LeafData {
        var values: [String: LeafData] = [
            "title": .string(title), "navigationHTML": .string(navigationHTML), "links": links.leafData,
            "productName": .string(productName), "csrfToken": .string(csrfToken), "unreadReminders": .int(unreadReminders),
        ]
        if let userName { values["userName"] = .string(userName) }
        if let roleSummary { values["roleSummary"] = .string(roleSummary) }
        return .dictionary(values)
    }
}
