import TaizhangCore
import Vapor

/// What a route requires. Every registered route declares one; the access middleware
/// refuses a route that does not (fail closed), and a test walks them all.
enum RouteAccess: Sendable {
    /// Anyone, signed in or not (sign-in page, health, metrics, the API description).
    case open
    /// Any signed-in user (their own account, the home page).
    case signedIn
    /// `permission` on the division named by the route's `:code` parameter.
    case onDivision(Permission, parameter: String = "code")
    /// `permission` on the organization named by the route's `:code` parameter (its township's subtree).
    case onOrganization(Permission)
    /// `permission` on the region of the campaign named by `:campaignID`. A campaign is visible to
    /// anyone whose subtree overlaps its region (counties see their city's campaign and its
    /// published ranking); others get 404.
    case onCampaign(Permission)
    /// `permission` somewhere; the handler narrows what it shows to the user's subtrees.
    case somewhere(Permission)

    static let userInfoKey = "taizhang.access"
}

extension Route {
    /// Declares what this route requires; see `RouteAccess`.
    @discardableResult
    func access(_ access: RouteAccess) -> Route {
        userInfo[RouteAccess.userInfoKey] = access
        return self
    }

    var declaredAccess: RouteAccess? {
        userInfo[RouteAccess.userInfoKey] as? RouteAccess
    }
}

extension RoutesBuilder {
    /// A POST route whose body may be as large as `limit` (file uploads). The limit is kept on
    /// the route, so the access middleware collects the body under the same limit when it reads
    /// the form's CSRF token.
    @discardableResult
    func upload<Response: AsyncResponseEncodable>(
        _ path: [PathComponent], limit: ByteCount, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(.POST, path, body: .collect(maxSize: limit), use: handler)
        route.userInfo[Route.bodyLimitKey] = limit
        return route
    }
}

extension Route {
    static let bodyLimitKey = "taizhang.bodyLimit"

    /// The largest body the route accepts, where it differs from the application's default.
    var bodyLimit: ByteCount? {
        userInfo[Route.bodyLimitKey] as? ByteCount
    }
}
