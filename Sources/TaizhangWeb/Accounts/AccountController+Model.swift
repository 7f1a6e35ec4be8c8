import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `AccountController` show: the models their templates read.
extension AccountController {
    struct TokenRow: Encodable {
        var revokeAction: String
        var name: String
        var createdAt: String
        var lastUsedAt: String
        var revoked: Bool
    }

    struct GrantRow: Encodable {
        var role: String
        var divisionName: String
        var divisionCode: String
        var divisionHref: String
    }

    struct AccountPage: Encodable {
        var layout: LayoutContext
        var username: String
        var grants: [GrantRow]
        var tokens: [TokenRow]
        var hasTokens: Bool
        var newToken: String?
        var message: String?
        var error: String?
    }
}
