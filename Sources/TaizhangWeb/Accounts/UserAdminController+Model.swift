import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `UserAdminController` show: the models their templates read.
extension UserAdminController {
    struct UserRow: Encodable {
        var href: String
        var username: String
        var displayName: String
        var phone: String
        var active: Bool
        var grants: String
    }

    struct RoleOption: Encodable {
        var value: String
        var label: String
    }

    struct UsersPage: Encodable {
        var layout: LayoutContext
        var users: [UserRow]
        var roles: [RoleOption]
        var defaultDivision: String
        var created: CreatedUser?
        var error: String?
        /// What was typed into the new-user form, kept when it was refused.
        var form: NewUserForm?
    }

    struct UserPage: Encodable {
        var layout: LayoutContext
        var user: UserRow
        var grantsAction: String
        var profileAction: String
        var passwordAction: String
        var activeAction: String
        var grants: [GrantView]
        var roles: [RoleOption]
        var newPassword: String?
        var error: String?
        /// What was typed into a form that was refused, shown again.
        var grantForm: GrantForm?
        var profile: ProfileForm
    }
}
