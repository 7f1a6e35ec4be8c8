import FluentKit
import TaizhangCore
import TaizhangStore
import Vapor

/// A township's joint conference (团建联席会) as its division page shows it: the members and how
/// many have an organization, the last meeting, and the follow-ups still open (overdue in red).
struct ConferencePanel: Encodable {
    struct Followup: Encodable {
        var title: String
        var owner: String
        var deadline: String
        var overdue: Bool
    }

    var href: String
    var members: Int
    var withOrganization: Int
    /// "67%", or "—" without members.
    var organizedShare: String
    var lastMeeting: String?
    var meetings: Int
    var openFollowups: Int
    /// The open follow-ups, oldest first, at most `shown`.
    var followups: [Followup]
    /// How many more are open than are listed; nil when none (a number is always present to Leaf).
    var moreFollowups: Int?

    static let shown = 5

    static func load(township: Division, request: Request, today: CalendarDay = .today()) async throws -> ConferencePanel? {
        guard let summary = try await ConferenceStore.summaries(under: township.path, in: .within(township.path), today: today, on: request.db)
            .first(where: { $0.townshipCode == township.code }) else { return nil }
        let open = try await ConferenceStore.followups(of: township.code, openOnly: true, on: request.db)
        return ConferencePanel(
            href: SiteURL.conference(.value(township.code)).path, members: summary.members, withOrganization: summary.withOrganization,
            organizedShare: summary.organizedPercent.map { "\($0)%" } ?? "—", lastMeeting: summary.lastMeeting?.description,
            meetings: summary.meetings, openFollowups: open.count,
            followups: open.prefix(shown).map { Followup(title: $0.title, owner: $0.ownerName, deadline: $0.deadline.description, overdue: $0.deadline < today) },
            moreFollowups: open.count > shown ? open.count - shown : nil)
    }
}
