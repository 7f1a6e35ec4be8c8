import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// Issue 13, item 5: every link on every page of the demo, for every role, resolves to a
/// registered route and answers 2xx or 3xx to the user it was shown to. Each demo account
/// signs in, starts at `/` and crawls breadth-first through every same-site `href`, `src`,
/// GET-form `action` and `data-reload` URL in the HTML it is given. A link the page shows a
/// user who may not follow it (a 404 outside their subtree, a 403) fails here, named with the
/// page it was found on.
@Suite struct LinkCheckTests {
    /// How many URLs of one shape (ID-like path segments and query values ignored) are
    /// requested: the second and third sample of `/organizations/<code>` find what a template
    /// does wrong; the four hundredth only costs time. Downloads: one per path (`isDownload`).
    static let samplesPerShape = 3
    /// A ceiling on requests per role, so a page that invents endless new shapes cannot make
    /// the test run for minutes; reaching it fails the test, so it never cuts a walk short unseen.
    static let maxRequestsPerRole = 400
    /// Every role's walk must reach at least this many distinct pages and files, so the test
    /// cannot pass by finding nothing (a broken sign-in, a page that lost its navigation).
    static let minimumVisited: [Role: Int] = [
        .systemAdmin: 50, .cityAdmin: 50, .countyAdmin: 40, .townshipReporter: 20,
        .liaisonCadre: 20, .verifier: 30, .leaderViewer: 40,
    ]
    /// Resolves relative links; the host only tells same-site links from the rest.
    static let origin = "http://taizhang.test"

    struct Failure: CustomStringConvertible, Sendable {
        var url: String
        var foundOn: String
        var problem: String
        var description: String { "\(url) (linked from \(foundOn)): \(problem)" }
    }

    struct Crawl: Sendable {
        var visited: [String] = []
        var pages = 0
        var downloads = 0
        var linksSeen = 0
        var collapsed = 0
        var failures: [Failure] = []
        var hitCap = false
    }

    @Test(arguments: TestDatabase.all)
    func everyLinkOnEveryPageAnswersForEveryRole(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let accounts = try await DemoAccounts.prepare(on: app.db)
            #expect(Set(accounts.map(\.role)) == Set(Role.allCases), "the demo has an account for every role")
            let routes = app.routes.all.filter { $0.method == .GET }.map(\.path)
            // Everyone signs in first, so the audit trail (and the links the audit page shows)
            // is the same whichever walk runs first; then the roles walk side by side, each its
            // own browser and only reading, as a whole-city export takes seconds in a debug build.
            var sessions: [(DemoAccounts.Account, BrowserSession)] = []
            for account in accounts { sessions.append((account, try await Self.signIn(app, account))) }
            let crawls = try await withThrowingTaskGroup(of: (DemoAccounts.Account, Crawl, Duration).self) { group in
                for (account, session) in sessions {
                    group.addTask {
                        let clock = ContinuousClock()
                        var crawl = Crawl()
                        let elapsed = try await clock.measure { crawl = try await Self.crawl(session, routes: routes) }
                        return (account, crawl, elapsed)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for (account, crawl, elapsed) in crawls.sorted(by: { $0.0.username < $1.0.username }) {
                let who = "\(account.username) (\(account.role.rawValue))"
                #expect(crawl.failures.isEmpty, """
                    \(crawl.failures.count) broken link(s) for \(who):
                    \(crawl.failures.prefix(40).map { "  " + $0.description }.joined(separator: "\n"))
                    """)
                #expect(!crawl.hitCap, "\(who): the crawl stopped at \(Self.maxRequestsPerRole) requests; raise the cap or collapse more")
                let minimum = Self.minimumVisited[account.role] ?? 10
                #expect(crawl.visited.count > minimum,
                        "\(who) reached only \(crawl.visited.count) URLs: \(crawl.visited.joined(separator: " "))")
                print("LinkCheck[\(database)] \(who): \(crawl.pages) pages and \(crawl.downloads) files in \(elapsed), "
                      + "\(crawl.linksSeen) links read, \(crawl.collapsed) left out as same-shape, \(crawl.failures.count) broken")
            }
        }
    }

    /// Signs in through the login form; an account whose password was handed out is taken
    /// through the first-sign-in change first, as its holder would be, since until then every
    /// page leads to 我的账号 and the crawl would see nothing else.
    static func signIn(_ app: Application, _ account: DemoAccounts.Account) async throws -> BrowserSession {
        let user = TestUser(id: UUID(), username: account.username, password: account.password, token: "")
        let session = try await BrowserSession.signIn(app, user)
        let home = try await session.get("/")
        guard home.status.code / 100 == 3, home.headers.first(name: .location)?.hasPrefix("/account") == true else {
            return session
        }
        let newPassword = "Link\(UUID().uuidString.prefix(8))9"
        let changed = try await session.post("/account/password", [
            "currentPassword": account.password, "newPassword": newPassword, "confirmPassword": newPassword,
        ])
        try #require(changed.status.code / 100 == 3, "changing the handed-out password of \(account.username)")
        return try await BrowserSession.signIn(app, TestUser(id: user.id, username: user.username, password: newPassword, token: ""))
    }

    /// Breadth-first from `/`; every URL requested once, redirects followed.
    static func crawl(_ session: BrowserSession, routes: [[PathComponent]]) async throws -> Crawl {
        var crawl = Crawl()
        var queue: [(url: String, foundOn: String)] = [("/", "(start)")]
        var seen: Set<String> = ["/"]
        var perShape: [String: Int] = [shape(of: "/"): 1]
        var next = 0
        while next < queue.count {
            if crawl.visited.count >= maxRequestsPerRole {
                crawl.hitCap = true
                break
            }
            let (url, foundOn) = queue[next]
            next += 1
            crawl.visited.append(url)
            guard let page = try await fetch(url, foundOn: foundOn, session, routes: routes, crawl: &crawl) else { continue }
            seen.insert(page.finalURL)
            guard page.headers.contentType?.type == "text", page.headers.contentType?.subType == "html" else {
                // A download (xlsx, docx, csv) or a stylesheet: it answered, nothing to read in it.
                crawl.downloads += 1
                continue
            }
            crawl.pages += 1
            for link in links(in: page.body) {
                crawl.linksSeen += 1
                guard let target = resolve(link, against: page.finalURL), !seen.contains(target) else { continue }
                seen.insert(target)
                let key = shape(of: target)
                guard perShape[key, default: 0] < (isDownload(target) ? 1 : samplesPerShape) else {
                    crawl.collapsed += 1
                    continue
                }
                perShape[key, default: 0] += 1
                queue.append((target, page.finalURL))
            }
        }
        return crawl
    }

    struct Fetched {
        var finalURL: String
        var body: String
        var headers: HTTPHeaders
    }

    /// GETs `url`, following same-site redirects; nil (and a failure recorded) unless every
    /// hop answers 2xx or 3xx and the last one 2xx.
    static func fetch(_ url: String, foundOn: String, _ session: BrowserSession, routes: [[PathComponent]],
                      crawl: inout Crawl) async throws -> Fetched? {
        var current = url
        for _ in 0..<5 {
            let page = try await session.get(current)
            let hop = current == url ? "" : " (redirected from \(url))"
            let unrouted = isRouted(current, routes) || page.status.code / 100 == 2 ? "" : ", no registered GET route"
            switch page.status.code {
            case 200..<300:
                return Fetched(finalURL: current, body: page.body, headers: page.headers)
            case 300..<400:
                guard let location = page.headers.first(name: .location), let target = resolve(location, against: current) else {
                    crawl.failures.append(.init(url: current + hop, foundOn: foundOn, problem: "\(page.status.code) to another site or nowhere"))
                    return nil
                }
                // The middleware sends a signed-out browser to the sign-in page, and an
                // unchanged handed-out password to 我的账号: either means the user cannot see the link.
                if target.hasPrefix("/login") || target.hasPrefix("/account?initial") {
                    crawl.failures.append(.init(url: current + hop, foundOn: foundOn, problem: "\(page.status.code) to \(target)"))
                    return nil
                }
                current = target
            default:
                let reason = page.body.range(of: #"<h1>[^<]*</h1>\s*<p[^>]*>[^<]*"#, options: .regularExpression)
                    .map { page.body[$0].replacingOccurrences(of: #"<[^>]+>|\s+"#, with: " ", options: .regularExpression) } ?? ""
                crawl.failures.append(.init(url: current + hop, foundOn: foundOn,
                                            problem: "\(page.status.code)\(unrouted) \(reason.prefix(120))"))
                return nil
            }
        }
        crawl.failures.append(.init(url: url, foundOn: foundOn, problem: "more than 5 redirects"))
        return nil
    }

    /// Every URL a browser would fetch or offer from this HTML: `href` (links, the stylesheet),
    /// `src` (script, images), the `action` of GET forms (submitted empty) and the URL a
    /// `data-reload` list loads. POST forms change state and are not followed; sign-out is one.
    static func links(in html: String) -> [String] {
        var found: [String] = []
        let attributes = try! NSRegularExpression(pattern: #"\s(?:href|src|data-reload)="([^"]*)""#)
        let range = NSRange(html.startIndex..., in: html)
        for match in attributes.matches(in: html, range: range) {
            found.append(unescape(String(html[Range(match.range(at: 1), in: html)!])))
        }
        let forms = try! NSRegularExpression(pattern: #"<form\b([^>]*)>"#, options: .caseInsensitive)
        for match in forms.matches(in: html, range: range) {
            let tag = String(html[Range(match.range(at: 1), in: html)!])
            guard tag.range(of: #"method="get""#, options: [.regularExpression, .caseInsensitive]) != nil,
                  let action = tag.range(of: #"action="[^"]*""#, options: .regularExpression) else { continue }
            found.append(unescape(String(tag[action].dropFirst(8).dropLast())))
        }
        return found
    }

    /// Leaf escapes what it writes into attributes; the browser reads the entities back.
    static func unescape(_ value: String) -> String {
        [("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
            .reduce(value) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    /// A link as the path and query to request, without its fragment; nil for another site or
    /// another scheme (`javascript:history.back()`, `mailto:`).
    static func resolve(_ link: String, against page: String) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        // Characters a template writes raw (a Chinese query value) are sent percent-encoded.
        let ascii = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%")
        guard let encoded = trimmed.addingPercentEncoding(withAllowedCharacters: ascii),
              let base = URL(string: origin + page),
              let absolute = URL(string: encoded, relativeTo: base)?.absoluteURL,
              let parts = URLComponents(url: absolute, resolvingAgainstBaseURL: true),
              ["http", "https"].contains(parts.scheme ?? ""), parts.host == URL(string: origin)?.host else { return nil }
        let path = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
        return path + (parts.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// What makes URLs "the same link" for sampling: the path with ids and digits masked
    /// (a digit keeps its place, so a city, a county and a township code stay three shapes,
    /// as they are three kinds of page) and the sorted names of the query fields.
    static func shape(of url: String) -> String {
        let parts = url.split(separator: "?", maxSplits: 1)
        let uuid = try! NSRegularExpression(pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        let path = parts.first.map(String.init)?.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            let text = String(segment)
            if uuid.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { return "{id}" }
            // A short number is a row's id (bulletin 7 and bulletin 12 are one kind of page);
            // administrative codes have 4, 6 or 9 digits and keep them.
            if text.count < 4, text.allSatisfy(\.isNumber) { return "{n}" }
            return String(text.map { $0.isNumber ? "9" : $0 })
        }.joined(separator: "/") ?? "/"
        if isDownload(url) { return path }
        let keys = parts.count > 1 ? parts[1].split(separator: "&").map { $0.split(separator: "=").first.map(String.init) ?? "" }.sorted() : []
        return path + "?" + keys.joined(separator: "&")
    }

    /// A spreadsheet, document or CSV: answering is all that is checked of it, and a whole
    /// city's export costs seconds in a debug build, so one per path (whatever its filter) is enough.
    static func isDownload(_ url: String) -> Bool {
        let path = url.split(separator: "?", maxSplits: 1).first ?? ""
        return [".xlsx", ".docx", ".csv"].contains { path.hasSuffix($0) }
    }

    /// Whether a GET route is registered for this path (the static files, app.css and app.js,
    /// are served without one): the failure then says the link points at nothing at all.
    static func isRouted(_ url: String, _ routes: [[PathComponent]]) -> Bool {
        let path = String(url.split(separator: "?", maxSplits: 1).first ?? "")
        let segments = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        return routes.contains { route in
            var index = 0
            for component in route {
                switch component {
                case .catchall: return index < segments.count
                case .constant(let name):
                    guard index < segments.count, segments[index] == name else { return false }
                default:
                    guard index < segments.count else { return false }
                }
                index += 1
            }
            return index == segments.count
        }
    }
}
