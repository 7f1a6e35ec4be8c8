import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangWeb
import Vapor

/// A user created for a test, with a password for the sign-in page and a personal API
/// token for scripts.
public struct TestUser: Sendable {
    public let id: UUID
    public let username: String
    public let password: String
    public let token: String

    public init(id: UUID, username: String, password: String, token: String) {
        self.id = id
        self.username = username
        self.password = password
        self.token = token
    }

    /// `Authorization: Bearer …` for API calls (pages accept it too).
    public var bearer: HTTPHeaders { ["Authorization": "Bearer \(token)"] }
}

/// Creates an account with `grants` through the same path the CLI and admin page use.
public func makeTestUser(
    _ app: Application, _ username: String = "admin",
    grants: [(role: Role, divisionCode: String)] = [(.systemAdmin, "CN")]
) async throws -> TestUser {
    let (user, password) = try await AuthService.createAccount(
        username: username, displayName: "测试用户 \(username)", grants: grants, by: testActor, on: app.db)
    let token = try await AuthService.issueAPIToken(userID: user.id!, name: "测试令牌", by: testActor, on: app.db)
    return TestUser(id: user.id!, username: username, password: password, token: token)
}

/// A browser session: signs in through the real login form and keeps its cookie; form
/// posts carry the page's CSRF token the way the browser would.
public struct BrowserSession: Sendable {
    public let app: Application
    public var cookie: String
    public var csrf: String

    public static func signIn(_ app: Application, _ user: TestUser) async throws -> BrowserSession {
        var loginCSRF = ""
        var loginCookie = ""
        try await app.testing().test(.GET, "/login") { res async throws in
            loginCookie = res.headers.setCookie?["taizhang_login_csrf"]?.string ?? ""
            loginCSRF = hiddenCSRF(in: res.body.string) ?? ""
        }
        var sessionCookie = ""
        var refusal: String?
        try await app.testing().test(.POST, "/login", beforeRequest: { req in
            req.headers.cookie = ["taizhang_login_csrf": .init(string: loginCookie)]
            try req.content.encode(["username": user.username, "password": user.password, "_csrf": loginCSRF], as: .urlEncodedForm)
        }, afterResponse: { res async throws in
            if res.status == .seeOther || res.status == .found {
                sessionCookie = res.headers.setCookie?["taizhang_session"]?.string ?? ""
            } else {
                refusal = "sign-in of \(user.username) answered \(res.status): \(res.body.string.prefix(300))"
            }
        })
        if let refusal { throw TestFailure(refusal) }
        var session = BrowserSession(app: app, cookie: sessionCookie, csrf: "")
        let home = try await session.get("/account")
        session.csrf = hiddenCSRF(in: home.body) ?? ""
        return session
    }

    /// The same signed-in browser talking to another app instance.
    public func on(_ other: Application) -> BrowserSession {
        BrowserSession(app: other, cookie: cookie, csrf: csrf)
    }

    public struct Page: Sendable {
        public var status: HTTPStatus
        public var body: String
        public var headers: HTTPHeaders
    }

    public func get(_ path: String) async throws -> Page {
        try await send(.GET, path, form: nil)
    }

    /// Posts a form with this session's CSRF token (unless `csrf` overrides it).
    public func post(_ path: String, _ form: [String: String], csrf: String? = nil) async throws -> Page {
        var fields = form
        fields["_csrf"] = csrf ?? self.csrf
        return try await send(.POST, path, form: fields)
    }

    /// Posts an already encoded form body (for repeated fields such as `tags[]`), adding the CSRF token.
    public func postRaw(_ path: String, _ encodedForm: String) async throws -> Page {
        let csrf = self.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await send(.POST, path, form: nil, raw: encodedForm + "&_csrf=" + csrf)
    }

    /// Uploads a file as a browser does, over a real socket to the running server: the body
    /// arrives in several reads, so nothing can depend on it having been collected already.
    public func upload(_ path: String, fileName: String, content: Data, contentType: String = "text/csv",
                       fields: [String: String] = [:]) async throws -> Page {
        let boundary = "----TaizhangBoundary\(UUID().uuidString.prefix(8))"
        var body = Data()
        var all = fields
        all["_csrf"] = all["_csrf"] ?? csrf
        for (name, value) in all.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8))
        body.append(content)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.cookie = ["taizhang_session": .init(string: cookie)]
        headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
        let answer = try await sendOverHTTP(app, .POST, path, headers: headers, body: ByteBuffer(data: body))
        return Page(status: answer.status, body: String(decoding: answer.body, as: UTF8.self), headers: answer.headers)
    }

    private func send(_ method: HTTPMethod, _ path: String, form: [String: String]?, raw: String? = nil) async throws -> Page {
        var page = Page(status: .internalServerError, body: "", headers: [:])
        try await app.testing().test(method, path, beforeRequest: { req in
            req.headers.cookie = ["taizhang_session": .init(string: cookie)]
            if let form { try req.content.encode(form, as: .urlEncodedForm) }
            if let raw {
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: raw)
            }
        }, afterResponse: { res async throws in
            page = Page(status: res.status, body: res.body.string, headers: res.headers)
        })
        return page
    }
}

/// The value of the first hidden `_csrf` field in a page.
public func hiddenCSRF(in html: String) -> String? {
    guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
    let rest = html[range.upperBound...]
    guard let end = rest.firstIndex(of: "\"") else { return nil }
    return String(rest[..<end])
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
