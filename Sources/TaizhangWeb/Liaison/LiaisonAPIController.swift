import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/liaisons…`: coverage, assigning and ending, and the visit log (without files: photos
/// and scans are uploaded through the visit form).
enum LiaisonAPIController {
    struct TownshipJSON: Content {
        var code: String
        var name: String
        var countyCode: String
        var countyName: String
        var lead: LiaisonCadre?
        var helpers: [LiaisonCadre]
        var lastVisit: String?
        var visitsInWindow: Int
        var belowRhythm: Bool
    }

    struct CountyJSON: Content {
        var code: String
        var name: String
        var townships: Int
        var withLead: Int
        var belowRhythm: Int
    }

    /// Without a campaign in the user's part of the country, the coverage is empty (no campaignID).
    struct CoverageJSON: Content {
        var campaignID: Int?
        var asOf: String
        /// At least this many visits per township in any `rhythmDays` days (the campaign's visit rhythm).
        var visitsPerMonth: Int
        var rhythmDays: Int
        var total: Int
        var withLead: Int
        var counties: [CountyJSON]
        var townships: [TownshipJSON]
    }

    static func coverage(_ req: Request) async throws -> CoverageJSON {
        guard let campaign = try await req.pageCampaign() else {
            return CoverageJSON(campaignID: nil, asOf: CalendarDay.today().description, visitsPerMonth: VisitRhythm.standard.visits,
                                rhythmDays: VisitRhythm.standard.days, total: 0,
                                withLead: 0, counties: [], townships: [])
        }
        let area = try await req.pageDivision()
        let rhythm = try await VisitRhythmStore.rhythm(campaignID: campaign.id, on: req.db)
        let coverage = try await LiaisonCoverage.compute(campaignID: campaign.id, under: area.path, asOf: .today(), rhythm: rhythm, on: req.db)
        return CoverageJSON(
            campaignID: campaign.id, asOf: coverage.asOf.description, visitsPerMonth: coverage.rhythm.visits, rhythmDays: coverage.rhythm.days,
            total: coverage.total,
            withLead: coverage.withLead,
            counties: coverage.counties.map { CountyJSON(code: $0.code, name: $0.name, townships: $0.townships, withLead: $0.withLead, belowRhythm: $0.belowRhythm) },
            townships: coverage.townships.map { TownshipJSON(code: $0.code, name: $0.name, countyCode: $0.countyCode, countyName: $0.countyName, lead: $0.lead,
                                                             helpers: $0.helpers, lastVisit: $0.lastVisit?.description, visitsInWindow: $0.visitsInWindow,
                                                             belowRhythm: $0.belowRhythm) })
    }

    static func assign(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LiaisonController.AssignForm.self)
        let assignment = try await LiaisonStore.assign(try LiaisonController.draft(form), in: try req.scope(for: .supervise), by: req.actor, on: req.db)
        return try await assignment.encodeResponse(status: .created, for: req)
    }

    struct EndJSON: Content {
        var lastDay: String
        var reason: String
    }

    static func end(_ req: Request) async throws -> LiaisonAssignment {
        let text = try req.parameters.require("assignmentID")
        guard let id = Int(text) else { throw Refusal.notFound("找不到编号为 \(text) 的挂钩安排") }
        let body = try req.content.decode(EndJSON.self)
        guard let lastDay = CalendarDay(iso: body.lastDay) else { throw Refusal("lastDay：「\(body.lastDay)」不是日期", field: "lastDay") }
        return try await LiaisonStore.end(id, lastDay: lastDay, reason: body.reason, in: try req.scope(for: .supervise), by: req.actor, on: req.db)
    }

    struct VisitListJSON: Content {
        var items: [Visit]
    }

    static func visits(_ req: Request) async throws -> VisitListJSON {
        let area = try await req.pageDivision()
        return VisitListJSON(items: try await VisitStore.list(under: area.path, in: try req.scope(for: .view), on: req.db))
    }

    static func visit(_ req: Request) async throws -> Visit {
        try await VisitStore.require(try VisitController.visitID(req), in: try req.scope(for: .view), on: req.db)
    }

    struct VisitJSON: Content {
        var campaignID: Int?
        var township: String
        var visitedOn: String
        var visitors: String
        var met: String?
        var findings: String
        var organizations: [String]?
    }

    /// A visit as JSON (without files), or as multipart/form-data with the page form's fields and
    /// its photos and scans under `files` (checked by their bytes, as on the page).
    static func logVisit(_ req: Request) async throws -> Response {
        let draft: VisitDraft
        if req.headers.contentType == .formData {
            draft = try VisitController.draft(try req.content.decode(VisitController.Form.self))
        } else {
            let body = try req.content.decode(VisitJSON.self)
            guard let day = CalendarDay(iso: body.visitedOn) else { throw Refusal("visitedOn：「\(body.visitedOn)」不是日期", field: "visitedOn") }
            draft = VisitDraft(campaignID: body.campaignID, townshipCode: body.township, visitedOn: day, visitors: body.visitors, met: body.met ?? "",
                               findings: body.findings, organizationCodes: body.organizations ?? [])
        }
        let (visit, _) = try await VisitStore.log(draft, in: try req.scope(for: .liaise), by: req.actor, on: req.db)
        let response = try await visit.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.visit(.value(visit.id)).path)
        return response
    }
}

extension LiaisonAssignment: Content {}
extension Visit: Content {}
