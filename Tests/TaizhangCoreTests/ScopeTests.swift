import Testing
import TaizhangCore

/// Containment decided on whole codes, and "everywhere" as its own case.
@Suite struct ScopeTests {
    let quanzhou = DivisionPath("35/3505/")
    let jinjiang = DivisionPath("35/3505/350582/")
    let cizao = DivisionPath("35/3505/350582/350582101/")

    @Test func aPathKnowsItsCodesDepthAndAncestors() {
        #expect(cizao.codes == ["35", "3505", "350582", "350582101"])
        #expect(cizao.depth == 4)
        #expect(cizao.code == "350582101")
        #expect(cizao.ancestors == [DivisionPath("35/"), quanzhou, jinjiang])
        #expect(DivisionPath.root.depth == 0)
        #expect(DivisionPath.root.ancestors.isEmpty)
        #expect(DivisionPath.root.code == nil)
        #expect(DivisionPath(DivisionPath.path(parentPath: jinjiang.rawValue, code: "350582101")) == cizao)
    }

    @Test func containmentIsOnWholeCodes() {
        #expect(quanzhou.contains(cizao))
        #expect(quanzhou.contains(quanzhou))
        #expect(!quanzhou.isAncestor(of: quanzhou))
        #expect(quanzhou.isAncestor(of: jinjiang))
        #expect(!jinjiang.contains(quanzhou))
        // A code that merely starts with another code's digits is a sibling, not a child.
        #expect(!DivisionPath("35/3505/").contains("35/35051/"))
        #expect(DivisionPath.root.contains(cizao))
        #expect(jinjiang.overlaps(quanzhou) && quanzhou.overlaps(jinjiang))
        #expect(!jinjiang.overlaps(DivisionPath("35/3505/350583/")))
        let (lower, upper) = jinjiang.subtreeRange
        #expect(lower <= cizao.rawValue && cizao.rawValue < upper)
        #expect(!(lower <= "35/3505/350583/" && "35/3505/350583/" < upper))
    }

    @Test func aScopeKeepsItsOutermostRootsAndTheRootMeansEverywhere() {
        #expect(Scope(roots: ["", "35/3505/"]) == .everywhere)
        #expect(Scope(roots: ["35/3505/350582/", "35/3505/", "35/3505/"]) == .within([quanzhou]))
        #expect(Scope(roots: []) == .within([]))
        #expect(Scope.within(jinjiang.rawValue) == .within([jinjiang]))
    }

    @Test func aScopeContainsAndOverlaps() {
        let county = Scope.within(jinjiang.rawValue)
        #expect(county.contains(cizao.rawValue))
        #expect(!county.contains(quanzhou.rawValue))
        #expect(county.overlaps(quanzhou.rawValue))  // a campaign of the whole city concerns the county
        #expect(!county.overlaps("35/3505/350583/"))
        #expect(Scope.everywhere.contains("11/"))
        let nowhere = Scope(roots: [])
        #expect(!nowhere.contains(cizao.rawValue) && !nowhere.overlaps(quanzhou.rawValue))
    }

    @Test func aPolicyGivesTheScopeOfAPermission() {
        let policy = AccessPolicy(grants: [
            Grant(role: .countyAdmin, divisionCode: "350582", divisionPath: jinjiang.rawValue),
            Grant(role: .leaderViewer, divisionCode: "3505", divisionPath: quanzhou.rawValue),
        ])
        #expect(policy.scope(for: .view) == .within([quanzhou]))
        #expect(policy.scope(for: .editLedger) == .within([jinjiang]))
        #expect(policy.scope(for: .manageCampaigns) == .within([]))
        let admin = AccessPolicy(grants: [Grant(role: .systemAdmin, divisionCode: "CN", divisionPath: "")])
        #expect(admin.scope(for: .view) == .everywhere)
    }
}
