import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `ReferenceController` show: the models their templates read.
extension ReferenceController {
    struct ListModel: Encodable {
        var kind: String
        var label: String
        var values: [String]
    }

    struct PageModel: Encodable {
        var layout: LayoutContext
        var lists: [ListModel]
        var error: String?
    }
}
