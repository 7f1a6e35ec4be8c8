import Foundation
import TaizhangStore
import Vapor

/// A route parameter: `.key` where the route is registered (`:code`), `.value` where a link to it
/// is built (`350582101`).
enum Parameter<Value: CustomStringConvertible & Sendable>: Sendable {
    case key
    case value(Value)
}

/// Every page, file and form action of the site, used both to register its routes
/// (`pathComponents`) and to link to it (`path`): renaming a route renames every link to it.
/// The cases and their paths are in `SiteURL+Paths.swift`; the JSON API's in `APIURL`.
///
///     app.get(SiteURL.organization(.key).pathComponents, use: …)    // organizations/:code
///     SiteURL.organization(.value("350582101-0001")).path            // "/organizations/350582101-0001"
enum SiteURL: Sendable {
    case home
    case login, logout
    case health, metrics, openAPI

    case divisions
    case division(Parameter<String>)
    case divisionAttributes(Parameter<String>)
    case divisionZones(Parameter<String>)
    case divisionMove(Parameter<String>)
    case committee(Parameter<String>)
    case committeeMembers(Parameter<String>)
    case committeeLinks(Parameter<String>)

    case ledger
    case ledgerExport(LedgerExporter.Format)
    case ledgerTemplate(LedgerExporter.Format)
    case ledgerNew
    case ledgerImport
    case ledgerImportCommit(Parameter<UUID>)
    case organization(Parameter<String>)
    case organizationStage(Parameter<String>)

    case talents
    case talentAssignments(Parameter<UUID>)

    case campaigns
    case campaignOverview(Parameter<Int>)
    case campaignArea(Parameter<Int>, Parameter<String>)
    /// A chart's numbers as a spreadsheet; the last parameter is the file name (`stages.xlsx`).
    case campaignAreaTable(Parameter<Int>, Parameter<String>, Parameter<String>)
    case campaignRanking(Parameter<Int>)
    case campaignRankingTable(Parameter<Int>)
    case campaignTargets(Parameter<Int>)
    case campaignAllocation(Parameter<Int>)
    case campaignProposals(Parameter<Int>)
    case campaignProposalDecision(Parameter<Int>, Parameter<Int>)

    case latestReports, latestBulletins
    case campaignReports(Parameter<Int>)
    case campaignReport(Parameter<Int>, Parameter<Int>)
    case campaignReviews(Parameter<Int>)
    case campaignSchedule(Parameter<Int>)
    case campaignBulletins(Parameter<Int>)
    case campaignBulletin(Parameter<Int>, Parameter<Int>)
    case campaignBulletinWithdraw(Parameter<Int>, Parameter<Int>)
    /// `bulletin.docx` or `bulletin.xlsx`.
    case campaignBulletinFile(Parameter<Int>, Parameter<Int>, Parameter<String>)

    // 核查: the area's start page, the verifier's queue and its actions, sign-offs.
    case verification
    case reviewQueue
    case reviewConfirm
    case reviewReturn
    case signOffs
    case signOff(Parameter<Int>)
    case signOffReopen(Parameter<Int>)

    // 数据预警: the user's own subtree (a redirect), a division's flags, a dismissal.
    case redFlagsStart
    case redFlags(Parameter<String>)
    case redFlagDismiss(Parameter<String>)

    // 数据抽查: the list and the draw form (GET, POST), a spot check with its sample, a finding, the report and its files.
    case spotChecks
    case spotCheck(Parameter<Int>)
    case spotCheckOutcome(Parameter<Int>, Parameter<String>)
    case spotCheckReport(Parameter<Int>)
    /// `spot-check.docx` or `spot-check.xlsx`.
    case spotCheckReportFile(Parameter<Int>, Parameter<String>)

    // 挂钩联系: coverage and "my townships", assigning and ending, a township's liaison page
    // (assignments, visits, items and escalations on one timeline), the visit log and its files.
    case liaisons
    case liaisonAssignments
    case liaisonAssignmentEnd(Parameter<Int>)
    case liaisonTownship(Parameter<String>)
    case visits
    case visitNew
    case visit(Parameter<Int>)
    case visitAttachment(Parameter<Int>, Parameter<Int>)
    /// The campaign's visit rhythm (走访频次), set by a city administrator.
    case liaisonRhythm

    // 督办: the item list (GET) and raising one (POST), its form, an item and its moves, the
    // list as XLSX; interviews, meetings and inspections.
    case supervision
    case supervisionNew
    case supervisionExport
    case supervisionItem(Parameter<Int>)
    case supervisionItemMove(Parameter<Int>)
    case escalations
    case escalationNew
    case escalation(Parameter<Int>)

    // 收件箱: the signed-in user's reminders (催报 / 催办), marking them read, the address for reminder mail.
    case inbox
    case inboxRead
    case inboxMailAddress
    /// 发件箱: the reminder mails queued, failed and sent (system and city administrators), retrying one now.
    case outbox
    case outboxRetry(Parameter<Int>)

    // 年度考评: the list and starting one (GET, POST), an assessment's scoring page, its rubric
    // editor (GET, POST), checked-item scores, publishing and republishing, a published version as
    // an A4 page and its `assessment.docx` / `assessment.xlsx`, appeals and their decisions.
    case assessments
    case assessment(Parameter<Int>)
    case assessmentRubric(Parameter<Int>)
    case assessmentScores(Parameter<Int>)
    case assessmentSelfScores(Parameter<Int>)
    case assessmentEvidenceFile(Parameter<Int>, Parameter<Int>)
    case assessmentPublish(Parameter<Int>)
    case assessmentRepublish(Parameter<Int>)
    case assessmentResult(Parameter<Int>, Parameter<Int>)
    case assessmentResultFile(Parameter<Int>, Parameter<Int>, Parameter<String>)
    case assessmentAppeals(Parameter<Int>)
    case assessmentAppealDecision(Parameter<Int>, Parameter<Int>)

    // 示范乡镇: the campaign's demonstration townships and nominating one (GET, POST), the city's
    // checklist items and limit per county, one township's checklist, the city's decision, evidence
    // with its files, the acceptance visit.
    case demonstrations
    case demonstrationCriteria
    case demonstrationLimit
    case demonstration(Parameter<Int>)
    case demonstrationDecision(Parameter<Int>)
    case demonstrationEvidence(Parameter<Int>)
    case demonstrationAcceptance(Parameter<Int>)
    case demonstrationFile(Parameter<Int>, Parameter<Int>)
    // 典型案例: the list searched by build mode and category and writing one (GET, POST), its form, one case as an A4 page.
    case modelCases
    case modelCaseNew
    case modelCase(Parameter<Int>)

    // 工作资料: the library, uploading a document, a document with its versions and a new version,
    // a version's file, the 问答 (GET, POST).
    case library
    case libraryDocuments
    case libraryDocument(Parameter<Int>)
    case libraryVersions(Parameter<Int>)
    case libraryFile(Parameter<Int>, Parameter<Int>)
    case libraryFAQ

    // 团建联席会: the user's townships' conferences, a township's conference (members, meetings, open
    // follow-ups), adding a member, the meeting form and recording one, a meeting and its `minutes.docx`.
    case conferences
    case conference(Parameter<String>)
    case conferenceMembers(Parameter<String>)
    case conferenceMeetingNew(Parameter<String>)
    case conferenceMeetings(Parameter<String>)
    case conferenceMeeting(Parameter<String>, Parameter<Int>)
    case conferenceMinutes(Parameter<String>, Parameter<Int>)
    // 品牌活动: the list (GET) and recording one (POST), its form, the conversion view of a division,
    // an organization's path from its first activity through the ledger's stages.
    case activities
    case activityNew
    case activityConversion(Parameter<String>)
    case organizationPath(Parameter<String>)

    case account
    case accountPassword
    case accountTokens
    case accountTokenRevoke(Parameter<UUID>)

    case users
    case user(Parameter<UUID>)
    case userGrants(Parameter<UUID>)
    case userGrantDelete(Parameter<UUID>, Parameter<UUID>)
    case userActive(Parameter<UUID>)
    case userProfile(Parameter<UUID>)
    case userPassword(Parameter<UUID>)
    case reference

    case audit
    case auditExport

    /// A file of `Resources/Public`, served as it is (no route).
    case file(PublicFile)

    enum PublicFile: String, CaseIterable, Sendable {
        case stylesheet = "app.css"
        case script = "app.js"
    }

    /// The link: `/` and the segments, parameter values percent-encoded as path segments. With
    /// `.key` parameters it is the route's pattern (`/divisions/:code`).
    var path: String {
        "/" + segments.map(\.pathText).joined(separator: "/")
    }

    /// The route: constants and `:name` parameters (a `.value` registers that one value).
    var pathComponents: [PathComponent] {
        segments.map(\.component)
    }

    /// The route's pattern whatever the parameters hold (`/divisions/:code`).
    var pattern: String {
        "/" + segments.map(\.patternText).joined(separator: "/")
    }
}

/// One segment of a site path: a constant, or a named parameter with or without its value.
struct SiteURLSegment: Sendable, ExpressibleByStringLiteral {
    var name: String
    var value: String?
    var isParameter: Bool

    init(stringLiteral constant: String) {
        self.name = constant
        self.value = nil
        self.isParameter = false
    }

    init<Value>(_ name: String, _ parameter: Parameter<Value>) {
        self.name = name
        self.isParameter = true
        if case .value(let value) = parameter { self.value = value.description } else { self.value = nil }
    }

    /// What may stand in a path segment unencoded: RFC 3986's path characters without `/`.
    static let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))

    /// The ASCII bytes of `allowed`, for the common case of a value with nothing to encode
    /// (codes, ids, dates): Foundation's encoding per character was 3% of the ledger page's CPU.
    private static let allowedASCII: [Bool] = (0..<128).map { byte in
        allowed.contains(Unicode.Scalar(UInt8(byte)))
    }

    var pathText: String {
        guard isParameter else { return name }
        guard let value else { return ":" + name }
        if value.utf8.allSatisfy({ $0 < 128 && Self.allowedASCII[Int($0)] }) { return value }
        return value.addingPercentEncoding(withAllowedCharacters: Self.allowed) ?? value
    }

    var patternText: String {
        isParameter ? ":" + name : name
    }

    var component: PathComponent {
        guard isParameter else { return .constant(name) }
        return value.map { .constant($0) } ?? .parameter(name)
    }
}
