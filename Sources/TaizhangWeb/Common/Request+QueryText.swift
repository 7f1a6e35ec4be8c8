import Foundation
import Vapor

extension Request {
    private struct QueryTextKey: StorageKey {
        typealias Value = [String: String]
    }

    /// The text of a query parameter (the last, if repeated, as Vapor's decoder), percent-decoded with `+` as a
    /// space. Read from one parse of the query string per request: Vapor's `req.query[…]`
    /// runs its form decoder over the whole query on every call, which showed in the
    /// profile of the busiest JSON endpoint.
    func queryText(_ name: String) -> String? {
        if let parsed = storage[QueryTextKey.self] { return parsed[name] }
        var parsed: [String: String] = [:]
        for pair in (url.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = String(text.map { $0 == "+" ? " " : $0 })
                return spaced.removingPercentEncoding ?? spaced
            }
            let key = decode(parts[0])
            parsed[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        storage[QueryTextKey.self] = parsed
        return parsed[name]
    }
}
