import Foundation
import LeafKit
import TaizhangCore
import TaizhangStore
import Vapor

/// What the pages of `LedgerController` show: the models their templates read.
extension LedgerController {
    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct LedgerPageModel: Encodable {
        var layout: LayoutContext
        var params: LedgerFilterParams
        /// The table's rows, escaped as they were written (`tableRows`).
        var rowsHTML: String
        var hasRows: Bool
        var totalText: String
        var nextHref: String?
        var firstHref: String?
        var exportQuery: String
        var stages: [Option]
        var reviews: [Option]
        var orgTypes: [Option]
        var unitCategories: [Option]
        var buildModes: [Option]
        var sorts: [Option]
        var divisionName: String?
        /// The user's counties and their townships by name, for a scope up to a city's size
        /// (beyond it the filter takes a code).
        var divisionGroups: [DivisionGroup]
        var guidances: [Option]
        var duals: [Option]
        var brands: [Option]
        var canEdit: Bool
    }
}

/// Leaf takes an option as its own value instead of walking it through `Encodable` (the ledger's
/// filters have some 70 a page): the same values, a string, a string and a bool.
extension LedgerController.Option: LeafDataRepresentable {
    var leafData: LeafData {
        .dictionary(["value": .string(value), "label": .string(label), "selected": .bool(selected)])
    }
}
