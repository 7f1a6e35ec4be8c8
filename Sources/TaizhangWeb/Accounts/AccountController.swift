import TaizhangCore
import TaizhangStore
import Vapor

/// The signed-in user's own account: password and personal API tokens.
enum AccountController {

    static func show(_ req: Request) async throws -> View {
        try await render(req)
    }

    static func render(_ req: Request, newToken: String? = nil, message: String? = nil, error: String? = nil) async throws -> View {
        let user = try req.requireUser()
        let tokens = try await APITokenStore.list(userID: user.id, on: req.db)
        let grants = try await AccountStore.grantRows(of: user.id, on: req.db)
        return try await req.view.render("account", AccountPage(
            layout: LayoutContext(title: "我的账号", area: nil, request: req),
            username: user.username,
            grants: grants.map { GrantRow(role: $0.grant.role.label, divisionName: $0.divisionName, divisionCode: $0.grant.divisionCode,
                                  divisionHref: SiteURL.divisionPage($0.grant.divisionCode).path) },
            tokens: tokens.map {
                TokenRow(revokeAction: SiteURL.accountTokenRevoke(.value($0.id!)).path, name: $0.name,
                         createdAt: DisplayFormat.dateTime($0.createdAt),
                         lastUsedAt: $0.lastUsedAt.map(DisplayFormat.dateTime) ?? "从未使用", revoked: $0.revokedAt != nil)
            },
            hasTokens: !tokens.isEmpty, newToken: newToken,
            message: message ?? (user.mustChangePassword ? "您正在使用管理员生成的初始密码：请先在下面修改密码，之后才能使用其他功能。" : nil),
            error: error))
    }

    struct PasswordForm: Content {
        var currentPassword: String
        var newPassword: String
        var confirmPassword: String
    }

    static func changePassword(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(PasswordForm.self)
        do {
            let stored = try await AccountStore.requireUser(user.id, on: req.db)
            let hash = stored.passwordHash
            guard try await req.application.threadPool.runIfActive({ try Bcrypt.verify(form.currentPassword, created: hash) }) else {
                throw Refusal("当前密码：不正确")
            }
            guard form.newPassword == form.confirmPassword else { throw Refusal("确认密码：两次输入的新密码不一致") }
            try AuthService.checkPasswordRules(form.newPassword)
            let newHash = try await req.application.threadPool.runIfActive { try AuthService.hashPassword(form.newPassword) }
            try await AccountStore.setPassword(userID: user.id, hash: newHash, by: req.actor, on: req.db)
            // All sessions ended with the change, this one too: sign in again with the new password.
            let response = req.redirect(to: SiteURL.login.path, redirectType: .normal)
            response.cookies[AuthService.sessionCookie] = .expired
            return response
        } catch let error as Refusal {
            req.refusalReason = error.message
            let response = try await render(req, error: error.message).encodeResponse(for: req)
            response.status = .badRequest
            return response
        }
    }

    struct TokenForm: Content {
        var name: String
    }

    static func createToken(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(TokenForm.self)
        let secret: String
        do {
            secret = try await AuthService.issueAPIToken(userID: user.id, name: form.name, by: req.actor, on: req.db)
        } catch let error as Refusal {
            req.refusalReason = error.message
            let response = try await render(req, error: error.message).encodeResponse(for: req)
            response.status = .badRequest
            return response
        }
        return try await render(req, newToken: secret, message: "令牌已生成。它只显示这一次，请立即复制保存。").encodeResponse(for: req)
    }

    static func revokeToken(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = UUID(uuidString: try req.parameters.require("tokenID")) else { throw Abort(.notFound) }
        try await APITokenStore.revoke(tokenID: id, ownedBy: user.id, by: req.actor, on: req.db)
        return req.redirect(to: SiteURL.account.path, redirectType: .normal)
    }

    struct MeResponse: Content {
        struct GrantJSON: Content {
            var role: Role
            var roleLabel: String
            var divisionCode: String
        }
        var username: String
        var displayName: String
        var grants: [GrantJSON]
    }

    static func me(_ req: Request) async throws -> MeResponse {
        let user = try req.requireUser()
        return MeResponse(username: user.username, displayName: user.displayName,
                          grants: user.policy.grants.map { .init(role: $0.role, roleLabel: $0.role.label, divisionCode: $0.divisionCode) })
    }
}
