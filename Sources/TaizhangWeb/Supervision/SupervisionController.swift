import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// 督办事项: the list (未办结, 逾期, 本周办结, 全部; by county or township), raising an item, an
/// item with its history and the moves the user may make, and the list as XLSX.
enum SupervisionController {
    struct ItemRow: Encodable {
        var id: Int
        var title: String
        var href: String
        var division: String
        var ownerUnit: String
        var responsible: String
        var raisedOn: String
        var deadline: String
        var status: String
        var overdue: Bool
        var closed: Bool
        var source: String

        init(_ item: SupervisionItem, at instant: Date, divisionName: String? = nil) {
            id = item.id
            title = item.title
            href = SiteURL.supervisionItem(.value(item.id)).path
            division = divisionName ?? item.divisionCode
            ownerUnit = item.ownerUnit
            responsible = item.responsibleName
            raisedOn = item.raisedOn.description
            deadline = item.deadline.description
            status = item.statusLabel(at: instant)
            overdue = item.isOverdue(at: instant)
            closed = item.state == .closed
            source = item.source.label
        }
    }

    struct Tab: Encodable {
        var label: String
        var href: String
        var active: Bool
    }

    struct ListModel: Encodable {
        var layout: LayoutContext
        var tabs: [Tab]
        var areaName: String
        var rows: [ItemRow]
        var exportHref: String
        var canRaise: Bool
        var canSupervise: Bool
        var newHref: String
        var escalationsHref: String
    }

    static func list(_ req: Request) async throws -> Response {
        let (view, area, items) = try await selection(req)
        let now = ReportingClock.now()
        let names = try await divisionNames(items.map(\.divisionCode), on: req.db)
        let query = "division=\(area.code)"
        let model = ListModel(
            layout: LayoutContext(title: "督办事项", area: .liaisons, request: req),
            tabs: SupervisionView.allCases.map { Tab(label: $0.label, href: SiteURL.supervision.path + "?view=\($0.rawValue)&\(query)", active: $0 == view) },
            areaName: area.name, rows: items.map { ItemRow($0, at: now, divisionName: names[$0.divisionCode]) },
            exportHref: SiteURL.supervisionExport.path + "?view=\(view.rawValue)&\(query)",
            canRaise: !(try req.scope(for: .liaise)).isEmpty, canSupervise: !(try req.scope(for: .supervise)).isEmpty,
            newHref: SiteURL.supervisionNew.path + "?division=\(area.code)", escalationsHref: SiteURL.escalations.path)
        return try await req.view.render("supervision", model).encodeResponse(for: req)
    }

    static func selection(_ req: Request) async throws -> (SupervisionView, Division, [SupervisionItem]) {
        let view = req.queryText("view").flatMap(SupervisionView.init(rawValue:)) ?? .open
        let area = try await req.pageDivision()
        let items = try await SupervisionStore.list(view, under: area.path, in: try req.scope(for: .view), at: ReportingClock.now(), on: req.db)
        return (view, area, items)
    }

    static func export(_ req: Request) async throws -> Response {
        let (view, area, items) = try await selection(req)
        let now = ReportingClock.now()
        let names = try await divisionNames(items.map(\.divisionCode), on: req.db)
        let title = "\(area.name)督办事项（\(view.label)）"
        return try await TemporaryFileDownload.respond(req, contentType: TemporaryFileDownload.xlsx, asciiName: "supervision-items.xlsx",
                                                       name: "\(title).xlsx") { url in
            let writer = try XLSXWriter(url: url, sheetName: "督办事项", columnWidths: [8, 36, 14, 20, 10, 11, 11, 12, 10, 30])
            try writer.appendHeader(["编号", "事项", "责任单位（乡镇/县）", "责任单位", "责任人", "提出日期", "办结期限", "状态", "来源", "办理结果"])
            for item in items {
                try writer.appendRow([String(item.id), item.title, names[item.divisionCode] ?? item.divisionCode, item.ownerUnit, item.responsibleName,
                                      item.raisedOn.description, item.deadline.description, item.statusLabel(at: now), item.source.label, item.result ?? ""])
            }
            try writer.finish()
        }
    }

    static func divisionNames(_ codes: [String], on db: any Database) async throws -> [String: String] {
        try await DivisionNames.load(townships: Set(codes), on: db).byCode.mapValues(\.name)
    }
}
