import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `SessionController` show: the models their templates read.
extension SessionController {
    struct LoginPage: Encodable {
        var layout: LayoutContext
        var next: String
        var username: String
        var loginCSRF: String
        var error: String?
    }
}
