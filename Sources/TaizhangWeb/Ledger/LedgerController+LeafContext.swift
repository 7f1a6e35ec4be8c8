import LeafKit
import Vapor

/// The ledger page's model as Leaf's own values. Under load, Leaf's `Encodable` walk over the
/// model (its filters, some 70 options and the frame) was 4% of what the page cost; built here,
/// the context has the same keys and values (`LedgerLeafContextTests` renders both and compares).
extension LedgerController.LedgerPageModel {
    var leafContext: [String: LeafData] {
        func options(_ list: [LedgerController.Option]) -> LeafData { .array(list.map(\.leafData)) }
        var values: [String: LeafData] = [
            "layout": layout.leafData, "params": params.leafData, "rowsHTML": .string(rowsHTML), "hasRows": .bool(hasRows),
            "totalText": .string(totalText), "exportQuery": .string(exportQuery), "stages": options(stages),
            "reviews": options(reviews), "orgTypes": options(orgTypes), "unitCategories": options(unitCategories),
            "buildModes": options(buildModes), "sorts": options(sorts), "divisionGroups": .array(divisionGroups.map(\.leafData)),
            "guidances": options(guidances), "duals": options(duals), "brands": options(brands), "canEdit": .bool(canEdit),
        ]
        if let nextHref { values["nextHref"] = .string(nextHref) }
        if let firstHref { values["firstHref"] = .string(firstHref) }
        if let divisionName { values["divisionName"] = .string(divisionName) }
        return values
    }
}

extension LedgerController.DivisionGroup: LeafDataRepresentable {
    var leafData: LeafData {
        .dictionary(["county": county.leafData, "townships": .array(townships.map(\.leafData))])
    }
}

extension LedgerFilterParams: LeafDataRepresentable {
    /// The filters as they arrived, a text each; those not given are left out.
    var leafData: LeafData {
        let given: [(String, String?)] = [
            ("division", division), ("stage", stage), ("orgType", orgType), ("unitCategory", unitCategory),
            ("buildMode", buildMode), ("guidance", guidance), ("dual", dual), ("brand", brand), ("q", q),
            ("foundedFrom", foundedFrom), ("foundedUntil", foundedUntil), ("membersBelow", membersBelow),
            ("review", review), ("sort", sort), ("after", after),
        ]
        var values: [String: LeafData] = [:]
        for case let (key, value?) in given { values[key] = .string(value) }
        return .dictionary(values)
    }
}
