import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/divisions` and `/api/v1/management-zones`: the same service calls as the pages.
enum DivisionAPIController {
    static func list(_ req: Request) async throws -> DivisionListResponse {
        let q = try? req.query.get(String.self, at: "q")
        let rows: [Division]
        if let q, !q.trimmingCharacters(in: .whitespaces).isEmpty {
            rows = try req.visible(try await DivisionQueries.search(q, on: req.db))
        } else if let parent = try? req.query.get(String.self, at: "parent") {
            try await req.authorize(.view, divisionCode: parent)
            rows = try await DivisionQueries.children(of: parent, on: req.db)
        } else {
            rows = try await req.visibleRootDivisions()
        }
        let counts = try await DivisionQueries.descendantCounts(of: rows, on: req.db)
        return DivisionListResponse(items: rows.map { DivisionResponse($0, counts: counts[$0.code]) })
    }

    static func show(_ req: Request) async throws -> DivisionDetailResponse {
        try await DivisionDetailResponse.query(code: try req.parameters.require("code"), on: req.db)
    }

    static func update(_ req: Request) async throws -> DivisionResponse {
        let change = try req.content.decode(DivisionEditor.AttributeChange.self)
        let division = try await DivisionEditor.updateAttributes(
            of: try req.parameters.require("code"), change, by: req.actor, on: req.db)
        return DivisionResponse(division)
    }

    struct MoveRequest: Content {
        var toParentCode: String
        var effectiveDate: CalendarDay
        var reason: String?
    }

    static func move(_ req: Request) async throws -> DivisionResponse {
        let body = try req.content.decode(MoveRequest.self)
        try await req.authorize(.manageZones, divisionCode: body.toParentCode)
        let township = try await TownshipMover.move(
            .init(townshipCode: try req.parameters.require("code"), toParentCode: body.toParentCode,
                  effectiveDate: body.effectiveDate, reason: body.reason),
            by: req.actor, on: req.db
        )
        return DivisionResponse(township)
    }

    static func createZone(_ req: Request) async throws -> Response {
        let body = try req.content.decode(DivisionEditor.NewManagementZone.self)
        try await req.authorize(.manageZones, divisionCode: body.cityCode)
        let zone = try await DivisionEditor.addManagementZone(body, by: req.actor, on: req.db)
        let response = try await DivisionResponse(zone).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.division(.value(zone.code)).path)
        return response
    }
}
