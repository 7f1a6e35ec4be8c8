import TaizhangCore

/// A recorded brand activity as one line where a page cites it (an organization's page, a
/// model case): when, what kind, its name, whom it reached, and a link to the township's list.
struct ActivityLine: Encodable, Sendable {
    var id: Int
    var day: String
    var kind: String
    var title: String
    var youthReached: Int
    var units: String
    var href: String

    init(_ activity: Activity) {
        id = activity.id
        day = activity.heldOn.description
        kind = activity.kind
        title = activity.title
        youthReached = activity.youthReached
        units = activity.units.map(\.name).joined(separator: "、")
        href = SiteURL.activities.path + "?division=" + activity.townshipCode
    }
}
