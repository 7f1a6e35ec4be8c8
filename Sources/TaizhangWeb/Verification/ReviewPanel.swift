import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// The 核查 part of an organization's page: its review state, why it was returned, the lock of a
/// sign-off, what changed since it was last confirmed, its review history, and — for a reviewer
/// of that level — the confirm and return buttons.
struct ReviewPanel: Encodable {
    struct Change: Encodable {
        var field: String
        var confirmed: String
        var current: String
    }

    struct HistoryRow: Encodable {
        var change: String
        var reason: String
        var actor: String
        var recorded: String
    }

    var state: String
    var stateClass: String
    var reason: String?
    var refutedOn: String?
    var lockedBy: String?
    var lockedHref: String?
    var changes: [Change]
    var history: [HistoryRow]
    /// The level the user may act at on this record, if any.
    var level: String?
    var levelLabel: String?
    var canConfirm: Bool
    var canReturn: Bool
    var confirmAction: String
    var returnAction: String
    var back: String

    static func load(_ req: Request, record: OrganizationRecord) async throws -> ReviewPanel {
        let user = try req.requireUser()
        let review = record.review
        var changes: [Change] = []
        if let confirmed = try await ReviewStore.confirmedFields(record.code, on: req.db) {
            let current = record.fields.auditSnapshot
            for key in Set(confirmed.keys).union(current.keys).sorted() where confirmed[key] != current[key] {
                changes.append(Change(field: key, confirmed: confirmed[key] ?? "（空）", current: current[key] ?? "（空）"))
            }
        }
        let history = try await ReviewEvents.history(record.code, on: req.db).map {
            HistoryRow(change: "\($0.from.label) → \($0.to.label)", reason: $0.reason ?? "", actor: $0.actorName,
                       recorded: DisplayFormat.dateTime($0.recordedAt))
        }
        // The level whose review scope covers the record and that can act on its state.
        let level = ReviewLevel.allCases.reversed().first { level in
            user.policy.reviewScope(level).contains(record.divisionPath)
                && (review.state == level.confirmsFrom || level.mayReturn.contains(review.state))
        }
        let live = !record.fields.stage.isEnded && !review.isLocked
        return ReviewPanel(
            state: review.state.label, stateClass: review.state.rawValue, reason: review.state == .returned ? review.reason : nil,
            refutedOn: review.refutedOn?.description,
            lockedBy: review.signOffID.map { "市级签字确认第 \($0) 号" }, lockedHref: review.signOffID.map { SiteURL.signOff(.value($0)).path },
            changes: changes, history: history, level: level?.rawValue, levelLabel: level?.label,
            canConfirm: live && level.map { review.state == $0.confirmsFrom && review.mayBeConfirmed(by: user.id.uuidString) } ?? false,
            canReturn: live && level.map { $0.mayReturn.contains(review.state) } ?? false,
            confirmAction: SiteURL.reviewConfirm.path, returnAction: SiteURL.reviewReturn.path,
            back: SiteURL.organization(.value(record.code)).path)
    }
}
