import SQLKit
import TaizhangCore

extension SQLPredicateBuilder {
    /// Rows whose materialized path in `column` lies in any of the subtrees rooted at `paths`
    /// (each a range scan on the path index). Callers handle "no subtree at all" themselves.
    @discardableResult
    func whereInSubtrees(_ column: any SQLExpression, _ paths: [String]) -> Self {
        self.where { group in
            for path in paths {
                let (lower, upper) = DivisionPath.subtreeRange(of: path)
                group.orWhere { $0.where(column, .greaterThanOrEqual, SQLBind(lower)).where(column, .lessThan, SQLBind(upper)) }
            }
            return group
        }
    }

    /// Rows whose materialized path in `column` lies inside `scope` (no condition for everywhere,
    /// none at all for an empty scope).
    @discardableResult
    func whereInside(_ scope: Scope, _ column: any SQLExpression) -> Self {
        guard case .within(let roots) = scope else { return self }
        guard !roots.isEmpty else { return self.where(SQLLiteral.boolean(false), .equal, SQLLiteral.boolean(true)) }
        return whereInSubtrees(column, roots.map(\.rawValue))
    }
}
