import LeafKit
/// The links to the site's parameter-free pages, files and actions, made from `SiteURL` and given
/// to every page in its layout (`#(layout.links.ledger)`), so templates write no path.
struct SiteLinks: Encodable, Equatable, Sendable {
    var home = SiteURL.home.path
    var login = SiteURL.login.path
    var logout = SiteURL.logout.path
    var account = SiteURL.account.path
    var accountPassword = SiteURL.accountPassword.path
    var accountTokens = SiteURL.accountTokens.path
    var divisions = SiteURL.divisions.path
    var ledger = SiteURL.ledger.path
    var ledgerNew = SiteURL.ledgerNew.path
    var ledgerImport = SiteURL.ledgerImport.path
    var ledgerExportXLSX = SiteURL.ledgerExport(.xlsx).path
    var ledgerExportCSV = SiteURL.ledgerExport(.csv).path
    var ledgerTemplateXLSX = SiteURL.ledgerTemplate(.xlsx).path
    var ledgerTemplateCSV = SiteURL.ledgerTemplate(.csv).path
    var talents = SiteURL.talents.path
    var campaigns = SiteURL.campaigns.path
    var users = SiteURL.users.path
    var reference = SiteURL.reference.path
    var audit = SiteURL.audit.path
    var liaisons = SiteURL.liaisons.path
    var visits = SiteURL.visits.path
    var visitNew = SiteURL.visitNew.path
    var supervision = SiteURL.supervision.path
    var supervisionNew = SiteURL.supervisionNew.path
    var escalations = SiteURL.escalations.path
    var escalationNew = SiteURL.escalationNew.path
    var auditExport = SiteURL.auditExport.path
    var inbox = SiteURL.inbox.path
    var stylesheet = SiteURL.file(.stylesheet).path
    var script = SiteURL.file(.script).path

    static let shared = SiteLinks()
}

/// Leaf takes the links as its own value instead of walking them through `Encodable` key by key
/// on every page: the same values, a string for each link.
extension SiteLinks: LeafDataRepresentable {
    /// The shared links, made once.
    private static let sharedLeafData = SiteLinks.shared.makeLeafData()

    var leafData: LeafData {
        self == .shared ? Self.sharedLeafData : makeLeafData()
    }

    private func makeLeafData() -> LeafData {
        var values: [String: LeafData] = [:]
        for child in Mirror(reflecting: self).children {
            guard let key = child.label, let path = child.value as? String else { continue }
            values[key] = .string(path)
        }
        return .dictionary(values)
    }
}
