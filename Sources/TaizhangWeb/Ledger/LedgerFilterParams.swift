import TaizhangCore
import TaizhangStore
import Vapor

/// The ledger's filters as they arrive in a URL (pages, exports and the API share them).
struct LedgerFilterParams: Content {
    var division: String?
    var stage: String?
    var orgType: String?
    var unitCategory: String?
    var buildMode: String?
    var guidance: String?
    var dual: String?
    var brand: String?
    var q: String?
    var foundedFrom: String?
    var foundedUntil: String?
    var membersBelow: String?
    /// A review state (pending, returned, county, city, or its Chinese label), or "refuted" (抽查不属实).
    var review: String?
    var sort: String?
    var after: String?

    /// The filter this user may run: within the named division (which they must be able to
    /// see) or else everything they can see.
    func filter(for req: Request) async throws -> LedgerFilter {
        var filter = LedgerFilter()
        if let code = division?.nilIfBlank {
            let division = try await req.authorize(.view, divisionCode: code)
            filter.scope = .within(division.path)
        } else {
            filter.scope = try req.scope(for: .view)
        }
        if let text = stage?.nilIfBlank {
            filter.stages = try Stage.list(text, field: "建设阶段")
        }
        filter.orgType = orgType?.nilIfBlank
        filter.unitCategory = unitCategory?.nilIfBlank
        filter.buildMode = buildMode?.nilIfBlank
        if let text = guidance?.nilIfBlank {
            guard let kind = GuidanceKind(text: text) else { throw InvalidInput(field: "新建或联系指导", reason: "「\(text)」应为 新建 或 联系指导") }
            filter.guidance = kind
        }
        if let text = dual?.nilIfBlank { filter.dualManagement = try ValueParser.bool(text, field: "是否双重管理") }
        if let text = brand?.nilIfBlank {
            guard let activity = BrandActivity(text: text) else { throw InvalidInput(field: "品牌工作", reason: "未知品牌工作「\(text)」") }
            filter.brandActivity = activity
        }
        filter.text = q?.nilIfBlank
        if let text = foundedFrom?.nilIfBlank { filter.foundedFrom = try ValueParser.day(text, field: "成立日期起") }
        if let text = foundedUntil?.nilIfBlank { filter.foundedUntil = try ValueParser.day(text, field: "成立日期止") }
        if let text = membersBelow?.nilIfBlank { filter.membersBelow = try ValueParser.integer(text, field: "团员数少于") }
        if let text = review?.nilIfBlank {
            if text == "refuted" || text == "抽查不属实" {
                filter.refutedOnly = true
            } else if let state = ReviewState(text: text) {
                filter.reviewStates = [state]
            } else {
                throw InvalidInput(field: "核查状态", reason: "「\(text)」应为 待县核实、已退回、县已核实、市已确认 或 抽查不属实")
            }
        }
        return filter
    }

    var sortOrder: LedgerSort {
        sort.flatMap(LedgerSort.init(rawValue:)) ?? .ledger
    }

    /// Every parameter by its name in the URL, in the order links write them (the cursor last).
    var fields: [(name: String, value: String?)] {
        [("division", division), ("stage", stage), ("orgType", orgType), ("unitCategory", unitCategory),
         ("buildMode", buildMode), ("guidance", guidance), ("dual", dual), ("brand", brand), ("q", q),
         ("foundedFrom", foundedFrom), ("foundedUntil", foundedUntil), ("membersBelow", membersBelow), ("review", review), ("sort", sort),
         ("after", after)]
    }

    /// These filters as a query string, without the cursor (for export links and sorting).
    var queryString: String {
        fields.filter { $0.name != "after" }.compactMap { key, value in
            guard let value = value?.nilIfBlank else { return nil }
            return key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }.joined(separator: "&")
    }
}
