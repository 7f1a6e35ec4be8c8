import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

extension ReviewController {
    /// The queue page: counts per state and township, records with open red flags first, then
    /// the rest a page at a time, each with a checkbox for the bulk actions.
    static func renderQueue(_ req: Request, _ queue: QueueRequest, after: String?, done: String?, error: String?,
                            status: HTTPStatus) async throws -> Response {
        let user = try req.requireUser()
        var rows = try await ReviewQueue.page(queue.filter, after: after, limit: pageSize + 1, on: req.db)
        let hasMore = rows.count > pageSize
        rows = Array(rows.prefix(pageSize))
        let (perTownship, total) = try await queue.townshipCounts(on: req.db)
        var flagged: [OrganizationRecord] = []
        var flagCounts: [String: Int] = [:]
        // Open red flags first, on the first page, when the queue is a county's or a township's
        // (a whole city's flags are on the red-flag page).
        if after == nil, queue.canAct, !perTownship.isEmpty, let flagScope = try await narrowScope(queue, on: req.db) {
            flagCounts = RedFlagStore.openFlagCounts(try await RedFlagController.listing(req, flagScope))
            let codes = Array(flagCounts.keys).sorted()
            for start in stride(from: 0, to: codes.count, by: 500) where flagged.count < pageSize {
                let chunk = Array(codes[start..<min(start + 500, codes.count)])
                flagged += try await ReviewQueue.page(queue.filter, codes: chunk, limit: pageSize, on: req.db)
            }
            flagged = Array(flagged.prefix(pageSize))
        }
        let names = try await townshipNames(Array(perTownship.keys) + rows.map(\.fields.townshipCode) + flagged.map(\.fields.townshipCode), on: req.db)
        let confirmed = try await changedSinceConfirmation(rows + flagged, on: req.db)
        func row(_ record: OrganizationRecord) -> QueueRow {
            QueueRow(code: record.code, name: record.fields.name, href: SiteURL.organization(.value(record.code)).path,
                     township: names[record.fields.townshipCode] ?? record.fields.townshipCode, stage: record.fields.stage.label,
                     foundedOn: record.fields.foundedOn?.description ?? "", changedSinceConfirmation: confirmed.contains(record.code),
                     reason: record.review.reason, flags: flagCounts[record.code] ?? 0)
        }
        let levels = ReviewLevel.allCases.filter { !user.policy.reviewScope($0).isEmpty || $0 == queue.level }
            .map { Link(label: $0.label, href: queueHref($0), note: $0 == queue.level ? "active" : nil) }
        let model = QueueModel(
            layout: LayoutContext(title: "核查队列 · \(queue.state.label)", area: .verification, request: req),
            level: queue.level.rawValue, levelLabel: queue.level.label, stateLabel: queue.state.label, levels: levels,
            states: ReviewState.allCases.map { state in
                StateCount(label: state.label, count: state == queue.state ? total : -1,
                           href: queueHref(queue.level, state: state, township: queue.township))
            },
            townships: perTownship.sorted { $0.key < $1.key }.map { code, count in
                TownshipCount(name: names[code] ?? code, count: count, href: queueHref(queue.level, state: queue.state, township: code),
                              active: code == queue.township)
            },
            total: total,
            flagged: flagged.map(row), rows: rows.map(row),
            nextHref: hasMore ? queueHref(queue.level, state: queue.state, township: queue.township, after: rows.last?.code) : nil,
            canAct: queue.canAct, canConfirm: queue.canAct && queue.state == queue.level.confirmsFrom,
            canReturn: queue.canAct && queue.level.mayReturn.contains(queue.state),
            confirmAction: SiteURL.reviewConfirm.path, returnAction: SiteURL.reviewReturn.path,
            state: queue.state.rawValue, township: queue.township, done: done, error: error)
        return try await req.view.render("review-queue", model).encodeResponse(status: status, for: req)
    }

    /// The subtree whose red flags order the queue: the township filtered on, or the reviewer's
    /// single county; nil for a whole city (too many to compute for every page view).
    static func narrowScope(_ queue: QueueRequest, on db: any Database) async throws -> Scope? {
        if let township = queue.township, let division = try await DivisionQueries.find(township, on: db),
           queue.filter.scope.contains(division.path) {
            return .within(division.path)
        }
        if case .within(let roots) = queue.filter.scope, roots.count == 1, roots[0].depth >= 3 { return queue.filter.scope }
        return nil
    }

    static func townshipNames(_ codes: [String], on db: any Database) async throws -> [String: String] {
        try await DivisionNames.load(townships: Set(codes), on: db).byCode.mapValues(\.name)
    }

    /// The records whose fields differ from what was last confirmed.
    static func changedSinceConfirmation(_ records: [OrganizationRecord], on db: any Database) async throws -> Set<String> {
        let candidates = records.filter { $0.review.state == .pending || $0.review.state == .returned }
        let confirmed = try await ReviewStore.confirmedFields(codes: candidates.map(\.code), on: db)
        return Set(candidates.filter { record in confirmed[record.code].map { $0 != record.fields.auditSnapshot } ?? false }.map(\.code))
    }
}
