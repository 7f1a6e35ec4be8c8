import Foundation
import TaizhangCore
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

    /// A whole-number query parameter within `range`, or `fallback` when it is absent; anything
    /// else (empty, not a number, out of range) is refused naming the parameter.
    func queryInteger(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = queryText(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw InvalidInput(field: name, reason: "「\(text)」应为 \(range.lowerBound) 到 \(range.upperBound) 之间的整数")
        }
        return value
    }
}
