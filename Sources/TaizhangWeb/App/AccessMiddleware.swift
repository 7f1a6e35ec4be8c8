import TaizhangCore
import TaizhangStore
import Vapor

/// Identifies the user (API token or session cookie), then enforces the route's declared
/// `RouteAccess` and, for browser sessions, the CSRF token on every state-changing request.
struct AccessMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await identify(req)
        guard let route = req.route else {
            // A path the site has, asked with a method it does not serve (TRACE, DELETE …): 405 with Allow.
            let allowed = req.application.routes.methods(at: req.url.path)
            if !allowed.isEmpty {
                let response = Response(status: .methodNotAllowed)
                response.headers.replaceOrAdd(name: .allow, value: Set(allowed.map(\.rawValue) + (allowed.contains(.GET) ? ["HEAD"] : [])).sorted().joined(separator: ", "))
                return response
            }
            return try await next.respond(to: req)  // no such route: the router answers 404
        }
        guard let access = route.declaredAccess else {
            req.logger.error("route \(route.method) \(route.path) declares no access; refusing")
            throw AccessDenied.missingPermission
        }
        if case .open = access { return try await next.respond(to: req) }
        guard let user = req.currentUser else {
            if req.url.path.hasPrefix("/api/") {
                throw Refusal("需要登录：请在 Authorization 头中提供 Bearer 令牌", kind: .unauthorized)
            }
            let target = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
            let next = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? SiteURL.home.path
            return req.redirect(to: SiteURL.login.path + "?next=" + next)
        }
        do {
            if user.mustChangePassword, user.sessionTokenHash != nil, !Self.allowedBeforePasswordChange.contains(route.path.map(\.description)) {
                guard [.GET, .HEAD].contains(req.method) else {
                    throw Refusal("请先修改管理员给您的初始密码（我的账号 → 修改密码），再进行其他操作", kind: .forbidden)
                }
                return req.redirect(to: SiteURL.account.path + "?initial=1")
            }
            if user.sessionTokenHash != nil, ![.GET, .HEAD].contains(req.method) {
                try await checkCSRF(req, route: route, expected: user.csrfToken)
            }
            switch access {
            case .open, .signedIn:
                break
            case .onDivision(let permission, let parameter):
                let code = try req.parameters.require(parameter)
                try await req.authorize(permission, divisionCode: code)
            case .onOrganization(let permission):
                try await req.authorizeOrganization(permission, code: try req.parameters.require("code"))
            case .onCampaign(let permission):
                try await req.authorizeCampaign(permission)
            case .somewhere(let permission):
                guard user.policy.allowsSomewhere(permission) else { throw AccessDenied.missingPermission }
            }
        } catch let error as any UserFacingError {
            await recordRefusal("access.denied", reason: error.message, req)
            throw error
        }
        guard ![.GET, .HEAD].contains(req.method) else { return try await next.respond(to: req) }
        // A write the handler refused (bad input, conflict, out of scope) changed nothing,
        // but the attempt is on the record with its reason.
        do {
            let response = try await next.respond(to: req)
            if (400..<500).contains(response.status.code) {
                await recordRefusal("request.refused", reason: req.refusalReason ?? response.status.reasonPhrase, req)
            }
            return response
        } catch let error as any UserFacingError {
            await recordRefusal("request.refused", reason: error.message, req)
            throw error
        }
    }

    /// What a user whose password was handed out may do before changing it.
    static let allowedBeforePasswordChange: Set<[String]> = Set([SiteURL.account, .accountPassword, .logout].map {
        $0.pathComponents.map(\.description)
    })

    /// Every refusal is on the record, with who asked for what and why.
    private func recordRefusal(_ action: String, reason: String, _ req: Request) async {
        do {
            try await AuditLog.record(action, entityType: "route", entityID: "\(req.method) \(req.url.path)",
                                      divisionPath: req.auditPath, before: nil, after: ["reason": reason], by: req.actor, on: req.db)
        } catch {
            req.logger.error("could not record refusal of \(req.method) \(req.url.path): \(String(reflecting: error))")
        }
    }

    /// Finds the user of the request's API token or session cookie. A user found in the last
    /// minute is taken from the cache while the setup version is unchanged (a sign-out, a
    /// revoked token, a changed account, role or division anywhere raises it; ledger writes do not).
    private func identify(_ req: Request) async throws {
        if let bearer = req.headers.bearerAuthorization {
            req.currentUser = try await cachedIdentity("token:", secret: bearer.token, req) { hash in
                guard let token = try await APITokenStore.active(tokenHash: hash, on: req.db),
                      let user = try await User.find(token.userID, on: req.db), user.isActive else {
                    try await AuditLog.record("token.refused", entityType: "token", entityID: nil, divisionPath: nil,
                                              before: nil, after: ["path": req.url.path],
                                              by: Actor(userID: nil, name: "未知令牌", clientAddress: req.clientAddress), on: req.db)
                    throw Refusal("令牌无效、已吊销或其用户已停用", kind: .unauthorized)
                }
                if token.lastUsedAt.map({ Date().timeIntervalSince($0) > 60 }) ?? true {
                    token.lastUsedAt = Date()
                    try await token.save(on: req.db)
                }
                return CachedIdentity(user: try await AuthService.currentUser(user, session: nil, on: req.db),
                                      expiresAt: nil, lastSeenAt: token.lastUsedAt ?? Date())
            }
        } else if let cookie = req.cookies[AuthService.sessionCookie]?.string {
            req.currentUser = try await cachedIdentity("session:", secret: cookie, req) { hash in
                guard let session = try await SessionStore.valid(tokenHash: hash, idleTimeout: AuthService.idleTimeout, on: req.db),
                      let user = try await User.find(session.userID, on: req.db), user.isActive else { return nil }
                // Reusable while the session is neither past its end nor idle for longer than allowed.
                return CachedIdentity(user: try await AuthService.currentUser(user, session: session, on: req.db),
                                      expiresAt: min(session.expiresAt, session.lastSeenAt.addingTimeInterval(AuthService.idleTimeout)),
                                      lastSeenAt: session.lastSeenAt)
            }
        }
    }

    /// The user of a token or session secret: from the identity cache while reusable, else `find`'s
    /// (given the secret's hash), which is cached for the next request.
    private func cachedIdentity(
        _ kind: String, secret: String, _ req: Request, find: (String) async throws -> CachedIdentity?
    ) async throws -> CurrentUser? {
        let hash = AuthService.hashSecret(secret)
        let version = try await req.setupVersion()
        if let cached = req.application.identityCache.value(kind + hash, at: version), cached.isReusable() {
            return cached.user
        }
        guard let found = try await find(hash) else { return nil }
        req.application.identityCache.store(found, for: kind + hash, at: version)
        return found.user
    }

    /// A form's token travels in its body, which the route collects only after the middleware has
    /// run: a body larger than the first chunk read from the socket (an uploaded file) is still a
    /// stream here. It is collected now, up to the route's own limit, and the route then finds it
    /// collected.
    private func checkCSRF(_ req: Request, route: Route, expected: String?) async throws {
        var sent = req.headers.first(name: "X-CSRF-Token")
        if sent == nil {
            if req.body.data == nil {
                _ = try await req.body.collect(max: route.bodyLimit?.value ?? req.application.routes.defaultMaxBodySize.value).get()
            }
            sent = try? req.content.get(String.self, at: "_csrf")
        }
        guard let expected, let sent, sent == expected else {
            req.logger.warning("CSRF token missing or wrong for \(req.method) \(req.url.path)")
            throw Refusal("表单已过期或来源不明（CSRF 校验失败）：请刷新页面后重新提交", kind: .forbidden)
        }
    }
}
