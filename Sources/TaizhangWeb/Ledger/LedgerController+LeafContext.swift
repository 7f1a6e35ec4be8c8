import LeafKit
import Vapor

/// The ledger page's model as Leaf's own values. Under load, Leaf's `Encodable` walk over the
/// model (its filters, some 70 options and the frame) was 4% of what the page cost; built here,
/// the context has the same keys and values (`LedgerLeafContextTests` renders both and compares).
extension LedgerController.LedgerPageModel {
    var leafContext: [String: LeafData] {
        // `[Option].leafData` and the like are LeafKit's own, for arrays of representable values.
        var values: [String: LeafData] = [
            "layout": layout.leafData, "params": params.leafData, "rowsHTML": .string(rowsHTML), "hasRows": .bool(hasRows),
            "totalText": .string(totalText), "exportQuery": .string(exportQuery), "stages": stages.leafData,
            "reviews": reviews.leafData, "orgTypes": orgTypes.leafData, "unitCategories": unitCategories.leafData,
            "buildModes": buildModes.leafData, "sorts": sorts.leafData, "divisionGroups": divisionGroups.leafData,
            "guidances": guidances.leafData, "duals": duals.leafData, "brands": brands.leafData, "canEdit": .bool(canEdit),
        ]
        if let nextHref { values["nextHref"] = .string(nextHref) }
        if let firstHref { values["firstHref"] = .string(firstHref) }
        if let divisionName { values["divisionName"] = .string(divisionName) }
        return values
    }
}

extension LedgerController.DivisionGroup: LeafDataRepresentable {
    var leafData: LeafData {
        .dictionary(["county": county.leafData, "townships": townships.leafData])
    }
}

extension LedgerFilterParams: LeafDataRepresentable {
    /// The filters as they arrived, a text each; those not given are left out.
    var leafData: LeafData {
        var values: [String: LeafData] = [:]
        for case let (key, value?) in fields { values[key] = .string(value) }
        return .dictionary(values)
    }
}
