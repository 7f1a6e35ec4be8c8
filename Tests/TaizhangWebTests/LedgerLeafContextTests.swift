import Foundation
import Leaf
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import Vapor

/// The ledger page renders from Leaf values built by hand (`LedgerPageModel.leafContext`) instead
/// of Leaf's `Encodable` walk: the same page, byte for byte, with every value the model can carry.
@Suite struct LedgerLeafContextTests {
    typealias Option = LedgerController.Option

    static func model(_ req: Request, full: Bool) -> LedgerController.LedgerPageModel {
        var layout = LayoutContext(title: "团组织台账 <&>", area: .ledger, request: req)
        if full {
            layout.userName = "张三\"<b>"
            layout.roleSummary = "县级管理员、乡镇填报员"
            layout.csrfToken = "token&'\""
            layout.unreadReminders = 3
        }
        let params = full
            ? LedgerFilterParams(division: "350582", stage: "founded", orgType: "团支部", unitCategory: "非公企业", buildMode: "行业",
                                 guidance: "新建", dual: "是", brand: "青年之家", q: "安海<script>", foundedFrom: "2012-10-01",
                                 foundedUntil: "2012-12-15", membersBelow: "３", review: "refuted", sort: "name", after: "WyJ4Il0=")
            : LedgerFilterParams()
        func options(_ prefix: String) -> [Option] {
            (1...3).map { Option(value: "\(prefix)\($0)", label: "\(prefix)「\($0)」&", selected: full && $0 == 2) }
        }
        return LedgerController.LedgerPageModel(
            layout: layout, params: params, rowsHTML: full ? "<tr><td>一行</td></tr>" : "", hasRows: full,
            totalText: full ? "10000+" : "0", nextHref: full ? "/ledger?q=%E5%AE%89&after=abc" : nil,
            firstHref: full ? "/ledger?q=%E5%AE%89" : nil, exportQuery: full ? "q=%E5%AE%89&stage=founded" : "",
            stages: options("stage"), reviews: options("review"), orgTypes: options("type"), unitCategories: options("unit"),
            buildModes: options("mode"), sorts: options("sort"), divisionName: full ? "晋江市<i>" : nil,
            divisionGroups: full ? [LedgerController.DivisionGroup(county: Option(value: "350582", label: "晋江市（全部）", selected: false),
                                                                   townships: options("35058210"))] : [],
            guidances: options("guidance"), duals: options("dual"), brands: options("brand"), canEdit: full)
    }

    @Test(arguments: [true, false])
    func theHandBuiltContextRendersThePageLeafsEncoderWould(_ full: Bool) async throws {
        try await withTestApp(.sqlite) { app async throws in
            let req = Request(application: app, on: app.eventLoopGroup.next())
            let model = Self.model(req, full: full)
            let encoded = try await req.view.render("ledger", model).get()
            let built = try await LedgerController.render(req, model)
            let text = String(buffer: built.data)
            #expect(String(buffer: encoded.data) == text)
            #expect(text.contains(full ? "张三&quot;&lt;b&gt;" : "没有符合条件的团组织"))
        }
    }

    /// Keys the template does not use yet must not go missing either: the frame and the filters
    /// as Leaf values have the keys their `Encodable` forms have.
    @Test func theFrameAndTheFiltersHaveEveryKeyTheirEncodableFormsHave() async throws {
        try await withTestApp(.sqlite) { app async throws in
            let req = Request(application: app, on: app.eventLoopGroup.next())
            let model = Self.model(req, full: true)
            for (value, leaf) in [(try JSONEncoder().encode(model.layout), model.layout.leafData),
                                  (try JSONEncoder().encode(model.params), model.params.leafData)] {
                let keys = try #require(try JSONSerialization.jsonObject(with: value) as? [String: Any]).keys
                #expect(Set(keys) == Set(try #require(leaf.dictionary).keys))
            }
            #expect(Set(model.leafContext.keys) == Set(try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(model)) as? [String: Any]).keys))
        }
    }
}
