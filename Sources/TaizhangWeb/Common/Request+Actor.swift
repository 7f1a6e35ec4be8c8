import TaizhangCore
import Vapor

extension Request {
    /// Who is making this request, as the audit trail records it.
    var actor: Actor {
        if let user = currentUser {
            return Actor(userID: user.id.uuidString, name: "\(user.displayName)（\(user.username)）", clientAddress: clientAddress)
        }
        return Actor(userID: nil, name: "未登录", clientAddress: clientAddress)
    }

    /// The client's address: the peer's, or behind a trusted reverse proxy the address it forwarded.
    var clientAddress: String? {
        guard let peer = remoteAddress?.ipAddress else { return nil }
        return application.settings.trustedProxies.client(peer: peer, forwardedFor: headers[.xForwardedFor])
    }
}
