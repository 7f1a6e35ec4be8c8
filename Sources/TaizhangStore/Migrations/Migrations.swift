import FluentKit

/// Every migration, in the order it runs. Never edit one that has shipped: add a new one.
public enum TaizhangMigrations {
    public static let all: [any Migration] = [
        CreateDivisions(),
        CreateDeploymentRegions(),
        CreateDivisionMoves(),
        CreateAuditEvents(),
        CreateAccounts(),
        CreateLedger(),
        CreateCommitteeAndTalent(),
        CreateCampaigns(),
        CreateReporting(),
        CreateDataVersion(),
        AddBulletinWithdrawal(),
        AddMustChangePassword(),
        AddReview(),
        CreateSpotChecks(),
        CreateRedFlagDismissals(),
        CreateLiaison(),
        CreateSupervision(),
        CreateReminders(),
        CreateAssessments(),
        CreateConference(),
        CreateActivities(),
        CreateDemonstration(),
        CreateLibrary(),
        CreateVisitRhythms(),
        CreateSetupVersion(),
        AddActivityKindsAndCaseActivities(),
        CreateTownshipLedgerVersions(),
        CreateAssessmentSelfScores(),
        CreateAssessmentEvidence(),
        CreateOrganizationSearch(),
        AddOrganizationNameSort(),
        MoveCodeSearchIndexOntoAnExpression(),
        CreateReminderVersion(),
        IndexSearchTextsOfAnyLength(),
        IndexTheFoundingDateOrEmpty(),
    ]

    public static func register(on migrations: Migrations, to id: DatabaseID? = nil) {
        migrations.add(all, to: id)
    }
}
