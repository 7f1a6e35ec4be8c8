import LeafKit

// What every page's frame (its links) and the ledger's filters give Leaf, as Leaf's own values: Leaf's
// encoder takes a `LeafDataRepresentable` as it is instead of walking it through `Encodable`
// key by key (the ledger page encoded some 300 values per request that way). Each gives the
// same values `Encodable` would: a string for a string, a bool for a bool (neither has an
// optional).

extension SiteLinks: LeafDataRepresentable {
    /// The shared links, made once.
    private static let sharedLeafData = SiteLinks.shared.makeLeafData()

    var leafData: LeafData {
        self == .shared ? Self.sharedLeafData : makeLeafData()
    }

    private func makeLeafData() -> LeafData {
        var values: [String: LeafData] = [:]
        for child in Mirror(reflecting: self).children {
            guard let key = child.label, let path = child.value as? String else { continue }
            values[key] = .string(path)
        }
        return .dictionary(values)
    }
}

extension LedgerController.Option: LeafDataRepresentable {
    var leafData: LeafData {
        .dictionary(["value": .string(value), "label": .string(label), "selected": .bool(selected)])
    }
}
