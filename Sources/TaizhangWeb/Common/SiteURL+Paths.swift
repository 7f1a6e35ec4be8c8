import Foundation
import TaizhangCore

extension SiteURL {
    /// The path of each page, file and action, segment by segment. The parameter names are
    /// the ones the handlers read (`req.parameters.require("code")`).
    var segments: [SiteURLSegment] {
        switch self {
        case .home: []
        case .login: ["login"]
        case .logout: ["logout"]
        case .health: ["healthz"]
        case .metrics: ["metrics"]
        case .openAPI: ["api", "openapi.json"]

        case .divisions: ["divisions"]
        case .division(let code): ["divisions", .init("code", code)]
        case .divisionAttributes(let code): ["divisions", .init("code", code), "attributes"]
        case .divisionZones(let code): ["divisions", .init("code", code), "zones"]
        case .divisionMove(let code): ["divisions", .init("code", code), "move"]
        case .committee(let code): ["divisions", .init("code", code), "committee"]
        case .committeeMembers(let code): ["divisions", .init("code", code), "committee", "members"]
        case .committeeLinks(let code): ["divisions", .init("code", code), "committee", "links"]

        case .ledger: ["ledger"]
        case .ledgerExport(let format): ["ledger", .init(stringLiteral: "export." + format.rawValue)]
        case .ledgerTemplate(let format): ["ledger", .init(stringLiteral: "template." + format.rawValue)]
        case .ledgerNew: ["ledger", "new"]
        case .ledgerImport: ["ledger", "import"]
        case .ledgerImportCommit(let batch): ["ledger", "import", .init("batchID", batch), "commit"]
        case .organization(let code): ["organizations", .init("code", code)]
        case .organizationStage(let code): ["organizations", .init("code", code), "stage"]

        case .talents: ["talents"]
        case .talentAssignments(let talent): ["talents", .init("talentID", talent), "assignments"]

        case .campaigns: ["campaigns"]
        case .campaignOverview(let id): Self.campaignRoot(id)
        case .campaignArea(let id, let code): Self.campaignRoot(id) + ["areas", .init("code", code)]
        case .campaignAreaTable(let id, let code, let table): Self.campaignRoot(id) + ["areas", .init("code", code), .init("table", table)]
        case .campaignRanking(let id): Self.campaignRoot(id) + ["ranking"]
        case .campaignRankingTable(let id): Self.campaignRoot(id) + ["ranking.xlsx"]
        case .campaignTargets(let id): Self.campaignRoot(id) + ["targets"]
        case .campaignAllocation(let id): Self.campaignRoot(id) + ["allocation"]
        case .campaignProposals(let id): Self.campaignRoot(id) + ["proposals"]
        case .campaignProposalDecision(let id, let proposal): Self.campaignRoot(id) + ["proposals", .init("proposalID", proposal), "decision"]

        case .latestReports: ["reports"]
        case .latestBulletins: ["bulletins"]
        case .campaignReports(let id): Self.campaignRoot(id) + ["reports"]
        case .campaignReport(let id, let report): Self.campaignRoot(id) + ["reports", .init("reportID", report)]
        case .campaignReviews(let id): Self.campaignRoot(id) + ["reviews"]
        case .campaignSchedule(let id): Self.campaignRoot(id) + ["schedule"]
        case .campaignBulletins(let id): Self.campaignRoot(id) + ["bulletins"]
        case .campaignBulletin(let id, let bulletin): Self.campaignRoot(id) + ["bulletins", .init("bulletinID", bulletin)]
        case .campaignBulletinWithdraw(let id, let bulletin): Self.campaignRoot(id) + ["bulletins", .init("bulletinID", bulletin), "withdraw"]
        case .campaignBulletinFile(let id, let bulletin, let file):
            Self.campaignRoot(id) + ["bulletins", .init("bulletinID", bulletin), .init("file", file)]

        case .verification: ["verification"]
        case .reviewQueue: ["verification", "queue"]
        case .reviewConfirm: ["verification", "confirm"]
        case .reviewReturn: ["verification", "return"]
        case .signOffs: ["verification", "sign-offs"]
        case .signOff(let id): ["verification", "sign-offs", .init("signOffID", id)]
        case .signOffReopen(let id): ["verification", "sign-offs", .init("signOffID", id), "reopen"]
        case .redFlagsStart: ["verification", "red-flags"]
        case .redFlags(let code): ["verification", "red-flags", .init("code", code)]
        case .redFlagDismiss(let code): ["verification", "red-flags", .init("code", code), "dismiss"]

        case .spotChecks: ["verification", "spot-checks"]
        case .spotCheck(let id): ["verification", "spot-checks", .init("spotCheckID", id)]
        case .spotCheckOutcome(let id, let code): ["verification", "spot-checks", .init("spotCheckID", id), "samples", .init("code", code)]
        case .spotCheckReport(let id): ["verification", "spot-checks", .init("spotCheckID", id), "report"]
        case .spotCheckReportFile(let id, let file): ["verification", "spot-checks", .init("spotCheckID", id), "report", .init("file", file)]

        case .liaisons: ["liaisons"]
        case .liaisonAssignments: ["liaisons", "assignments"]
        case .liaisonAssignmentEnd(let id): ["liaisons", "assignments", .init("assignmentID", id), "end"]
        case .liaisonTownship(let code): ["liaisons", "townships", .init("code", code)]
        case .visits: ["liaisons", "visits"]
        case .visitNew: ["liaisons", "visits", "new"]
        case .visit(let id): ["liaisons", "visits", .init("visitID", id)]
        case .visitAttachment(let id, let file): ["liaisons", "visits", .init("visitID", id), "files", .init("attachmentID", file)]
        case .liaisonRhythm: ["liaisons", "rhythm"]

        case .supervision: ["supervision"]
        case .supervisionNew: ["supervision", "new"]
        case .supervisionExport: ["supervision", "items.xlsx"]
        case .supervisionItem(let id): ["supervision", "items", .init("itemID", id)]
        case .supervisionItemMove(let id): ["supervision", "items", .init("itemID", id), "move"]
        case .escalations: ["supervision", "escalations"]
        case .escalationNew: ["supervision", "escalations", "new"]
        case .escalation(let id): ["supervision", "escalations", .init("escalationID", id)]

        case .inbox: ["inbox"]
        case .inboxRead: ["inbox", "read"]
        case .inboxMailAddress: ["inbox", "mail-address"]
        case .outbox: ["inbox", "outbox"]
        case .outboxRetry(let id): ["inbox", "outbox", .init("reminderID", id), "retry"]

        case .assessments: ["assessments"]
        case .assessment(let id): ["assessments", .init("assessmentID", id)]
        case .assessmentRubric(let id): ["assessments", .init("assessmentID", id), "rubric"]
        case .assessmentScores(let id): ["assessments", .init("assessmentID", id), "scores"]
        case .assessmentSelfScores(let id): ["assessments", .init("assessmentID", id), "self-scores"]
        case .assessmentEvidenceFile(let id, let file): ["assessments", .init("assessmentID", id), "evidence", .init("fileID", file)]
        case .assessmentPublish(let id): ["assessments", .init("assessmentID", id), "publish"]
        case .assessmentRepublish(let id): ["assessments", .init("assessmentID", id), "republish"]
        case .assessmentResult(let id, let version): ["assessments", .init("assessmentID", id), "results", .init("version", version)]
        case .assessmentResultFile(let id, let version, let file):
            ["assessments", .init("assessmentID", id), "results", .init("version", version), .init("file", file)]
        case .assessmentAppeals(let id): ["assessments", .init("assessmentID", id), "appeals"]
        case .assessmentAppealDecision(let id, let appeal): ["assessments", .init("assessmentID", id), "appeals", .init("appealID", appeal), "decision"]

        case .demonstrations: ["demonstrations"]
        case .demonstrationCriteria: ["demonstrations", "criteria"]
        case .demonstrationLimit: ["demonstrations", "limit"]
        case .demonstration(let id): ["demonstrations", .init("demonstrationID", id)]
        case .demonstrationDecision(let id): ["demonstrations", .init("demonstrationID", id), "decision"]
        case .demonstrationEvidence(let id): ["demonstrations", .init("demonstrationID", id), "evidence"]
        case .demonstrationAcceptance(let id): ["demonstrations", .init("demonstrationID", id), "acceptance"]
        case .demonstrationFile(let id, let file): ["demonstrations", .init("demonstrationID", id), "files", .init("fileID", file)]
        case .modelCases: ["model-cases"]
        case .modelCaseNew: ["model-cases", "new"]
        case .modelCase(let id): ["model-cases", .init("caseID", id)]

        case .library: ["library"]
        case .libraryDocuments: ["library", "documents"]
        case .libraryDocument(let id): ["library", "documents", .init("documentID", id)]
        case .libraryVersions(let id): ["library", "documents", .init("documentID", id), "versions"]
        case .libraryFile(let id, let version): ["library", "documents", .init("documentID", id), "versions", .init("version", version)]
        case .libraryFAQ: ["library", "faq"]

        case .account: ["account"]
        case .accountPassword: ["account", "password"]
        case .accountTokens: ["account", "tokens"]
        case .accountTokenRevoke(let token): ["account", "tokens", .init("tokenID", token), "revoke"]

        case .users: ["admin", "users"]
        case .user(let user): Self.userRoot(user)
        case .userGrants(let user): Self.userRoot(user) + ["grants"]
        case .userGrantDelete(let user, let grant): Self.userRoot(user) + ["grants", .init("grantID", grant), "delete"]
        case .userActive(let user): Self.userRoot(user) + ["active"]
        case .userProfile(let user): Self.userRoot(user) + ["profile"]
        case .userPassword(let user): Self.userRoot(user) + ["password"]
        case .reference: ["admin", "reference"]

        case .conferences: ["conferences"]
        case .conference(let code): ["conferences", .init("code", code)]
        case .conferenceMembers(let code): ["conferences", .init("code", code), "members"]
        case .conferenceMeetingNew(let code): ["conferences", .init("code", code), "meetings", "new"]
        case .conferenceMeetings(let code): ["conferences", .init("code", code), "meetings"]
        case .conferenceMeeting(let code, let id): ["conferences", .init("code", code), "meetings", .init("meetingID", id)]
        case .conferenceMinutes(let code, let id): ["conferences", .init("code", code), "meetings", .init("meetingID", id), "minutes.docx"]
        case .activities: ["activities"]
        case .activityNew: ["activities", "new"]
        case .activityConversion(let code): ["activities", "conversion", .init("code", code)]
        case .organizationPath(let code): ["activities", "organizations", .init("code", code)]

        case .audit: ["audit"]
        case .auditExport: ["audit.csv"]

        case .file(let file): [.init(stringLiteral: file.rawValue)]
        }
    }

    private static func campaignRoot(_ id: Parameter<Int>) -> [SiteURLSegment] {
        ["campaigns", .init("campaignID", id)]
    }

    private static func userRoot(_ id: Parameter<UUID>) -> [SiteURLSegment] {
        ["admin", "users", .init("userID", id)]
    }
}

extension SiteURL {
    /// The page of the division a grant or campaign names: the division's own page, or the
    /// division index for the whole country (`CN`), which has no page.
    static func divisionPage(_ code: String) -> SiteURL {
        code == DivisionTable.nationalRegion ? .divisions : .division(.value(code))
    }
}
