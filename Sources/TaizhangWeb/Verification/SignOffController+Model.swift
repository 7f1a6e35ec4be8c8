import Foundation
import TaizhangCore
import TaizhangStore

/// What the sign-off pages show.
extension SignOffController {
    struct ListRow: Encodable {
        var id: Int
        var href: String
        var county: String
        var asOf: String
        var count: Int
        var sha256: String
        var hashMatches: Bool
        var signedBy: String
        var signedAt: String
        var isOpen: Bool
        var reopened: String?
        var reopenReason: String?

        init(_ signOff: SignOffStore.SignOff, name: String) {
            id = signOff.id
            href = SiteURL.signOff(.value(signOff.id)).path
            county = name
            asOf = signOff.asOf.description
            count = signOff.count
            sha256 = signOff.sha256
            hashMatches = signOff.hashMatches
            signedBy = signOff.signedBy
            signedAt = DisplayFormat.dateTime(signOff.signedAt)
            isOpen = signOff.isOpen
            reopened = signOff.reopenedAt.map { "\(signOff.reopenedBy ?? "") 于 \(DisplayFormat.dateTime($0)) 撤销" }
            reopenReason = signOff.reopenReason
        }
    }

    struct CountyOption: Encodable {
        var code: String
        var name: String
    }

    struct ListModel: Encodable {
        var layout: LayoutContext
        var rows: [ListRow]
        var counties: [CountyOption]
        var canSign: Bool
        var action: String
        var today: String
        var error: String?
    }

    struct OrganizationLink: Encodable {
        var code: String
        var name: String
        var href: String
    }

    struct DetailModel: Encodable {
        var layout: LayoutContext
        var row: ListRow
        var organizations: [OrganizationLink]
        var canReopen: Bool
        var reopenAction: String
        var listHref: String
        var error: String?
    }
}
