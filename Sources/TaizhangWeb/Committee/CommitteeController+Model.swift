import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `CommitteeController` show: the models their templates read.
extension CommitteeController {
    struct MemberRow: Encodable {
        var id: String
        var name: String
        var position: String
        var sourceUnit: String
        var workload: String
        var phone: String
        var organizations: [OrganizationLink]
    }

    struct OrganizationLink: Encodable {
        var code: String
        var name: String
        var href: String

        init(code: String, name: String) {
            self.code = code
            self.name = name
            self.href = SiteURL.organization(.value(code)).path
        }
    }

    struct PageModel: Encodable {
        var layout: LayoutContext
        var code: String
        var townshipHref: String
        var membersAction: String
        var linksAction: String
        var townshipName: String
        var committeeName: String
        var members: [MemberRow]
        var hasMembers: Bool
        var positions: [OrganizationController.Option]
        var organizations: [OrganizationLink]
        var canEdit: Bool
        var error: String?
    }
}
