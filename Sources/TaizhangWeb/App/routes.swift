import TaizhangCore
import Vapor

/// Every route of the app with what it requires (see `RouteAccess`); handlers live in
/// Controllers/. A test walks this table with a user of every role.
func routes(_ app: Application) throws {
    app.get("login", use: SessionController.form).access(.open)
    app.post("login", use: SessionController.login).access(.open)
    app.post("logout", use: SessionController.logout).access(.signedIn)
    app.get("healthz", use: SystemController.health).access(.open)
    app.get("metrics", use: TaizhangMetrics.render).access(.open)
    app.get("api", "openapi.json", use: SystemController.openAPI).access(.open)

    app.get(use: DivisionController.home).access(.signedIn)
    app.get("divisions", use: DivisionController.index).access(.signedIn)
    app.get("divisions", ":code", use: DivisionController.show).access(.onDivision(.view))
    app.post("divisions", ":code", "attributes", use: DivisionController.updateAttributes).access(.onDivision(.editDivisions))
    app.post("divisions", ":code", "zones", use: DivisionController.addZone).access(.onDivision(.manageZones))
    app.post("divisions", ":code", "move", use: DivisionController.move).access(.onDivision(.manageZones))

    app.get("ledger", use: LedgerController.index).access(.signedIn)
    app.get("ledger", "export.xlsx", use: LedgerController.export).access(.signedIn)
    app.get("ledger", "export.csv", use: LedgerController.export).access(.signedIn)
    app.get("ledger", "template.xlsx", use: LedgerController.template).access(.signedIn)
    app.get("ledger", "template.csv", use: LedgerController.template).access(.signedIn)
    app.get("ledger", "new", use: OrganizationController.newForm).access(.somewhere(.editLedger))
    app.post("ledger", use: OrganizationController.create).access(.somewhere(.editLedger))
    app.get("ledger", "import", use: LedgerImportController.form).access(.somewhere(.editLedger))
    app.on(.POST, "ledger", "import", body: .collect(maxSize: LedgerImportController.maxUploadSize),
           use: LedgerImportController.upload).access(.somewhere(.editLedger))
    app.post("ledger", "import", ":batchID", "commit", use: LedgerImportController.commit).access(.somewhere(.editLedger))
    app.get("organizations", ":code", use: OrganizationController.show).access(.onOrganization(.view))
    app.post("organizations", ":code", use: OrganizationController.update).access(.onOrganization(.editLedger))
    app.post("organizations", ":code", "stage", use: OrganizationController.changeStage).access(.onOrganization(.editLedger))

    app.get("divisions", ":code", "committee", use: CommitteeController.show).access(.onDivision(.view))
    app.post("divisions", ":code", "committee", "members", use: CommitteeController.addMember).access(.onDivision(.editLedger))
    app.post("divisions", ":code", "committee", "links", use: CommitteeController.link).access(.onDivision(.editLedger))
    app.get("talents", use: TalentController.index).access(.signedIn)
    app.post("talents", use: TalentController.create).access(.somewhere(.editLedger))
    app.post("talents", ":talentID", "assignments", use: TalentController.assign).access(.somewhere(.editLedger))

    app.get("account", use: AccountController.show).access(.signedIn)
    app.post("account", "password", use: AccountController.changePassword).access(.signedIn)
    app.post("account", "tokens", use: AccountController.createToken).access(.signedIn)
    app.post("account", "tokens", ":tokenID", "revoke", use: AccountController.revokeToken).access(.signedIn)

    app.get("admin", "users", use: UserAdminController.index).access(.somewhere(.manageUsers))
    app.post("admin", "users", use: UserAdminController.create).access(.somewhere(.manageUsers))
    app.get("admin", "users", ":userID", use: UserAdminController.show).access(.somewhere(.manageUsers))
    app.post("admin", "users", ":userID", "grants", use: UserAdminController.addGrant).access(.somewhere(.manageUsers))
    app.post("admin", "users", ":userID", "grants", ":grantID", "delete", use: UserAdminController.removeGrant)
        .access(.somewhere(.manageUsers))
    app.post("admin", "users", ":userID", "active", use: UserAdminController.setActive).access(.somewhere(.manageUsers))
    app.post("admin", "users", ":userID", "password", use: UserAdminController.resetPassword).access(.somewhere(.manageUsers))

    app.get("admin", "reference", use: ReferenceController.index).access(.somewhere(.administerSystem))
    app.post("admin", "reference", use: ReferenceController.add).access(.somewhere(.administerSystem))

    app.get("audit", use: AuditController.index).access(.somewhere(.viewAudit))
    app.get("audit.csv", use: AuditController.export).access(.somewhere(.viewAudit))

    let api = app.grouped("api", "v1")
    api.get("me", use: AccountController.me).access(.signedIn)
    api.get("divisions", use: DivisionAPIController.list).access(.signedIn)
    api.get("divisions", ":code", use: DivisionAPIController.show).access(.onDivision(.view))
    api.patch("divisions", ":code", use: DivisionAPIController.update).access(.onDivision(.editDivisions))
    api.post("divisions", ":code", "move", use: DivisionAPIController.move).access(.onDivision(.manageZones))
    api.post("management-zones", use: DivisionAPIController.createZone).access(.somewhere(.manageZones))
    api.get("audit-events", use: AuditController.api).access(.somewhere(.viewAudit))
    api.get("organizations", use: OrganizationAPIController.list).access(.signedIn)
    api.post("organizations", use: OrganizationAPIController.create).access(.somewhere(.editLedger))
    api.get("organizations", ":code", use: OrganizationAPIController.show).access(.onOrganization(.view))
    api.patch("organizations", ":code", use: OrganizationAPIController.update).access(.onOrganization(.editLedger))
    api.post("organizations", ":code", "stage", use: OrganizationAPIController.changeStage).access(.onOrganization(.editLedger))
    api.on(.POST, "ledger-imports", body: .collect(maxSize: LedgerImportController.maxUploadSize),
           use: OrganizationAPIController.importFile).access(.somewhere(.editLedger))
    api.get("reference-values", use: OrganizationAPIController.references).access(.signedIn)
    api.get("divisions", ":code", "committee", use: CommitteeAPIController.committee).access(.onDivision(.view))
    api.get("talents", use: CommitteeAPIController.talents).access(.signedIn)
}
