import Foundation
import Leaf
import TaizhangCore
import TaizhangStore
import Vapor

/// The ledger list (filters, sorting, keyset pages), its export and the import template.
enum LedgerController {
    static let pageSize = 50
    static let countCap = 10_000

    struct DivisionGroup: Encodable {
        var county: Option
        var townships: [Option]
    }

    static func divisionGroups(_ req: Request, selected: String?) async throws -> [DivisionGroup] {
        let townships = try await req.townships(under: try req.scope(for: .view), limit: 1_001)
        guard townships.count <= 1_000 else { return [] }
        var groups: [DivisionGroup] = []
        for township in townships {
            if groups.last?.county.value != township.countyCode {
                groups.append(DivisionGroup(county: Option(value: township.countyCode, label: "\(township.countyName)（全部）",
                                                           selected: township.countyCode == selected), townships: []))
            }
            groups[groups.count - 1].townships.append(Option(value: township.code, label: township.name, selected: township.code == selected))
        }
        return groups
    }

    static func index(_ req: Request) async throws -> View {
        let params = try req.query.decode(LedgerFilterParams.self)
        let filter = try await params.filter(for: req)
        let page = try await LedgerQuery.listPage(filter, sort: params.sortOrder, after: params.after?.nilIfBlank, limit: pageSize, on: req.db)
        let total = try await req.ledgerTotal(filter, cap: countCap)
        let names = try await req.divisionNames(townships: Set(page.entries.map(\.townshipCode)))
        let references = try await req.referenceLists()
        let query = params.queryString
        func options(_ values: [String], _ selected: String?) -> [Option] {
            values.map { Option(value: $0, label: $0, selected: $0 == selected) }
        }
        let divisionName = try await params.division?.nilIfBlank.asyncMap { try await req.cachedDivision($0)?.name }
        return try await render(req, LedgerPageModel(
            layout: LayoutContext(title: "团组织台账", area: .ledger, request: req),
            params: params,
            rowsHTML: tableRows(page.entries, names: names),
            hasRows: !page.entries.isEmpty,
            totalText: total.isCapped ? "\(total.count)+" : "\(total.count)",
            nextHref: page.nextCursor.map { SiteURL.ledger.path + "?" + (query.isEmpty ? "" : query + "&") + "after=" + $0 },
            firstHref: params.after?.nilIfBlank == nil ? nil : SiteURL.ledger.path + (query.isEmpty ? "" : "?" + query),
            exportQuery: query,
            stages: Stage.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: Stage(text: params.stage ?? "") == $0) },
            reviews: ReviewState.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: ReviewState(text: params.review ?? "") == $0) }
                + [Option(value: "refuted", label: "抽查不属实", selected: params.review == "refuted")],
            orgTypes: options(references.list(.orgType), params.orgType),
            unitCategories: options(references.list(.unitCategory), params.unitCategory),
            buildModes: options(references.list(.buildMode), params.buildMode),
            sorts: LedgerSort.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == params.sortOrder) },
            divisionName: divisionName ?? nil,
            divisionGroups: try await divisionGroups(req, selected: params.division?.nilIfBlank),
            // As the filter read them: an unset 新建或联系指导 is either (全部), not the 新建 that an
            // import's empty cell means, so the form does not send 新建 back unasked.
            guidances: GuidanceKind.allCases.map { Option(value: $0.label, label: $0.label, selected: filter.guidance == $0) },
            duals: [("是", "双重管理"), ("否", "非双重管理")].map { Option(value: $0.0, label: $0.1, selected: params.dual == $0.0) },
            brands: BrandActivity.allCases.map { Option(value: $0.label, label: $0.label, selected: filter.brandActivity == $0) },
            canEdit: try req.requireUser().policy.allowsSomewhere(.editLedger)))
    }

    /// The ledger page for `model`, from its Leaf values (`leafContext`).
    static func render(_ req: Request, _ model: LedgerPageModel) async throws -> View {
        View(data: try await req.leaf.render(path: "ledger", context: model.leafContext).get())
    }

    /// `/ledger/export.xlsx` and `.csv`: the filtered view, in the template's columns.
    static func export(_ req: Request) async throws -> Response {
        let format = try exportFormat(req)
        let params = try req.query.decode(LedgerFilterParams.self)
        let filter = try await params.filter(for: req)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-export-\(UUID().uuidString).\(format.rawValue)")
        try await LedgerExporter.write(filter, to: url, format: format, on: req.db)
        return try await fileResponse(req, url: url, format: format, downloadName: "团组织台账-\(CalendarDay.today()).\(format.rawValue)")
    }

    /// `/ledger/template.xlsx` and `.csv`: the header row cadres fill in.
    static func template(_ req: Request) async throws -> Response {
        let format = try exportFormat(req)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-template-\(UUID().uuidString).\(format.rawValue)")
        try LedgerExporter.writeTemplate(to: url, format: format)
        return try await fileResponse(req, url: url, format: format, downloadName: "团组织台账导入模板.\(format.rawValue)")
    }

    static func exportFormat(_ req: Request) throws -> LedgerExporter.Format {
        let name = req.url.path.split(separator: "/").last.map(String.init) ?? ""
        guard let format = LedgerExporter.Format(fileName: name) else { throw Abort(.notFound) }
        return format
    }

    /// Streams a temporary file and deletes it afterwards.
    static func fileResponse(_ req: Request, url: URL, format: LedgerExporter.Format, downloadName: String) async throws -> Response {
        let response = try await req.fileio.asyncStreamFile(at: url.path) { _ in
            try? FileManager.default.removeItem(at: url)
        }
        response.headers.contentType = format == .xlsx
            ? HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            : HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        let encoded = downloadName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "ledger"
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"ledger.\(format.rawValue)\"; filename*=UTF-8''\(encoded)")
        return response
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
