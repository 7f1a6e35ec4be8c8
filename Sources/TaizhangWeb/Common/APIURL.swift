import Foundation
import Vapor

/// Every route of the JSON API under `/api/v1`, used to register it and to name a resource
/// (a `Location` header), as `SiteURL` is for the pages.
enum APIURL: Sendable {
    case me
    case divisions
    case division(Parameter<String>)
    case divisionMove(Parameter<String>)
    case committee(Parameter<String>)
    case reviewQueue
    case reviewConfirmations
    case reviewReturns
    case signOffs
    case signOff(Parameter<Int>)
    case signOffReopen(Parameter<Int>)
    case redFlags(Parameter<String>)
    case redFlagDismissals(Parameter<String>)
    case spotChecks
    case spotCheck(Parameter<Int>)
    case spotCheckOutcome(Parameter<Int>, Parameter<String>)
    case spotCheckReport(Parameter<Int>)
    case liaisonCoverage
    case liaisonAssignments
    case liaisonAssignmentEnd(Parameter<Int>)
    case visits
    case visit(Parameter<Int>)
    case visitAttachment(Parameter<Int>, Parameter<Int>)
    case supervisionItems
    case supervisionItem(Parameter<Int>)
    case supervisionItemMove(Parameter<Int>)
    case escalations
    case managementZones
    case auditEvents
    case organizations
    case organization(Parameter<String>)
    case organizationStage(Parameter<String>)
    case ledgerImports
    case referenceValues
    case talents
    case campaigns
    case campaignDetail(Parameter<Int>)
    case campaignProgress(Parameter<Int>)
    case campaignRanking(Parameter<Int>)
    case campaignAllocations(Parameter<Int>)
    case campaignProposals(Parameter<Int>)
    case campaignProposalDecision(Parameter<Int>, Parameter<Int>)
    case campaignBulletins(Parameter<Int>)
    case campaignBulletin(Parameter<Int>, Parameter<Int>)
    case inbox
    case inboxRead
    case assessments
    case assessment(Parameter<Int>)
    case assessmentResult(Parameter<Int>, Parameter<Int>)
    case assessmentRubric(Parameter<Int>)
    case assessmentScores(Parameter<Int>)
    case assessmentSelfScores(Parameter<Int>)
    case assessmentPublish(Parameter<Int>)
    case assessmentRepublish(Parameter<Int>)
    case assessmentAppeals(Parameter<Int>)
    case assessmentAppealDecision(Parameter<Int>, Parameter<Int>)
    case conferences
    case conference(Parameter<String>)
    case conferenceMembers(Parameter<String>)
    case conferenceMemberLeave(Parameter<String>, Parameter<Int>)
    case conferenceMeetings(Parameter<String>)
    case conferenceMeeting(Parameter<String>, Parameter<Int>)
    case activities
    case activityConversion(Parameter<String>)
    case demonstrations
    case demonstration(Parameter<Int>)
    case demonstrationDecision(Parameter<Int>)
    case modelCases
    case modelCase(Parameter<Int>)
    case libraryDocuments
    case libraryDocument(Parameter<Int>)
    case libraryFAQ

    var segments: [SiteURLSegment] {
        let resource: [SiteURLSegment] = switch self {
        case .me: ["me"]
        case .divisions: ["divisions"]
        case .division(let code): ["divisions", .init("code", code)]
        case .divisionMove(let code): ["divisions", .init("code", code), "move"]
        case .committee(let code): ["divisions", .init("code", code), "committee"]
        case .reviewQueue: ["review-queue"]
        case .reviewConfirmations: ["review-queue", "confirmations"]
        case .reviewReturns: ["review-queue", "returns"]
        case .signOffs: ["sign-offs"]
        case .signOff(let id): ["sign-offs", .init("signOffID", id)]
        case .signOffReopen(let id): ["sign-offs", .init("signOffID", id), "reopen"]
        case .redFlags(let code): ["divisions", .init("code", code), "red-flags"]
        case .redFlagDismissals(let code): ["divisions", .init("code", code), "red-flags", "dismissals"]
        case .spotChecks: ["spot-checks"]
        case .spotCheck(let id): ["spot-checks", .init("spotCheckID", id)]
        case .spotCheckOutcome(let id, let code): ["spot-checks", .init("spotCheckID", id), "samples", .init("code", code)]
        case .spotCheckReport(let id): ["spot-checks", .init("spotCheckID", id), "report"]
        case .liaisonCoverage: ["liaisons", "coverage"]
        case .liaisonAssignments: ["liaisons", "assignments"]
        case .liaisonAssignmentEnd(let id): ["liaisons", "assignments", .init("assignmentID", id), "end"]
        case .visits: ["liaisons", "visits"]
        case .visit(let id): ["liaisons", "visits", .init("visitID", id)]
        case .visitAttachment(let id, let file): ["liaisons", "visits", .init("visitID", id), "files", .init("attachmentID", file)]
        case .supervisionItems: ["supervision", "items"]
        case .supervisionItem(let id): ["supervision", "items", .init("itemID", id)]
        case .supervisionItemMove(let id): ["supervision", "items", .init("itemID", id), "move"]
        case .escalations: ["supervision", "escalations"]
        case .managementZones: ["management-zones"]
        case .auditEvents: ["audit-events"]
        case .organizations: ["organizations"]
        case .organization(let code): ["organizations", .init("code", code)]
        case .organizationStage(let code): ["organizations", .init("code", code), "stage"]
        case .ledgerImports: ["ledger-imports"]
        case .referenceValues: ["reference-values"]
        case .talents: ["talents"]
        case .campaigns: ["campaigns"]
        case .campaignDetail(let id): Self.campaignRoot(id)
        case .campaignProgress(let id): Self.campaignRoot(id) + ["progress"]
        case .campaignRanking(let id): Self.campaignRoot(id) + ["ranking"]
        case .campaignAllocations(let id): Self.campaignRoot(id) + ["allocations"]
        case .campaignProposals(let id): Self.campaignRoot(id) + ["proposals"]
        case .campaignProposalDecision(let id, let proposal): Self.campaignRoot(id) + ["proposals", .init("proposalID", proposal), "decision"]
        case .campaignBulletins(let id): Self.campaignRoot(id) + ["bulletins"]
        case .campaignBulletin(let id, let bulletin): Self.campaignRoot(id) + ["bulletins", .init("bulletinID", bulletin)]
        case .inbox: ["inbox"]
        case .inboxRead: ["inbox", "read"]
        case .assessments: ["assessments"]
        case .assessment(let id): ["assessments", .init("assessmentID", id)]
        case .assessmentResult(let id, let version): ["assessments", .init("assessmentID", id), "results", .init("version", version)]
        case .assessmentRubric(let id): ["assessments", .init("assessmentID", id), "rubric"]
        case .assessmentScores(let id): ["assessments", .init("assessmentID", id), "scores"]
        case .assessmentSelfScores(let id): ["assessments", .init("assessmentID", id), "self-scores"]
        case .assessmentPublish(let id): ["assessments", .init("assessmentID", id), "publish"]
        case .assessmentRepublish(let id): ["assessments", .init("assessmentID", id), "republish"]
        case .assessmentAppeals(let id): ["assessments", .init("assessmentID", id), "appeals"]
        case .assessmentAppealDecision(let id, let appeal): ["assessments", .init("assessmentID", id), "appeals", .init("appealID", appeal), "decision"]
        case .conferences: ["conferences"]
        case .conference(let code): ["conferences", .init("code", code)]
        case .conferenceMembers(let code): ["conferences", .init("code", code), "members"]
        case .conferenceMemberLeave(let code, let id): ["conferences", .init("code", code), "members", .init("memberID", id), "leave"]
        case .conferenceMeetings(let code): ["conferences", .init("code", code), "meetings"]
        case .conferenceMeeting(let code, let id): ["conferences", .init("code", code), "meetings", .init("meetingID", id)]
        case .activities: ["activities"]
        case .activityConversion(let code): ["activities", "conversion", .init("code", code)]
        case .demonstrations: ["demonstrations"]
        case .demonstration(let id): ["demonstrations", .init("demonstrationID", id)]
        case .demonstrationDecision(let id): ["demonstrations", .init("demonstrationID", id), "decision"]
        case .modelCases: ["model-cases"]
        case .modelCase(let id): ["model-cases", .init("caseID", id)]
        case .libraryDocuments: ["library", "documents"]
        case .libraryDocument(let id): ["library", "documents", .init("documentID", id)]
        case .libraryFAQ: ["library", "faq"]
        }
        return ["api", "v1"] + resource
    }

    private static func campaignRoot(_ id: Parameter<Int>) -> [SiteURLSegment] {
        ["campaigns", .init("campaignID", id)]
    }

    /// `/api/v1/…`, parameter values percent-encoded (see `SiteURL.path`).
    var path: String {
        "/" + segments.map(\.pathText).joined(separator: "/")
    }

    var pathComponents: [PathComponent] {
        segments.map(\.component)
    }

    var pattern: String {
        "/" + segments.map(\.patternText).joined(separator: "/")
    }
}
