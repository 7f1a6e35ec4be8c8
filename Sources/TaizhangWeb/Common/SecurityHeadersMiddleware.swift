import Vapor

/// Headers that tell the browser what a page may do: scripts, styles and images only from this
/// site (pages carry no inline script), never inside a frame of another site, no content-type
/// sniffing, and no full URL (which can name an organization) sent to other sites. HSTS only
/// when the deployment says it is served over TLS.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// `Strict-Transport-Security` max-age in seconds, or nil for a deployment without TLS.
    var strictTransportSecurity: Int?

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let headers = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if let maxAge = strictTransportSecurity {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=\(maxAge); includeSubDomains")
        }
        return response
    }
}
