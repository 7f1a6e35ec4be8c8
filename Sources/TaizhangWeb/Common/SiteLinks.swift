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
