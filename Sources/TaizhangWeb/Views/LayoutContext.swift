import Vapor

/// The areas of the interface, in the order the navigation shows them. An area whose
/// pages are not built yet is shown greyed out, so cadres see what is coming.
enum Area: String, CaseIterable, Encodable {
    case home, ledger, targets, reports, bulletins, verification, liaisons, talent, conferences, assessment, divisions, audit

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
        case .assessment: "考评"
        case .divisions: "行政区划"
        case .audit: "审计日志"
        }
    }

    /// The area's page, or nil while it is not built.
    var href: String? {
        switch self {
        case .home: "/"
        case .divisions: "/divisions"
        default: nil
        }
    }
}

struct NavigationItem: Encodable {
    var label: String
    var href: String?
    var active: Bool
}

/// What every page's frame needs: its title and the navigation.
struct LayoutContext: Encodable {
    var title: String
    var navigation: [NavigationItem]
    var productName = "台账 · 乡镇实体化大团委建设"

    init(title: String, area: Area?, request: Request) {
        self.title = title
        self.navigation = Area.allCases.map {
            NavigationItem(label: $0.label, href: $0.href, active: $0 == area)
        }
    }
}
