import Foundation
import Vapor

/// What the red-flag page shows: the models its template reads.
extension RedFlagController {
    struct KindCount: Encodable {
        var label: String
        var count: Int
    }

    struct ChildRow: Encodable {
        var name: String
        var href: String
        /// Open flags listed under the child.
        var count: Int
        /// Organizations those flags concern.
        var records: Int
    }

    struct FlagRow: Encodable {
        var id: String
        var kind: String
        var sentence: String
        var records: [Link]
        /// 等另 N 个, when a flag concerns more records than are linked.
        var moreRecords: String?
    }

    struct DismissedRow: Encodable {
        var id: String
        var kind: String
        var sentence: String
        var reason: String
        var dismissedBy: String
        var dismissedAt: String
        var status: String
        var records: [Link]
    }

    struct PageModel: Encodable {
        var layout: LayoutContext
        var divisionName: String
        var divisionHref: String
        var breadcrumbs: [Link]
        var apiHref: String
        var dismissAction: String
        var openCount: Int
        var dismissedCount: Int
        var kinds: [KindCount]
        var children: [ChildRow]
        var childLevel: String
        var flags: [FlagRow]
        var truncated: Bool
        var pageLimit: Int
        var dismissed: [DismissedRow]
        var canDismiss: Bool
        var error: String?
    }
}
