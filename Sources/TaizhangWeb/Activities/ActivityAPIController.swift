import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/activities…`: an area's activities, recording one, and the conversion figures.
enum ActivityAPIController {
    struct ListJSON: Content {
        var items: [Activity]
    }

    static func list(_ req: Request) async throws -> ListJSON {
        let area = try await req.conferenceArea()
        return ListJSON(items: try await ActivityStore.list(under: area.path, in: try req.scope(for: .view), on: req.db))
    }

    struct ActivityJSON: Content {
        var townshipCode: String
        var kind: String
        var title: String
        var heldOn: String
        var organizer: String
        var youthReached: Int?
        var notes: String?
        var units: [Activity.Unit]
    }

    static func record(_ req: Request) async throws -> Response {
        let body = try req.content.decode(ActivityJSON.self)
        guard let day = CalendarDay(iso: body.heldOn) else { throw Refusal("heldOn：「\(body.heldOn)」不是日期", field: "heldOn") }
        let activity = try await ActivityStore.record(
            ActivityDraft(townshipCode: body.townshipCode, kind: body.kind, title: body.title, heldOn: day, organizer: body.organizer,
                          youthReached: body.youthReached ?? 0, notes: body.notes ?? "", units: body.units),
            in: try req.scope(for: .editLedger), by: req.actor, on: req.db)
        return try await activity.encodeResponse(status: .created, for: req)
    }

    struct StepJSON: Content {
        var stage: String
        var label: String
        var units: Int
    }

    struct ConversionJSON: Content {
        var divisionCode: String
        var reached: Int
        var stages: [StepJSON]
        var ended: Int
        var foundedAfterActivity: Int
        var medianDaysToFounding: Int?
        var averageDaysToFounding: Int?
    }

    static func conversion(_ req: Request) async throws -> ConversionJSON {
        let code = try req.parameters.require("code")
        let (_, units) = try await ConversionController.figures(req, code: code)
        let conversion = Conversion(units: units)
        return ConversionJSON(divisionCode: code, reached: conversion.reached,
                              stages: Stage.allCases.filter { $0.rank != nil }.map { StepJSON(stage: $0.rawValue, label: $0.label, units: conversion.atLeast[$0] ?? 0) },
                              ended: conversion.ended, foundedAfterActivity: conversion.foundedAfterActivity,
                              medianDaysToFounding: conversion.medianDaysToFounding, averageDaysToFounding: conversion.averageDaysToFounding)
    }
}

extension Activity: Content {}
