import TaizhangCore
import TaizhangStore
import Vapor

/// Creating users and granting roles, within the administrator's own subtrees.
enum UserAdminController {

    struct CreatedUser: Encodable {
        var username: String
        var password: String
    }

    static func roleOptions(for policy: AccessPolicy) -> [RoleOption] {
        // Lowest first, so the default is the least powerful role; only roles the viewer may give.
        let highest = policy.grants.filter { $0.role.permissions.contains(.manageUsers) }.map(\.role.seniority).max() ?? 0
        return Role.allCases.filter { $0.seniority <= highest }.sorted { $0.seniority < $1.seniority }
            .map { RoleOption(value: $0.rawValue, label: $0.label) }
    }

    static func index(_ req: Request) async throws -> View {
        try await renderIndex(req)
    }

    private static func renderIndex(_ req: Request, created: CreatedUser? = nil, error: String? = nil,
                                    form: NewUserForm? = nil) async throws -> View {
        let viewer = try req.requireUser()
        let users = try await AccountStore.users(manageableBy: viewer.policy, on: req.db)
        var rows: [UserRow] = []
        for user in users {
            let grants = try await AccountStore.grantRows(of: user.id!, on: req.db)
            rows.append(UserRow(href: SiteURL.user(.value(user.id!)).path, username: user.username, displayName: user.displayName,
                                phone: user.phone ?? "", active: user.isActive,
                                grants: grants.map { "\($0.grant.role.label)·\($0.divisionName)" }.joined(separator: "；")))
        }
        return try await req.view.render("users", UsersPage(
            layout: LayoutContext(title: "用户管理", area: .users, request: req), users: rows,
            roles: roleOptions(for: viewer.policy),
            defaultDivision: viewer.policy.grants.first { $0.role.permissions.contains(.manageUsers) }?.divisionCode ?? "",
            created: created, error: error, form: form))
    }

    struct NewUserForm: Content {
        var username: String
        var displayName: String
        var phone: String?
        var role: String
        var divisionCode: String
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(NewUserForm.self)
        do {
            let role = try parseRole(form.role)
            let divisionCode = try await divisionCode(req, form.divisionCode)
            try await checkMayGrant(req, role: role, divisionCode: divisionCode)
            let password = AuthService.generatePassword()
            let hash = try await req.application.threadPool.runIfActive { try AuthService.hashPassword(password) }
            _ = try await AccountStore.createUser(
                .init(username: form.username, displayName: form.displayName, phone: form.phone, passwordHash: hash,
                      grants: [(role, divisionCode)], mustChangePassword: true),
                by: req.actor, on: req.db)
            return try await renderIndex(req, created: CreatedUser(username: form.username, password: password)).encodeResponse(for: req)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            let response = try await renderIndex(req, error: error.message, form: form).encodeResponse(for: req)
            response.status = ErrorPresentation(error).status
            return response
        }
    }

    static func parseRole(_ text: String) throws -> Role {
        guard let role = Role(text: text) else { throw Refusal("角色：未知角色「\(text)」") }
        return role
    }

    /// A grant's 范围 as typed: a division code (or CN), or the name of a city, county or township
    /// that is unique where the administrator manages users; a name used twice is refused with
    /// each namesake and its code.
    static func divisionCode(_ req: Request, _ text: String) async throws -> String {
        let typed = text.trimmingCharacters(in: .whitespaces)
        guard !typed.isEmpty else { throw Refusal("授权范围：不能为空，请填写区划代码或名称") }
        if typed.allSatisfy(\.isASCII) { return typed }
        let viewer = try req.requireUser()
        let scope: Scope = viewer.policy.isSystemAdmin ? .everywhere : viewer.policy.scope(for: .manageUsers)
        let found = try await AccountStore.divisions(named: typed, under: scope, on: req.db)
        switch found.count {
        case 0:
            throw Refusal("授权范围：您的管理范围内没有名为「\(typed)」的行政区划（请填写区划代码，或市、县、乡镇的全称）")
        case 1:
            return found[0].code
        default:
            let shown = found.prefix(12).map { "\($0.parentName)\($0.name)（\($0.code)）" }.joined(separator: "、")
            throw Refusal("授权范围：「\(typed)」有 \(found.count) 个同名行政区划，请改填其代码：\(shown)\(found.count > 12 ? "等" : "")")
        }
    }

    /// The one rule for giving roles: only inside one's own user-managing subtree, and a
    /// system administrator only by another.
    static func checkMayGrant(_ req: Request, role: Role, divisionCode: String) async throws {
        let viewer = try req.requireUser()
        let target = try await AccountStore.grantTarget(divisionCode, on: req.db)
        guard viewer.policy.mayGrant(role, at: target.path) else {
            throw AccessDenied(message: "授权范围：您不能在「\(target.name)」授予\(role.label)", kind: .forbidden)
        }
    }

    /// The user named in the URL, if the viewer may manage them; otherwise 404.
    static func manageableUser(_ req: Request) async throws -> User {
        let viewer = try req.requireUser()
        guard let id = UUID(uuidString: try req.parameters.require("userID")),
              let user = try await User.find(id, on: req.db) else { throw Refusal("找不到这个用户", kind: .notFound) }
        if viewer.policy.isSystemAdmin { return user }
        let grants = try await AccountStore.grants(of: id, on: req.db)
        guard grants.contains(where: { viewer.policy.allows(.manageUsers, at: $0.divisionPath) }) else {
            throw Refusal("找不到这个用户", kind: .notFound)
        }
        return user
    }

    struct GrantView: Encodable {
        var role: String
        var divisionName: String
        var divisionCode: String
        var divisionHref: String
        var deleteAction: String
        var grantedBy: String
        var grantedAt: String
    }

    static func show(_ req: Request) async throws -> View {
        try await renderUser(req, user: try await manageableUser(req))
    }

    private static func renderUser(_ req: Request, user: User, newPassword: String? = nil, error: String? = nil,
                                   grantForm: GrantForm? = nil, profile: ProfileForm? = nil) async throws -> View {
        let viewer = try req.requireUser()
        let grants = try await AccountStore.grantRows(of: user.id!, on: req.db)
        return try await req.view.render("user", UserPage(
            layout: LayoutContext(title: user.displayName, area: .users, request: req),
            user: UserRow(href: SiteURL.user(.value(user.id!)).path, username: user.username, displayName: user.displayName,
                          phone: user.phone ?? "", active: user.isActive, grants: ""),
            grantsAction: SiteURL.userGrants(.value(user.id!)).path, profileAction: SiteURL.userProfile(.value(user.id!)).path,
            passwordAction: SiteURL.userPassword(.value(user.id!)).path, activeAction: SiteURL.userActive(.value(user.id!)).path,
            grants: grants.map {
                GrantView(role: $0.grant.role.label, divisionName: $0.divisionName,
                          divisionCode: $0.grant.divisionCode, divisionHref: SiteURL.divisionPage($0.grant.divisionCode).path,
                          deleteAction: SiteURL.userGrantDelete(.value(user.id!), .value($0.id)).path, grantedBy: $0.grantedBy,
                          grantedAt: DisplayFormat.dateTime($0.grantedAt))
            },
            roles: roleOptions(for: viewer.policy), newPassword: newPassword, error: error, grantForm: grantForm,
            profile: profile ?? ProfileForm(displayName: user.displayName, phone: user.phone ?? "")))
    }

    struct GrantForm: Content {
        var role: String
        var divisionCode: String
    }

    static func addGrant(_ req: Request) async throws -> Response {
        let user = try await manageableUser(req)
        let form = try req.content.decode(GrantForm.self)
        do {
            let role = try parseRole(form.role)
            let divisionCode = try await divisionCode(req, form.divisionCode)
            try await checkMayGrant(req, role: role, divisionCode: divisionCode)
            try await AccountStore.addGrant(userID: user.id!, role: role, divisionCode: divisionCode, by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.user(.value(user.id!)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            let response = try await renderUser(req, user: user, error: error.message, grantForm: form).encodeResponse(for: req)
            response.status = ErrorPresentation(error).status
            return response
        }
    }

    static func removeGrant(_ req: Request) async throws -> Response {
        let user = try await manageableUser(req)
        guard let grantID = UUID(uuidString: try req.parameters.require("grantID")) else { throw Abort(.notFound) }
        let rows = try await AccountStore.grantRows(of: user.id!, on: req.db)
        guard let row = rows.first(where: { $0.id == grantID }) else { throw Refusal("找不到这条授权", kind: .notFound) }
        try await checkMayGrant(req, role: row.grant.role, divisionCode: row.grant.divisionCode)
        try await AccountStore.removeGrant(grantID: grantID, by: req.actor, on: req.db)
        return req.redirect(to: SiteURL.user(.value(user.id!)).path, redirectType: .normal)
    }

    struct ProfileForm: Content {
        var displayName: String?
        var phone: String?
    }

    /// `/admin/users/{id}/profile`: the user's name and phone, audited as 修改账号信息.
    static func updateProfile(_ req: Request) async throws -> Response {
        let user = try await manageableUser(req)
        let form = try req.content.decode(ProfileForm.self)
        do {
            try await AccountStore.updateProfile(userID: user.id!, .init(displayName: form.displayName ?? "", phone: form.phone),
                                                 by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.user(.value(user.id!)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            let response = try await renderUser(req, user: user, error: error.message, profile: form).encodeResponse(for: req)
            response.status = ErrorPresentation(error).status
            return response
        }
    }

    struct ActiveForm: Content {
        var active: String
    }

    static func setActive(_ req: Request) async throws -> Response {
        let user = try await manageableUser(req)
        let form = try req.content.decode(ActiveForm.self)
        guard user.id != (try req.requireUser()).id else { throw Refusal("不能停用自己的账号") }
        try await AccountStore.setActive(userID: user.id!, form.active == "1", by: req.actor, on: req.db)
        return req.redirect(to: SiteURL.user(.value(user.id!)).path, redirectType: .normal)
    }

    static func resetPassword(_ req: Request) async throws -> View {
        let user = try await manageableUser(req)
        let password = AuthService.generatePassword()
        let hash = try await req.application.threadPool.runIfActive { try AuthService.hashPassword(password) }
        try await AccountStore.setPassword(userID: user.id!, hash: hash, handedOut: true, by: req.actor, on: req.db)
        return try await renderUser(req, user: user, newPassword: password)
    }
}
