import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 活动转化: the units brand activities reached in a township, county or city and how many now
/// have an organization at each stage (a funnel), how long founding took; and one organization's
/// path from its first activity through the ledger's stages.
enum ConversionController {
    struct Step: Encodable {
        var label: String
        var count: Int
        var percent: Int
    }

    struct TownshipRow: Encodable {
        var name: String
        var href: String
        var reached: Int
        var founded: Int
        var median: String
    }

    struct UnitRow: Encodable {
        var name: String
        var firstActivity: String
        var stage: String
        var days: String
        var href: String?
    }

    struct Model: Encodable {
        var layout: LayoutContext
        var areaName: String
        var steps: [Step]
        var chart: String
        var timing: String
        var ended: Int
        var townships: [TownshipRow]
        var units: [UnitRow]
        var activitiesHref: String
        var conferencesHref: String
    }

    static func figures(_ req: Request, code: String) async throws -> (Division, [Conversion.Unit]) {
        let area = try await req.authorize(.view, divisionCode: code)
        return (area, try await ActivityStore.conversionUnits(under: area.path, in: try req.scope(for: .view), on: req.db))
    }

    static func show(_ req: Request) async throws -> View {
        let (area, units) = try await figures(req, code: try req.parameters.require("code"))
        let conversion = Conversion(units: units)
        let steps = conversion.steps.map { Step(label: $0.label, count: $0.count, percent: conversion.reached == 0 ? 0 : $0.count * 100 / conversion.reached) }
        let names = try await ActivityController.townshipNames(in: .within(area.path), on: req.db)
        let byTownship = Dictionary(grouping: units, by: \.townshipCode)
        let townships: [TownshipRow] = area.level == .township ? [] : byTownship.keys.sorted().map { code in
            let figures = Conversion(units: byTownship[code] ?? [])
            return TownshipRow(name: names[code] ?? code, href: SiteURL.activityConversion(.value(code)).path, reached: figures.reached,
                               founded: figures.atLeast[.founded] ?? 0, median: figures.medianDaysToFounding.map { "\($0) 天" } ?? "—")
        }
        let unitRows: [UnitRow] = area.level != .township ? [] : units.map { unit in
            UnitRow(name: unit.name, firstActivity: unit.firstActivity.description, stage: unit.stage?.label ?? "尚无团组织",
                    days: unit.daysToFounding.map { "\($0) 天" } ?? "—", href: unit.organizationCode.map { SiteURL.organizationPath(.value($0)).path })
        }
        let timing = conversion.medianDaysToFounding.map { "活动后建立团组织的 \(conversion.foundedAfterActivity) 个单位，从首次活动到成立中位 \($0) 天、平均 \(conversion.averageDaysToFounding ?? $0) 天" }
            ?? "还没有在活动之后建立团组织的单位"
        return try await req.view.render("conversion", Model(
            layout: LayoutContext(title: "\(area.name)品牌活动转化", area: .conferences, request: req), areaName: area.name, steps: steps,
            chart: Charts.bars(conversion.steps.map { ($0.label, $0.count) }, title: "\(area.name)品牌活动转化漏斗"), timing: timing,
            ended: conversion.ended, townships: townships, units: unitRows, activitiesHref: SiteURL.activities.path + "?division=\(area.code)",
            conferencesHref: SiteURL.conferences.path + "?division=\(area.code)"))
    }

    struct PathModel: Encodable {
        struct Entry: Encodable {
            var day: String
            var label: String
            var isActivity: Bool
        }

        var layout: LayoutContext
        var name: String
        var brandWork: String
        var entries: [Entry]
        var organizationHref: String
    }

    /// The unit's path: activity → 青年组织 → 类团组织 → 筹建 → 已建立, on one line.
    static func organizationPath(_ req: Request) async throws -> View {
        let code = try req.parameters.require("code")
        let record = try await req.authorizeOrganization(.view, code: code)
        let steps = try await ActivityStore.path(ofOrganization: code, on: req.db)
        return try await req.view.render("organization-path", PathModel(
            layout: LayoutContext(title: "\(record.fields.name)的建团之路", area: .conferences, request: req), name: record.fields.name,
            brandWork: BrandActivity.text(record.fields.brandActivities),
            entries: steps.map { .init(day: $0.day.description, label: $0.label, isActivity: $0.activityID != nil) },
            organizationHref: SiteURL.organization(.value(code)).path))
    }
}
