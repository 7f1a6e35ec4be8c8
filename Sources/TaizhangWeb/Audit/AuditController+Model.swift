import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// What the pages of `AuditController` show: the models their templates read.
extension AuditController {
    struct ActionOption: Encodable {
        var code: String
        var label: String
        var selected: Bool
    }

    struct EventRow: Content {
        var occurredAt: String
        var actorName: String
        var clientAddress: String
        var action: String
        var actionLabel: String
        var entityLink: String?
        var entityType: String
        var entityID: String
        var before: String
        var after: String
    }

    struct AuditPage: Encodable {
        var layout: LayoutContext
        var query: Query
        var rows: [EventRow]
        var exportQuery: String
        var truncated: Bool
        var actions: [ActionOption]
    }
}
