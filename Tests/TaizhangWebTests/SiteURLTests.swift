import Foundation
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import Vapor

/// `SiteURL` and `APIURL` name every route: each link they build leads to the route registered
/// from the same case, and every registered route comes from one of them, so renaming a route
/// in either place moves its links with it.
@Suite struct SiteURLTests {
    static let user = UUID(uuidString: "6B1C1E2A-9A0B-4C4F-8E35-0A3C2B1D4E5F")!
    static let other = UUID(uuidString: "0F9E8D7C-6B5A-4938-A7B6-C5D4E3F2A1B0")!

    /// One link of every case (add one for a new case, and name the case in `mustBeListed`).
    static let pages: [SiteURL] = [
        .home, .login, .logout, .health, .metrics, .openAPI,
        .divisions, .division(.value("350582101")), .divisionAttributes(.value("350582101")), .divisionZones(.value("3505")),
        .divisionMove(.value("350582101")), .committee(.value("350582101")), .committeeMembers(.value("350582101")),
        .committeeLinks(.value("350582101")),
        .ledger, .ledgerExport(.xlsx), .ledgerExport(.csv), .ledgerTemplate(.xlsx), .ledgerTemplate(.csv), .ledgerNew, .ledgerImport,
        .ledgerImportCommit(.value(user)), .organization(.value("350582101-0001")), .organizationStage(.value("350582101-0001")),
        .talents, .talentAssignments(.value(user)),
        .campaigns, .campaignOverview(.value(1)), .campaignArea(.value(1), .value("350582")),
        .campaignAreaTable(.value(1), .value("350582"), .value("stages.xlsx")), .campaignRanking(.value(1)), .campaignRankingTable(.value(1)),
        .campaignTargets(.value(1)), .campaignAllocation(.value(1)), .campaignProposals(.value(1)),
        .campaignProposalDecision(.value(1), .value(2)),
        .latestReports, .latestBulletins, .campaignReports(.value(1)), .campaignReport(.value(1), .value(3)), .campaignReviews(.value(1)),
        .campaignSchedule(.value(1)), .campaignBulletins(.value(1)), .campaignBulletin(.value(1), .value(4)),
        .campaignBulletinWithdraw(.value(1), .value(4)), .campaignBulletinFile(.value(1), .value(4), .value("bulletin.docx")),
        .verification, .reviewQueue, .reviewConfirm, .reviewReturn, .signOffs, .signOff(.value(6)), .signOffReopen(.value(6)),
        .redFlagsStart, .redFlags(.value("350582")), .redFlagDismiss(.value("350582")),
        .spotChecks, .spotCheck(.value(5)), .spotCheckOutcome(.value(5), .value("350582101-0001")), .spotCheckReport(.value(5)),
        .spotCheckReportFile(.value(5), .value("spot-check.docx")),
        .liaisons, .liaisonAssignments, .liaisonAssignmentEnd(.value(7)), .liaisonTownship(.value("350582101")), .visits, .visitNew,
        .visit(.value(8)), .visitAttachment(.value(8), .value(9)), .liaisonRhythm,
        .supervision, .supervisionNew, .supervisionExport, .supervisionItem(.value(10)), .supervisionItemMove(.value(10)),
        .escalations, .escalationNew, .escalation(.value(11)),
        .account, .accountPassword, .accountTokens, .accountTokenRevoke(.value(user)),
        .users, .user(.value(user)), .userGrants(.value(user)), .userGrantDelete(.value(user), .value(other)), .userActive(.value(user)),
        .userProfile(.value(user)), .userPassword(.value(user)), .reference,
        .audit, .auditExport,
        .inbox, .inboxRead, .inboxMailAddress, .outbox, .outboxRetry(.value(14)),
        .assessments, .assessment(.value(12)), .assessmentRubric(.value(12)), .assessmentScores(.value(12)), .assessmentSelfScores(.value(12)),
        .assessmentEvidenceFile(.value(12), .value(3)), .assessmentPublish(.value(12)),
        .assessmentRepublish(.value(12)), .assessmentResult(.value(12), .value(1)), .assessmentResultFile(.value(12), .value(1), .value("assessment.docx")),
        .assessmentAppeals(.value(12)), .assessmentAppealDecision(.value(12), .value(13)),
        .conferences, .conference(.value("350582101")), .conferenceMembers(.value("350582101")), .conferenceMeetingNew(.value("350582101")),
        .conferenceMeetings(.value("350582101")), .conferenceMeeting(.value("350582101"), .value(15)),
        .conferenceMinutes(.value("350582101"), .value(15)), .activities, .activityNew, .activityConversion(.value("350582")),
        .organizationPath(.value("350582101-0001")),
        .demonstrations, .demonstrationCriteria, .demonstrationLimit, .demonstration(.value(17)), .demonstrationDecision(.value(17)),
        .demonstrationEvidence(.value(17)), .demonstrationAcceptance(.value(17)), .demonstrationFile(.value(17), .value(18)),
        .modelCases, .modelCaseNew, .modelCase(.value(19)),
        .library, .libraryDocuments, .libraryDocument(.value(20)), .libraryVersions(.value(20)), .libraryFile(.value(20), .value(2)), .libraryFAQ,
    ]

    static let files: [SiteURL] = SiteURL.PublicFile.allCases.map(SiteURL.file)

    static let api: [APIURL] = [
        .me, .divisions, .division(.value("350582")), .divisionMove(.value("350582101")), .committee(.value("350582101")),
        .managementZones, .auditEvents, .organizations, .organization(.value("350582101-0001")),
        .organizationStage(.value("350582101-0001")), .ledgerImports, .referenceValues, .talents, .campaigns,
        .campaignDetail(.value(1)), .campaignProgress(.value(1)), .campaignRanking(.value(1)), .campaignAllocations(.value(1)),
        .campaignProposals(.value(1)), .campaignProposalDecision(.value(1), .value(2)), .campaignBulletins(.value(1)),
        .campaignBulletin(.value(1), .value(4)),
        .reviewQueue, .reviewConfirmations, .reviewReturns, .signOffs, .signOff(.value(6)), .signOffReopen(.value(6)),
        .redFlags(.value("350582")), .redFlagDismissals(.value("350582")),
        .spotChecks, .spotCheck(.value(5)), .spotCheckOutcome(.value(5), .value("350582101-0001")), .spotCheckReport(.value(5)),
        .inbox, .inboxRead,
        .assessments, .assessment(.value(12)), .assessmentResult(.value(12), .value(1)), .assessmentRubric(.value(12)),
        .assessmentScores(.value(12)), .assessmentSelfScores(.value(12)), .assessmentPublish(.value(12)), .assessmentRepublish(.value(12)),
        .assessmentAppeals(.value(12)),
        .assessmentAppealDecision(.value(12), .value(3)),
        .conferenceMemberLeave(.value("350582101"), .value(16)), .conferences, .conference(.value("350582101")),
        .conferenceMembers(.value("350582101")), .conferenceMeetings(.value("350582101")),
        .conferenceMeeting(.value("350582101"), .value(15)), .activities, .activityConversion(.value("350582")),
        .liaisonCoverage, .liaisonAssignments, .liaisonAssignmentEnd(.value(7)), .visits, .visit(.value(8)), .supervisionItems,
        .supervisionItem(.value(10)), .supervisionItemMove(.value(10)), .escalations, .visitAttachment(.value(8), .value(9)),
        .demonstrations, .demonstration(.value(17)), .demonstrationDecision(.value(17)), .modelCases, .modelCase(.value(19)),
        .libraryDocuments, .libraryDocument(.value(20)), .libraryFAQ,
    ]

    /// Does not compile when a case is added: list it here and give `pages` a link of it.
    static func mustBeListed(_ url: SiteURL) {
        switch url {
        case .home, .login, .logout, .health, .metrics, .openAPI, .divisions, .division, .divisionAttributes, .divisionZones,
             .divisionMove, .committee, .committeeMembers, .committeeLinks, .ledger, .ledgerExport, .ledgerTemplate, .ledgerNew,
             .ledgerImport, .ledgerImportCommit, .organization, .organizationStage, .talents, .talentAssignments, .campaigns,
             .campaignOverview, .campaignArea, .campaignAreaTable, .campaignRanking, .campaignRankingTable, .campaignTargets,
             .campaignAllocation, .campaignProposals, .campaignProposalDecision, .latestReports, .latestBulletins, .campaignReports,
             .campaignReport, .campaignReviews, .campaignSchedule, .campaignBulletins, .campaignBulletin, .campaignBulletinWithdraw,
             .campaignBulletinFile, .verification, .reviewQueue, .reviewConfirm, .reviewReturn, .signOffs, .signOff, .signOffReopen,
             .redFlagsStart, .redFlags, .redFlagDismiss, .spotChecks, .spotCheck, .spotCheckOutcome, .spotCheckReport, .spotCheckReportFile,
             .liaisons, .liaisonAssignments, .liaisonAssignmentEnd, .liaisonTownship, .visits, .visitNew, .visit, .visitAttachment,
             .supervision, .supervisionNew, .supervisionExport, .supervisionItem, .supervisionItemMove, .escalations, .escalationNew, .escalation,
             .account, .accountPassword, .accountTokens, .accountTokenRevoke, .users, .user, .userGrants,
             .userGrantDelete, .userActive, .userProfile, .userPassword, .reference, .audit, .auditExport, .file,
             .inbox, .inboxRead, .inboxMailAddress, .liaisonRhythm, .outbox, .outboxRetry,
             .assessments, .assessment, .assessmentRubric, .assessmentScores, .assessmentSelfScores, .assessmentEvidenceFile, .assessmentPublish, .assessmentRepublish, .assessmentResult,
             .assessmentResultFile, .assessmentAppeals, .assessmentAppealDecision,
             .conferences, .conference, .conferenceMembers, .conferenceMeetingNew, .conferenceMeetings, .conferenceMeeting,
             .conferenceMinutes, .activities, .activityNew, .activityConversion, .organizationPath,
             .demonstrations, .demonstrationCriteria, .demonstrationLimit, .demonstration, .demonstrationDecision, .demonstrationEvidence,
             .demonstrationAcceptance, .demonstrationFile, .modelCases, .modelCaseNew, .modelCase,
             .library, .libraryDocuments, .libraryDocument, .libraryVersions, .libraryFile, .libraryFAQ:
            break
        }
    }

    static func pattern(_ route: Route) -> String {
        "/" + route.path.map(\.description).joined(separator: "/")
    }

    /// Whether the router would take `route` over `other` for a path both match.
    static func isMoreSpecific(_ route: Route, than other: Route) -> Bool {
        for (a, b) in zip(route.path, other.path) {
            switch (a, b) {
            case (.constant, .constant), (.parameter, .parameter): continue
            case (.constant, _): return true
            default: return false
            }
        }
        return false
    }

    @Test func everyLinkLeadsToTheRouteRegisteredFromItsCase() async throws {
        try await withTestApp(.sqlite) { app async throws in
            for (path, pattern) in Self.pages.map({ ($0.path, $0.pattern) }) + Self.api.map({ ($0.path, $0.pattern) }) {
                let matched = app.routes.matching(path)
                #expect(!matched.isEmpty, "\(path): no route")
                // The router prefers a constant to a parameter, segment by segment (…/withdraw over …/:file).
                let chosen = Set(matched.filter { route in matched.allSatisfy { !Self.isMoreSpecific($0, than: route) } }.map(Self.pattern))
                #expect(chosen == [pattern], "\(path) leads to \(chosen), not \(pattern)")
            }
        }
    }

    @Test func everyRegisteredRouteIsACase() async throws {
        try await withTestApp(.sqlite) { app async throws in
            let known = Set(Self.pages.map(\.pattern) + Self.api.map(\.pattern))
            for route in app.routes.all {
                #expect(known.contains(Self.pattern(route)), "\(route.method) \(Self.pattern(route)) is registered without SiteURL or APIURL")
            }
            // Every case is registered by some method (a case no route uses would be a dead link).
            let registered = Set(app.routes.all.map(Self.pattern))
            for pattern in known { #expect(registered.contains(pattern), "\(pattern) is not registered") }
        }
    }

    @Test func filesAreServedFromPublicNotRouted() throws {
        for file in Self.files {
            #expect(FileManager.default.fileExists(atPath: WebResources.publicDirectory + file.path.dropFirst()), "\(file.path)")
        }
        #expect(Self.files.map(\.path) == ["/app.css", "/app.js"])
    }

    @Test func keysNameTheParametersTheHandlersRead() {
        #expect(SiteURL.home.path == "/")
        #expect(SiteURL.organization(.key).pathComponents.map(\.description) == ["organizations", ":code"])
        #expect(SiteURL.campaignArea(.key, .key).pattern == "/campaigns/:campaignID/areas/:code")
        #expect(SiteURL.userGrantDelete(.key, .key).path == "/admin/users/:userID/grants/:grantID/delete")
        #expect(SiteURL.ledgerExport(.csv).path == "/ledger/export.csv")
        #expect(APIURL.organization(.key).pattern == "/api/v1/organizations/:code")
        #expect(SiteURL.user(.value(Self.user)).path == "/admin/users/6B1C1E2A-9A0B-4C4F-8E35-0A3C2B1D4E5F")
        #expect(SiteURL.divisionPage("CN").path == "/divisions")
        #expect(SiteURL.divisionPage("3505").path == "/divisions/3505")
    }

    @Test func valuesArePercentEncodedAsOneSegment() {
        let path = SiteURL.organization(.value("安海 1/2?#%")).path
        #expect(path == "/organizations/%E5%AE%89%E6%B5%B7%201%2F2%3F%23%25")
        #expect(path.split(separator: "/").count == 2)
        #expect(SiteURL.organization(.value("350582101-0001")).path == "/organizations/350582101-0001")
        #expect(APIURL.division(.value("3505Z01")).path == "/api/v1/divisions/3505Z01")
        // A value left as it is (every byte allowed) is what Foundation's encoding gives, byte by byte.
        for byte in UInt8(0)..<128 {
            let value = "a" + String(UnicodeScalar(byte)) + "1"
            let expected = value.addingPercentEncoding(withAllowedCharacters: SiteURLSegment.allowed) ?? value
            #expect(SiteURL.organization(.value(value)).path == "/organizations/" + expected, "byte \(byte)")
        }
    }
}
