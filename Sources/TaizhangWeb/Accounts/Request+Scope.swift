import FluentKit
import TaizhangCore
import TaizhangStore
import Vapor

extension Request {
    /// Where this user's view of the tree starts: the loaded regions for a system
    /// administrator, else the divisions their grants are on (outermost only).
    func visibleRootDivisions() async throws -> [Division] {
        let user = try requireUser()
        if user.policy.isSystemAdmin { return try await DivisionQueries.deploymentRoots(on: db) }
        let codes = user.policy.visibleRoots.map(\.divisionCode)
        let rows = try await Division.query(on: db).filter(\.$id ~~ codes).all()
        return rows.sorted { $0.code < $1.code }
    }

    /// Keeps only the divisions the user may see.
    func visible(_ divisions: [Division]) throws -> [Division] {
        let policy = try requireUser().policy
        return divisions.filter { policy.allows(.view, at: $0.path) }
    }
}
