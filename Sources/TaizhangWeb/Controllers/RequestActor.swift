import TaizhangCore
import Vapor

extension Request {
    /// Who is making this request, as the audit trail records it.
    var actor: Actor {
        Actor(userID: nil, name: "网页用户", clientAddress: clientAddress)
    }

    var clientAddress: String? {
        remoteAddress?.ipAddress
    }
}
