import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `TalentController` show: the models their templates read.
extension TalentController {
    struct TalentRow: Encodable {
        var assignAction: String
        var name: String
        var category: String
        var township: String
        var unit: String
        var phone: String
        var assignments: String
    }

    struct PageModel: Encodable {
        var layout: LayoutContext
        var talents: [TalentRow]
        var hasTalents: Bool
        var categories: [OrganizationController.Option]
        var roles: [OrganizationController.Option]
        var townships: [OrganizationController.Option]
        var hasTownships: Bool
        var canEdit: Bool
        var error: String?
    }
}
