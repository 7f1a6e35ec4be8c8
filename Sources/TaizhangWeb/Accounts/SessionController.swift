import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// Signing in and out.
enum SessionController {

    static func form(_ req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.home.path) }
        return try await render(req, username: "", error: nil, status: .ok)
    }

    private static func render(_ req: Request, username: String, error: String?, status: HTTPStatus) async throws -> Response {
        let token = AuthService.generateSecret()
        let page = LoginPage(layout: LayoutContext(title: "登录", area: nil, request: req),
                             next: safeNext(try? req.query.get(String.self, at: "next"), routes: req.application.routes),
                             username: username, loginCSRF: token, error: error)
        let response = try await req.view.render("login", page).encodeResponse(status: status, for: req)
        response.cookies[AuthService.loginCSRFCookie] = HTTPCookies.Value(
            string: token, maxAge: 3600, path: SiteURL.login.path, isSecure: req.isSecure, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    struct LoginForm: Content {
        var username: String
        var password: String
        var next: String?
        var _csrf: String?
    }

    static func login(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        // Double-submit check: the form must carry the token the login page set as a cookie.
        guard let cookie = req.cookies[AuthService.loginCSRFCookie]?.string, cookie == form._csrf else {
            return try await render(req, username: form.username, error: "登录表单已过期，请重新输入", status: .forbidden)
        }
        do {
            let signedIn = try await AuthService.signIn(username: form.username, password: form.password, request: req)
            let response = req.redirect(to: safeNext(form.next, routes: req.application.routes), redirectType: .normal)
            response.cookies[AuthService.sessionCookie] = AuthService.sessionCookie(signedIn.cookieValue, secure: req.isSecure)
            response.cookies[AuthService.loginCSRFCookie] = HTTPCookies.Value(
                string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: SiteURL.login.path, isSecure: req.isSecure,
                isHTTPOnly: true, sameSite: .strict)  // the path it was set with, or the browser keeps it
            return response
        } catch let error as Refusal {
            let status: HTTPStatus = error.kind == .forbidden ? .tooManyRequests : .unauthorized
            let response = try await render(req, username: form.username, error: error.message, status: status)
            if status == .tooManyRequests {
                // The throttle counts failures over a sliding window; after it, tries are counted afresh.
                response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(AuthService.throttleWindow)))
            }
            return response
        }
    }

    static func logout(_ req: Request) async throws -> Response {
        if let user = req.currentUser, let hash = user.sessionTokenHash {
            try await writeTransaction(on: req.db) { [actor = req.actor] db in
                try await SessionStore.delete(tokenHash: hash, on: db)
                try await AuditLog.record("logout", entityType: "user", entityID: user.username, divisionPath: nil,
                                          before: nil, after: nil, by: actor, on: db)
            }
        }
        let response = req.redirect(to: SiteURL.login.path, redirectType: .normal)
        response.cookies[AuthService.sessionCookie] = .expired
        return response
    }

    /// Only a page of this site: a path (no scheme, no host, no `//` or `\\` that a browser would
    /// read as another host, no control characters or white space that a browser drops or that
    /// could split the Location header) that a GET route of the app matches. Anything else goes home.
    static func safeNext(_ next: String?, routes: Routes) -> String {
        func hasControlOrSpace(_ text: String) -> Bool {
            text.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
        }
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !hasControlOrSpace(next),
              !hasControlOrSpace(next.removingPercentEncoding ?? next),
              let components = URLComponents(string: next), components.host == nil, components.scheme == nil,
              routes.hasPage(at: components.path) else { return SiteURL.home.path }
        return next
    }
}
