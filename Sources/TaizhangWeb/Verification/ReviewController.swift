import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The 核查 area: its start page, the verifier's queue with bulk confirm and return, and the
/// single-record actions of an organization's page (which post here too).
enum ReviewController {
    /// Rows a queue page lists; "confirm all that match" acts on up to `ReviewStore`'s limit.
    static let pageSize = 100
    /// A request naming the most records one action takes (10,000 codes of up to ~30 bytes each).
    static let bodyLimit: ByteCount = "512kb"

    /// `/verification`: what waits at each level in the user's subtree, and the area's pages.
    static func home(_ req: Request) async throws -> View {
        let user = try req.requireUser()
        let divisions = try await visibleDivisionCodes(req)
        let counts = try await ReviewQueue.reviewCounts(divisions: divisions, on: req.db)
        return try await req.view.render("verification", HomeModel(req: req, user: user, counts: counts))
    }

    /// The codes whose running counts add up to what the user sees.
    static func visibleDivisionCodes(_ req: Request) async throws -> [String] {
        switch try req.scope(for: .view) {
        case .everywhere: try await DivisionQueries.deploymentRoots(on: req.db).map(\.code)
        case .within(let roots): roots.compactMap(\.code)
        }
    }

    struct QueueQuery: Content {
        var level: String?
        var state: String?
        var township: String?
        var after: String?
        var done: String?
    }

    /// The level, state and scope a queue request asks for, checked against the user's grants.
    struct QueueRequest {
        var level: ReviewLevel
        var state: ReviewState
        var township: String?
        /// Where the user reviews at this level; empty when they only look.
        var reviewScope: Scope
        var filter: ReviewQueue.Filter
        var canAct: Bool

        init(_ req: Request, level levelText: String?, state stateText: String?, township: String?) throws {
            let user = try req.requireUser()
            let county = user.policy.reviewScope(.county)
            let defaultLevel: ReviewLevel = county.isEmpty && !user.policy.reviewScope(.city).isEmpty ? .city : .county
            guard let level = levelText?.nilIfBlank.map({ ReviewLevel(rawValue: $0) }) ?? defaultLevel else {
                throw Refusal("level：只能是 county（县级核实）或 city（市级确认），收到「\(levelText ?? "")」", field: "level")
            }
            guard let state = stateText?.nilIfBlank.map({ ReviewState(text: $0) }) ?? level.confirmsFrom else {
                throw Refusal("state：只能是 pending、returned、county 或 city，收到「\(stateText ?? "")」", field: "state")
            }
            self.level = level
            self.state = state
            self.township = township?.nilIfBlank
            reviewScope = user.policy.reviewScope(level)
            canAct = !reviewScope.isEmpty
            // Someone who only looks sees what their view covers.
            let scope = canAct ? reviewScope : try req.scope(for: .view)
            filter = ReviewQueue.Filter(scope: scope, state: state, township: self.township)
        }

        /// The state's records per township of the whole scope (whatever township is filtered on),
        /// and the total the queue shows: the township's when one is filtered on.
        func townshipCounts(on db: any Database) async throws -> (perTownship: [String: Int], total: Int) {
            let counts = try await ReviewQueue.townshipCounts(ReviewQueue.Filter(scope: filter.scope, state: state), on: db)
            return (counts, township.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +))
        }
    }

    static func queue(_ req: Request) async throws -> Response {
        let query = try req.query.decode(QueueQuery.self)
        do {
            let queue = try QueueRequest(req, level: query.level, state: query.state, township: query.township)
            return try await renderQueue(req, queue, after: query.after, done: query.done, error: nil, status: .ok)
        } catch let error as Refusal {
            throw Abort(.badRequest, reason: error.message)
        }
    }

    struct ActionForm: Content {
        var level: String?
        var state: String?
        var township: String?
        var codes: [String]?
        /// "1": every record the filter matches, not only the ticked ones.
        var allMatching: String?
        var reason: String?
        /// The page to go back to (an organization's, or the queue).
        var back: String?
    }

    static func confirm(_ req: Request) async throws -> Response {
        try await act(req) { queue, codes, form in
            try await ReviewStore.confirm(codes, at: queue.level, scope: queue.reviewScope, by: req.actor, on: req.db)
        }
    }

    static func returnRecords(_ req: Request) async throws -> Response {
        try await act(req) { queue, codes, form in
            try await ReviewStore.returnRecords(codes, at: queue.level, reason: form.reason ?? "", scope: queue.reviewScope,
                                                by: req.actor, on: req.db)
        }
    }

    private static func act(_ req: Request, _ action: (QueueRequest, [String], ActionForm) async throws -> ReviewStore.Outcome)
        async throws -> Response {
        let form = try req.content.decode(ActionForm.self)
        let queue = try QueueRequest(req, level: form.level, state: form.state, township: form.township)
        do {
            guard queue.canAct else { throw Refusal("您没有\(queue.level.label)的权限", kind: .forbidden) }
            var codes = form.codes ?? []
            if form.allMatching == "1" {
                codes = try await ReviewQueue.page(queue.filter, limit: 10_000, on: req.db).map(\.code)
            }
            let outcome = try await action(queue, codes, form)
            if let back = form.back, back.hasPrefix("/"), !back.hasPrefix("//") {
                return req.redirect(to: back, redirectType: .normal)
            }
            return req.redirect(to: queueHref(queue.level, state: queue.state, township: queue.township, done: "\(outcome.state.label) \(outcome.count) 条"),
                                redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderQueue(req, queue, after: nil, done: nil, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func queueHref(_ level: ReviewLevel, state: ReviewState? = nil, township: String? = nil, after: String? = nil,
                          done: String? = nil) -> String {
        var items = [URLQueryItem(name: "level", value: level.rawValue)]
        if let state { items.append(URLQueryItem(name: "state", value: state.rawValue)) }
        if let township { items.append(URLQueryItem(name: "township", value: township)) }
        if let after { items.append(URLQueryItem(name: "after", value: after)) }
        if let done { items.append(URLQueryItem(name: "done", value: done)) }
        var components = URLComponents()
        components.path = SiteURL.reviewQueue.path
        components.queryItems = items
        return components.string ?? SiteURL.reviewQueue.path
    }
}
