import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/divisions/{code}/red-flags`: the open and dismissed red flags of a division, and
/// dismissing one with a reason.
enum RedFlagAPIController {
    struct FlagJSON: Content {
        var id: String
        var kind: RedFlagKind
        var kindLabel: String
        var sentence: String
        var organizationCodes: [String]
        var townshipCodes: [String]

        init(_ flag: RedFlag) {
            id = flag.id
            kind = flag.kind
            kindLabel = flag.kind.label
            sentence = flag.sentence
            organizationCodes = flag.codes
            townshipCodes = flag.townshipPaths.compactMap { DivisionPath($0).code }
        }
    }

    struct DismissalJSON: Content {
        var id: String
        var kind: RedFlagKind
        var kindLabel: String
        var sentence: String
        var organizationCodes: [String]
        var reason: String
        var dismissedBy: String
        var dismissedAt: Date
        /// Whether the ledger still raises the flag.
        var stillRaised: Bool

        init(_ dismissal: RedFlagStore.Dismissal, stillRaised: Bool) {
            id = dismissal.flagID
            kind = dismissal.kind
            kindLabel = dismissal.kind.label
            sentence = dismissal.sentence
            organizationCodes = dismissal.codes
            reason = dismissal.reason
            dismissedBy = dismissal.dismissedBy
            dismissedAt = dismissal.dismissedAt
            self.stillRaised = stillRaised
        }
    }

    struct ListingJSON: Content {
        var divisionCode: String
        var open: [FlagJSON]
        var dismissed: [DismissalJSON]
    }

    static func list(_ req: Request) async throws -> ListingJSON {
        let code = try req.parameters.require("code")
        let division = try await DivisionQueries.require(code, on: req.db)
        let scope = Scope.within(division.path)
        let listing = try await RedFlagController.listing(req, scope)
        return ListingJSON(divisionCode: code, open: listing.open.map(FlagJSON.init),
                           dismissed: listing.dismissed.map { DismissalJSON($0.dismissal, stillRaised: $0.current != nil) })
    }

    struct DismissBody: Content {
        var flagId: String?
        var reason: String?
    }

    static func dismiss(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        let division = try await DivisionQueries.require(code, on: req.db)
        let body = try req.content.decode(DismissBody.self)
        guard let flagID = body.flagId?.nilIfBlank else { throw Refusal("flagId：不能为空，请写明要忽略的预警编号", field: "flagId") }
        let scope = Scope.within(division.path)
        let dismissal = try await RedFlagStore.dismiss(flagID, reason: body.reason ?? "", in: scope,
                                                       try await RedFlagController.context(req, scope),
                                                       parts: req.application.redFlagParts, by: req.actor, on: req.db)
        return try await DismissalJSON(dismissal, stillRaised: true).encodeResponse(status: .created, for: req)
    }
}
