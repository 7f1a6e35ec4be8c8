import Vapor

extension Routes {
    /// The methods of the registered routes that match `path` (constants equal, `:parameter`
    /// any one component, `**` the rest).
    func methods(at path: String) -> [HTTPMethod] {
        matching(path).map(\.method)
    }

    /// The registered routes that match `path`, as `methods(at:)` matches them.
    func matching(_ path: String) -> [Route] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return all.filter { route in
            for (index, component) in route.path.enumerated() {
                switch component {
                case .constant(let value): if index >= parts.count || parts[index] != value { return false }
                case .parameter, .anything: if index >= parts.count { return false }
                case .catchall: return true
                }
            }
            return route.path.count == parts.count
        }
    }

    /// Whether a GET route matches `path`: a page of this site.
    func hasPage(at path: String) -> Bool {
        methods(at: path).contains(.GET)
    }
}
