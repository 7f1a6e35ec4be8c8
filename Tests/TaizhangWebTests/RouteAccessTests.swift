import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// Walks every registered route with a user of every role, granted inside and outside the
/// route's subtree, and checks the answer: allowed, or refused (403/404, or sign-in) — and
/// a refusal never carries the record. A route missing from `probes` fails the test.
@Suite struct RouteAccessTests {
    /// The township every division route is aimed at (安海镇, 晋江市, 泉州市).
    static let township = "350582101"
    static let townshipName = "安海镇"
    static let city = "3505"

    /// What a route demands, restated here independently of routes.swift.
    enum Requirement {
        case open
        case signedIn
        /// The permission on `division`; outside the caller's subtrees the division does not exist (404).
        case onDivision(Permission, String)
        /// The permission anywhere; the page then shows only the caller's own part.
        case somewhere(Permission)
        /// The permission somewhere to be let in, then on `division` (named in the body), else 404.
        case somewhereThenOn(Permission, String)
        /// Granting on `division` needs manageUsers there; elsewhere it is forbidden.
        case grantOn(String)
        /// Managing the user in the URL needs manageUsers over one of their grants; other users do not exist (404).
        case managesTargetUser
        /// Another user's token: nobody finds it.
        case nobodysOwn
        /// The permission somewhere to be let in; then the thing named (another user's upload) is not found.
        case somewhereThenNotFound(Permission)
        /// The demo campaign (泉州) is visible to subtrees overlapping 泉州 (else 404); then the permission over all of 泉州.
        case onCampaign(Permission)
        /// The campaign visible, then the permission on `division` (named in the body), else 404.
        case campaignThenOn(Permission, String)
        /// City-level review (a verify grant on a city or above) covering `division`, else 404; a
        /// county-level reviewer is refused.
        case cityReview(String)
        /// The demo's assessment of 泉州's counties: visible to subtrees overlapping 泉州 (else 404); then the
        /// permission somewhere to be let in, and for a write the grant must hold all of 泉州 (else 403).
        case assessment(Permission)
        /// A write on the demo campaign (泉州) named in the query: the permission somewhere to be let in, the
        /// campaign visible (else 404), then the permission over all of 泉州 (else 403).
        case onCampaignWrite(Permission)
    }

    enum Outcome: Equatable {
        case allowed, forbidden, notFound, signIn
    }

    struct Probe {
        var method: HTTPMethod
        /// The route as registered, e.g. "/divisions/:code".
        var route: String
        var requirement: Requirement
        /// The concrete path; called before each request so it can make what it needs.
        var path: @Sendable (Fixture) async throws -> String
        var form: [String: String]? = nil
        var json: (@Sendable () -> String)? = nil
    }

    /// What the probes point at.
    struct Fixture: Sendable {
        let app: Application
        let targetUser: TestUser
        let foreignTokenID: UUID
        let organizationCode: String
        let foreignBatchID: UUID
        let talentID: UUID
        let memberID: UUID
        let loginUser: TestUser
        let loginCSRF: String
        let campaignID: Int
        let proposalID: Int
        let reportID: Int
        let bulletinID: Int
    }

    struct Caller {
        var label: String
        var role: Role?
        var grantPath: String?
        var user: TestUser?
    }

    static let counter = Counter()

    static var probes: [Probe] {
        let t = township, c = city
        return [
            Probe(method: .GET, route: "/login", requirement: .open, path: { _ in "/login" }),
            Probe(method: .POST, route: "/login", requirement: .open, path: { _ in "/login" }),
            Probe(method: .POST, route: "/logout", requirement: .signedIn, path: { _ in "/logout" }),
            Probe(method: .GET, route: "/healthz", requirement: .open, path: { _ in "/healthz" }),
            Probe(method: .GET, route: "/metrics", requirement: .open, path: { _ in "/metrics" }),
            Probe(method: .GET, route: "/api/openapi.json", requirement: .open, path: { _ in "/api/openapi.json" }),
            Probe(method: .GET, route: "/", requirement: .signedIn, path: { _ in "/" }),
            Probe(method: .GET, route: "/divisions", requirement: .signedIn, path: { _ in "/divisions?q=%E5%AE%89%E6%B5%B7" }),
            Probe(method: .GET, route: "/divisions/:code", requirement: .onDivision(.view, t), path: { _ in "/divisions/\(t)" }),
            Probe(method: .GET, route: "/divisions/:code", requirement: .onDivision(.view, c), path: { _ in "/divisions/\(c)" }),
            Probe(method: .POST, route: "/divisions/:code/attributes", requirement: .onDivision(.editDivisions, t),
                  path: { _ in "/divisions/\(t)/attributes" }, form: ["youthPopulation": "4321"]),
            Probe(method: .POST, route: "/divisions/:code/zones", requirement: .onDivision(.manageZones, c),
                  path: { _ in "/divisions/\(c)/zones" }, form: ["name": "测试管委会"]),
            Probe(method: .POST, route: "/divisions/:code/move", requirement: .onDivision(.manageZones, t),
                  path: { _ in "/divisions/\(t)/move" },
                  form: ["toParentCode": "350582", "effectiveDate": "2012-10-08", "reason": "测试"]),
            Probe(method: .GET, route: "/ledger", requirement: .signedIn, path: { _ in "/ledger" }),
            Probe(method: .GET, route: "/ledger", requirement: .onDivision(.view, "350582"), path: { _ in "/ledger?division=350582" }),
            Probe(method: .GET, route: "/ledger/export.xlsx", requirement: .signedIn, path: { _ in "/ledger/export.xlsx" }),
            Probe(method: .GET, route: "/ledger/export.csv", requirement: .onDivision(.view, t), path: { _ in "/ledger/export.csv?division=\(t)" }),
            Probe(method: .GET, route: "/ledger/template.xlsx", requirement: .signedIn, path: { _ in "/ledger/template.xlsx" }),
            Probe(method: .GET, route: "/ledger/template.csv", requirement: .signedIn, path: { _ in "/ledger/template.csv" }),
            Probe(method: .GET, route: "/ledger/new", requirement: .somewhere(.editLedger), path: { _ in "/ledger/new" }),
            Probe(method: .POST, route: "/ledger", requirement: .somewhereThenOn(.editLedger, t), path: { _ in "/ledger" },
                  form: ["townshipCode": t, "orgType": "团支部", "unitCategory": "学校", "buildMode": "单独建团", "stage": "youth_group"]),
            Probe(method: .GET, route: "/ledger/import", requirement: .somewhere(.editLedger), path: { _ in "/ledger/import" }),
            Probe(method: .POST, route: "/ledger/import", requirement: .somewhere(.editLedger), path: { _ in "/ledger/import" }, form: [:]),
            Probe(method: .POST, route: "/ledger/import/:batchID/commit", requirement: .somewhereThenNotFound(.editLedger),
                  path: { f in "/ledger/import/\(f.foreignBatchID.uuidString)/commit" }, form: [:]),
            Probe(method: .GET, route: "/organizations/:code", requirement: .onDivision(.view, t), path: { f in "/organizations/\(f.organizationCode)" }),
            Probe(method: .POST, route: "/organizations/:code", requirement: .onDivision(.editLedger, t),
                  path: { f in "/organizations/\(f.organizationCode)" }, form: ["version": "0", "name": "改名"]),
            Probe(method: .POST, route: "/organizations/:code/stage", requirement: .onDivision(.editLedger, t),
                  path: { f in "/organizations/\(f.organizationCode)/stage" }, form: ["to": "未知", "effectiveOn": "2012-12-01", "version": "1"]),
            Probe(method: .GET, route: "/divisions/:code/committee", requirement: .onDivision(.view, t), path: { _ in "/divisions/\(t)/committee" }),
            Probe(method: .POST, route: "/divisions/:code/committee/members", requirement: .onDivision(.editLedger, t),
                  path: { _ in "/divisions/\(t)/committee/members" }, form: ["name": "", "position": "member"]),
            Probe(method: .POST, route: "/divisions/:code/committee/links", requirement: .onDivision(.editLedger, t),
                  path: { _ in "/divisions/\(t)/committee/links" }, form: ["memberID": "not-a-member", "organizationCode": "y"]),
            Probe(method: .GET, route: "/verification", requirement: .signedIn, path: { _ in "/verification" }),
            Probe(method: .GET, route: "/verification/queue", requirement: .somewhere(.view), path: { _ in "/verification/queue" }),
            Probe(method: .POST, route: "/verification/confirm", requirement: .somewhereThenNotFound(.verify), path: { _ in "/verification/confirm" },
                  form: ["codes[]": "\(t)-9999"]),
            Probe(method: .POST, route: "/verification/return", requirement: .somewhereThenNotFound(.verify), path: { _ in "/verification/return" },
                  form: ["codes[]": "\(t)-9999", "reason": "探针"]),
            Probe(method: .GET, route: "/verification/sign-offs", requirement: .somewhere(.view), path: { _ in "/verification/sign-offs" }),
            Probe(method: .POST, route: "/verification/sign-offs", requirement: .cityReview("350582"), path: { _ in "/verification/sign-offs" },
                  form: ["county": "350582", "asOf": "2012-12-15"]),
            Probe(method: .GET, route: "/verification/sign-offs/:signOffID", requirement: .onDivision(.view, "350582"),
                  path: { f in "/verification/sign-offs/\(try await signOffID(f))" }),
            Probe(method: .POST, route: "/verification/sign-offs/:signOffID/reopen", requirement: .cityReview("350582"),
                  path: { f in "/verification/sign-offs/\(try await signOffID(f))/reopen" }, form: ["reason": "探针"]),
            Probe(method: .GET, route: "/verification/red-flags", requirement: .somewhere(.view), path: { _ in "/verification/red-flags" }),
            Probe(method: .GET, route: "/verification/red-flags/:code", requirement: .onDivision(.view, t), path: { _ in "/verification/red-flags/\(t)" }),
            Probe(method: .POST, route: "/verification/red-flags/:code/dismiss", requirement: .onDivision(.verify, t),
                  path: { _ in "/verification/red-flags/\(t)/dismiss" }, form: ["flagID": "x", "reason": ""]),
            Probe(method: .GET, route: "/verification/spot-checks", requirement: .somewhere(.view), path: { _ in "/verification/spot-checks" }),
            // A draw over 晋江 that the division check lets through and the size then refuses.
            Probe(method: .POST, route: "/verification/spot-checks", requirement: .somewhereThenOn(.verify, "350582"),
                  path: { _ in "/verification/spot-checks" },
                  form: ["campaignID": "1", "scopeCode": "350582", "asOf": "2012-12-15", "stratifyBy": "township", "sizeRule": "fixed",
                         "fixedSize": "100000", "seed": "7"]),
            Probe(method: .GET, route: "/verification/spot-checks/:spotCheckID", requirement: .somewhereThenOn(.view, "350582"),
                  path: { f in "/verification/spot-checks/\(try await spotCheckID(f))" }),
            Probe(method: .POST, route: "/verification/spot-checks/:spotCheckID/samples/:code", requirement: .somewhereThenOn(.verify, "350582"),
                  path: { f in "/verification/spot-checks/\(try await spotCheckID(f))/samples/\(f.organizationCode)" }, form: ["outcome": "存在"]),
            Probe(method: .GET, route: "/verification/spot-checks/:spotCheckID/report", requirement: .somewhereThenOn(.view, "350582"),
                  path: { f in "/verification/spot-checks/\(try await spotCheckID(f))/report" }),
            Probe(method: .GET, route: "/verification/spot-checks/:spotCheckID/report/:file", requirement: .somewhereThenOn(.view, "350582"),
                  path: { f in "/verification/spot-checks/\(try await spotCheckID(f))/report/spot-check.xlsx" }),
            Probe(method: .GET, route: "/talents", requirement: .signedIn, path: { _ in "/talents" }),
            Probe(method: .POST, route: "/talents", requirement: .somewhereThenOn(.editLedger, t), path: { _ in "/talents" },
                  form: ["townshipCode": t, "name": "", "category": "entrepreneur"]),
            Probe(method: .POST, route: "/talents/:talentID/assignments", requirement: .somewhereThenOn(.editLedger, t),
                  path: { f in "/talents/\(f.talentID.uuidString)/assignments" }, form: ["organizationCode": "", "role": "boss"]),
            Probe(method: .GET, route: "/campaigns", requirement: .signedIn, path: { _ in "/campaigns" }),
            Probe(method: .POST, route: "/campaigns", requirement: .somewhereThenOn(.manageCampaigns, c), path: { _ in "/campaigns" },
                  form: ["name": "探针活动", "regionCode": c, "start": "2012-10-15", "deadline": "2012-12-15", "target": "不是数"]),
            Probe(method: .GET, route: "/campaigns/:campaignID", requirement: .onCampaign(.view), path: { f in "/campaigns/\(f.campaignID)" }),
            Probe(method: .POST, route: "/campaigns/:campaignID", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/campaigns/\(f.campaignID)" }, form: ["name": "改名"]),
            Probe(method: .GET, route: "/campaigns/:campaignID/areas/:code", requirement: .onDivision(.view, t),
                  path: { f in "/campaigns/\(f.campaignID)/areas/\(t)" }),
            Probe(method: .GET, route: "/campaigns/:campaignID/areas/:code", requirement: .onDivision(.view, "350582"),
                  path: { f in "/campaigns/\(f.campaignID)/areas/350582" }),
            Probe(method: .GET, route: "/campaigns/:campaignID/areas/:code/:table", requirement: .onDivision(.view, t),
                  path: { f in "/campaigns/\(f.campaignID)/areas/\(t)/daily.xlsx" }),
            Probe(method: .GET, route: "/campaigns/:campaignID/ranking", requirement: .onCampaign(.view),
                  path: { f in "/campaigns/\(f.campaignID)/ranking?level=township" }),
            Probe(method: .GET, route: "/campaigns/:campaignID/ranking.xlsx", requirement: .onCampaign(.view),
                  path: { f in "/campaigns/\(f.campaignID)/ranking.xlsx?level=township" }),
            Probe(method: .GET, route: "/campaigns/:campaignID/targets", requirement: .onCampaign(.view),
                  path: { f in "/campaigns/\(f.campaignID)/targets" }),
            Probe(method: .POST, route: "/campaigns/:campaignID/allocation", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/campaigns/\(f.campaignID)/allocation" }, form: ["parentCode": c, "method": "抽签"]),
            Probe(method: .POST, route: "/campaigns/:campaignID/proposals", requirement: .campaignThenOn(.proposeTargets, "350582"),
                  path: { f in "/campaigns/\(f.campaignID)/proposals" }, form: ["parentCode": "350582", "reason": "探针"]),
            Probe(method: .POST, route: "/campaigns/:campaignID/proposals/:proposalID/decision", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/campaigns/\(f.campaignID)/proposals/\(f.proposalID)/decision" }, form: ["decision": "再议"]),
            Probe(method: .GET, route: "/reports", requirement: .signedIn, path: { _ in "/reports" }),
            Probe(method: .GET, route: "/bulletins", requirement: .signedIn, path: { _ in "/bulletins" }),
            Probe(method: .GET, route: "/campaigns/:campaignID/reports", requirement: .onCampaign(.view),
                  path: { f in "/campaigns/\(f.campaignID)/reports?frequency=weekly" }),
            Probe(method: .GET, route: "/campaigns/:campaignID/reports", requirement: .onDivision(.view, t),
                  path: { f in "/campaigns/\(f.campaignID)/reports?area=\(t)" }),
            Probe(method: .POST, route: "/campaigns/:campaignID/reports", requirement: .campaignThenOn(.editLedger, t),
                  path: { f in "/campaigns/\(f.campaignID)/reports" }, form: ["area": t, "period": "daily:2099-01-01"]),
            Probe(method: .GET, route: "/campaigns/:campaignID/reports/:reportID", requirement: .onDivision(.view, t),
                  path: { f in "/campaigns/\(f.campaignID)/reports/\(f.reportID)" }),
            Probe(method: .POST, route: "/campaigns/:campaignID/reviews", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/campaigns/\(f.campaignID)/reviews" }, form: ["period": "weekly:2012-12-10", "county": "350582", "score": "两百"]),
            Probe(method: .POST, route: "/campaigns/:campaignID/schedule", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/campaigns/\(f.campaignID)/schedule" }, form: ["dailyOn": "1", "dailyDue": "25:00"]),
            Probe(method: .GET, route: "/campaigns/:campaignID/bulletins", requirement: .onCampaign(.view),
                  path: { f in "/campaigns/\(f.campaignID)/bulletins" }),
            Probe(method: .POST, route: "/campaigns/:campaignID/bulletins", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/campaigns/\(f.campaignID)/bulletins" }, form: ["kind": "monthly"]),
            Probe(method: .GET, route: "/campaigns/:campaignID/bulletins/:bulletinID", requirement: .onCampaign(.view),
                  path: { f in "/campaigns/\(f.campaignID)/bulletins/\(f.bulletinID)" }),
            Probe(method: .GET, route: "/campaigns/:campaignID/bulletins/:bulletinID/:file", requirement: .onCampaign(.view),
                  path: { f in "/campaigns/\(f.campaignID)/bulletins/\(f.bulletinID)/bulletin.docx" }),
            // An empty reason: refused by whoever may withdraw, so the bulletin stays for the next role.
            Probe(method: .POST, route: "/campaigns/:campaignID/bulletins/:bulletinID/withdraw", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/campaigns/\(f.campaignID)/bulletins/\(f.bulletinID)/withdraw" }, form: ["reason": " "]),
            Probe(method: .GET, route: "/account", requirement: .signedIn, path: { _ in "/account" }),
            Probe(method: .POST, route: "/account/password", requirement: .signedIn, path: { _ in "/account/password" },
                  form: ["currentPassword": "wrong-password1", "newPassword": "abcdefgh12", "confirmPassword": "abcdefgh12"]),
            Probe(method: .POST, route: "/account/tokens", requirement: .signedIn, path: { _ in "/account/tokens" },
                  form: ["name": "脚本"]),
            Probe(method: .POST, route: "/account/tokens/:tokenID/revoke", requirement: .nobodysOwn,
                  path: { f in "/account/tokens/\(f.foreignTokenID.uuidString)/revoke" }, form: [:]),
            Probe(method: .GET, route: "/admin/users", requirement: .somewhere(.manageUsers), path: { _ in "/admin/users" }),
            Probe(method: .POST, route: "/admin/users", requirement: .grantOn(t), path: { _ in "/admin/users" },
                  form: ["displayName": "新用户", "role": "township_reporter", "divisionCode": t]),
            Probe(method: .GET, route: "/admin/users/:userID", requirement: .managesTargetUser,
                  path: { f in "/admin/users/\(f.targetUser.id.uuidString)" }),
            Probe(method: .POST, route: "/admin/users/:userID/grants", requirement: .managesTargetUser,
                  path: { f in "/admin/users/\(f.targetUser.id.uuidString)/grants" },
                  form: ["role": "verifier", "divisionCode": t]),
            Probe(method: .POST, route: "/admin/users/:userID/grants/:grantID/delete", requirement: .managesTargetUser,
                  path: { f in
                      let existing = try await AccountStore.grantRows(of: f.targetUser.id, on: f.app.db)
                      if !existing.contains(where: { $0.grant.role == .leaderViewer }) {
                          try await AccountStore.addGrant(userID: f.targetUser.id, role: .leaderViewer, divisionCode: t, by: testActor, on: f.app.db)
                      }
                      let grant = try await AccountStore.grantRows(of: f.targetUser.id, on: f.app.db)
                          .first { $0.grant.role == .leaderViewer }!
                      return "/admin/users/\(f.targetUser.id.uuidString)/grants/\(grant.id.uuidString)/delete"
                  }, form: [:]),
            Probe(method: .POST, route: "/admin/users/:userID/active", requirement: .managesTargetUser,
                  path: { f in "/admin/users/\(f.targetUser.id.uuidString)/active" }, form: ["active": "1"]),
            Probe(method: .POST, route: "/admin/users/:userID/profile", requirement: .managesTargetUser,
                  path: { f in "/admin/users/\(f.targetUser.id.uuidString)/profile" }, form: ["displayName": "改名用户", "phone": "13900000000"]),
            Probe(method: .POST, route: "/admin/users/:userID/password", requirement: .managesTargetUser,
                  path: { f in "/admin/users/\(f.targetUser.id.uuidString)/password" }, form: [:]),
            Probe(method: .GET, route: "/admin/reference", requirement: .somewhere(.administerSystem), path: { _ in "/admin/reference" }),
            Probe(method: .POST, route: "/admin/reference", requirement: .somewhere(.administerSystem), path: { _ in "/admin/reference" },
                  form: ["kind": "org_type", "value": "团小组"]),
            Probe(method: .GET, route: "/audit", requirement: .somewhere(.viewAudit), path: { _ in "/audit" }),
            Probe(method: .GET, route: "/audit.csv", requirement: .somewhere(.viewAudit), path: { _ in "/audit.csv" }),
            Probe(method: .GET, route: "/api/v1/me", requirement: .signedIn, path: { _ in "/api/v1/me" }),
            Probe(method: .GET, route: "/api/v1/divisions", requirement: .signedIn, path: { _ in "/api/v1/divisions" }),
            Probe(method: .GET, route: "/api/v1/divisions", requirement: .onDivision(.view, "350582"),
                  path: { _ in "/api/v1/divisions?parent=350582" }),
            Probe(method: .GET, route: "/api/v1/divisions/:code", requirement: .onDivision(.view, t),
                  path: { _ in "/api/v1/divisions/\(t)" }),
            Probe(method: .PATCH, route: "/api/v1/divisions/:code", requirement: .onDivision(.editDivisions, t),
                  path: { _ in "/api/v1/divisions/\(t)" }, json: { #"{"youthPopulation": 1234}"# }),
            Probe(method: .POST, route: "/api/v1/divisions/:code/move", requirement: .onDivision(.manageZones, t),
                  path: { _ in "/api/v1/divisions/\(t)/move" },
                  json: { #"{"toParentCode": "350582", "effectiveDate": "2012-10-08"}"# }),
            Probe(method: .POST, route: "/api/v1/management-zones", requirement: .somewhereThenOn(.manageZones, c),
                  path: { _ in "/api/v1/management-zones" },
                  json: { #"{"cityCode": "3505", "name": "接口管委会\#(RouteAccessTests.counter.next())"}"# }),
            Probe(method: .GET, route: "/api/v1/organizations", requirement: .signedIn, path: { _ in "/api/v1/organizations" }),
            Probe(method: .GET, route: "/api/v1/organizations", requirement: .onDivision(.view, t), path: { _ in "/api/v1/organizations?division=\(t)" }),
            Probe(method: .POST, route: "/api/v1/organizations", requirement: .somewhereThenOn(.editLedger, t),
                  path: { _ in "/api/v1/organizations" }, json: { #"{"townshipCode": "350582101", "name": "", "orgType": "团支部"}"# }),
            Probe(method: .GET, route: "/api/v1/organizations/:code", requirement: .onDivision(.view, t),
                  path: { f in "/api/v1/organizations/\(f.organizationCode)" }),
            Probe(method: .PATCH, route: "/api/v1/organizations/:code", requirement: .onDivision(.editLedger, t),
                  path: { f in "/api/v1/organizations/\(f.organizationCode)" }, json: { #"{"version": 0, "notes": "接口"}"# }),
            Probe(method: .POST, route: "/api/v1/organizations/:code/stage", requirement: .onDivision(.editLedger, t),
                  path: { f in "/api/v1/organizations/\(f.organizationCode)/stage" },
                  json: { #"{"to": "未知", "effectiveOn": "2012-12-01", "version": "1"}"# }),
            Probe(method: .POST, route: "/api/v1/ledger-imports", requirement: .somewhere(.editLedger), path: { _ in "/api/v1/ledger-imports" },
                  json: { "乡镇（街道）,团组织名称\n安海镇,接口导入团支部\n" }),
            Probe(method: .GET, route: "/api/v1/divisions/:code/committee", requirement: .onDivision(.view, t),
                  path: { _ in "/api/v1/divisions/\(t)/committee" }),
            Probe(method: .GET, route: "/api/v1/review-queue", requirement: .somewhere(.view), path: { _ in "/api/v1/review-queue" }),
            Probe(method: .POST, route: "/api/v1/review-queue/confirmations", requirement: .somewhereThenNotFound(.verify),
                  path: { _ in "/api/v1/review-queue/confirmations" }, json: { #"{"codes": ["350582101-9999"]}"# }),
            Probe(method: .POST, route: "/api/v1/review-queue/returns", requirement: .somewhereThenNotFound(.verify),
                  path: { _ in "/api/v1/review-queue/returns" }, json: { #"{"codes": ["350582101-9999"], "reason": "探针"}"# }),
            Probe(method: .GET, route: "/api/v1/sign-offs", requirement: .somewhere(.view), path: { _ in "/api/v1/sign-offs" }),
            Probe(method: .POST, route: "/api/v1/sign-offs", requirement: .cityReview("350582"), path: { _ in "/api/v1/sign-offs" },
                  json: { #"{"county": "350582", "asOf": "2012-12-15"}"# }),
            Probe(method: .GET, route: "/api/v1/sign-offs/:signOffID", requirement: .onDivision(.view, "350582"),
                  path: { f in "/api/v1/sign-offs/\(try await signOffID(f))" }),
            Probe(method: .POST, route: "/api/v1/sign-offs/:signOffID/reopen", requirement: .cityReview("350582"),
                  path: { f in "/api/v1/sign-offs/\(try await signOffID(f))/reopen" }, json: { #"{"reason": "探针"}"# }),
            Probe(method: .GET, route: "/api/v1/divisions/:code/red-flags", requirement: .onDivision(.view, t),
                  path: { _ in "/api/v1/divisions/\(t)/red-flags" }),
            Probe(method: .POST, route: "/api/v1/divisions/:code/red-flags/dismissals", requirement: .onDivision(.verify, t),
                  path: { _ in "/api/v1/divisions/\(t)/red-flags/dismissals" }, json: { #"{"flagId": "x", "reason": ""}"# }),
            Probe(method: .GET, route: "/api/v1/spot-checks", requirement: .somewhere(.view), path: { _ in "/api/v1/spot-checks" }),
            Probe(method: .POST, route: "/api/v1/spot-checks", requirement: .somewhereThenOn(.verify, "350582"), path: { _ in "/api/v1/spot-checks" },
                  json: { #"{"campaignID": 1, "scopeCode": "350582", "asOf": "2012-12-15", "stratifyBy": "township", "sizeRule": "fixed", "fixedSize": 100000, "seed": "7"}"# }),
            Probe(method: .GET, route: "/api/v1/spot-checks/:spotCheckID", requirement: .somewhereThenOn(.view, "350582"),
                  path: { f in "/api/v1/spot-checks/\(try await spotCheckID(f))" }),
            Probe(method: .POST, route: "/api/v1/spot-checks/:spotCheckID/samples/:code", requirement: .somewhereThenOn(.verify, "350582"),
                  path: { f in "/api/v1/spot-checks/\(try await spotCheckID(f))/samples/\(f.organizationCode)" },
                  json: { #"{"outcome": "存在", "checker": "探针", "visitedOn": "2012-12-18"}"# }),
            Probe(method: .GET, route: "/api/v1/spot-checks/:spotCheckID/report", requirement: .somewhereThenOn(.view, "350582"),
                  path: { f in "/api/v1/spot-checks/\(try await spotCheckID(f))/report" }),
            Probe(method: .GET, route: "/api/v1/talents", requirement: .signedIn, path: { _ in "/api/v1/talents" }),
            Probe(method: .GET, route: "/api/v1/reference-values", requirement: .signedIn, path: { _ in "/api/v1/reference-values" }),
            Probe(method: .GET, route: "/api/v1/campaigns", requirement: .signedIn, path: { _ in "/api/v1/campaigns" }),
            Probe(method: .POST, route: "/api/v1/campaigns", requirement: .somewhereThenOn(.manageCampaigns, c), path: { _ in "/api/v1/campaigns" },
                  json: { #"{"name": "探针", "regionCode": "3505", "start": "2012-10-15", "deadline": "2012-12-15", "target": 0, "rule": {"newOnly": true, "withinWindow": true}}"# }),
            Probe(method: .GET, route: "/api/v1/campaigns/:campaignID", requirement: .onCampaign(.view),
                  path: { f in "/api/v1/campaigns/\(f.campaignID)" }),
            Probe(method: .GET, route: "/api/v1/campaigns/:campaignID/progress", requirement: .onDivision(.view, t),
                  path: { f in "/api/v1/campaigns/\(f.campaignID)/progress?area=\(t)" }),
            Probe(method: .GET, route: "/api/v1/campaigns/:campaignID/ranking", requirement: .onCampaign(.view),
                  path: { f in "/api/v1/campaigns/\(f.campaignID)/ranking" }),
            Probe(method: .POST, route: "/api/v1/campaigns/:campaignID/allocations", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/api/v1/campaigns/\(f.campaignID)/allocations" }, json: { #"{"parentCode": "3505", "method": "manual", "shares": {}}"# }),
            Probe(method: .POST, route: "/api/v1/campaigns/:campaignID/proposals", requirement: .campaignThenOn(.proposeTargets, "350582"),
                  path: { f in "/api/v1/campaigns/\(f.campaignID)/proposals" }, json: { #"{"parentCode": "350582", "shares": {}, "reason": "探针"}"# }),
            Probe(method: .POST, route: "/api/v1/campaigns/:campaignID/proposals/:proposalID/decision", requirement: .onCampaign(.manageCampaigns),
                  path: { f in "/api/v1/campaigns/\(f.campaignID)/proposals/\(f.proposalID)/decision" }, json: { #"{"decision": "maybe"}"# }),
            Probe(method: .GET, route: "/api/v1/campaigns/:campaignID/bulletins", requirement: .onCampaign(.view),
                  path: { f in "/api/v1/campaigns/\(f.campaignID)/bulletins" }),
            Probe(method: .GET, route: "/api/v1/campaigns/:campaignID/bulletins/:bulletinID", requirement: .onCampaign(.view),
                  path: { f in "/api/v1/campaigns/\(f.campaignID)/bulletins/\(f.bulletinID)" }),
            Probe(method: .GET, route: "/api/v1/audit-events", requirement: .somewhere(.viewAudit), path: { _ in "/api/v1/audit-events" }),
        ] + assessmentProbes + liaisonProbes + reminderProbes + conferenceProbes + demonstrationProbes + libraryProbes
    }

    /// A sign-off of 晋江 (made the first time a probe needs it, after confirming the fixture's organization at both levels).
    static func signOffID(_ f: Fixture) async throws -> Int {
        let county = try await DivisionQueries.require("350582", on: f.app.db)
        if let existing = try await SignOffStore.list(scope: .within(county.path), on: f.app.db).first { return existing.id }
        let record = try await OrganizationStore.require(f.organizationCode, on: f.app.db)
        if record.review.state == .pending {
            _ = try await ReviewStore.confirm([record.code], at: .county, scope: .everywhere,
                                              by: Actor(userID: "probe-county", name: "探针县核查", clientAddress: nil), on: f.app.db)
        }
        if try await OrganizationStore.require(f.organizationCode, on: f.app.db).review.state == .county {
            _ = try await ReviewStore.confirm([record.code], at: .city, scope: .everywhere,
                                              by: Actor(userID: "probe-city", name: "探针市核查", clientAddress: nil), on: f.app.db)
        }
        return try await SignOffStore.signOff(county: "350582", asOf: .today(), scope: .everywhere, by: testActor, on: f.app.db).id
    }

    /// A spot check of 晋江's townships (drawn the first time a probe needs it).
    static func spotCheckID(_ f: Fixture) async throws -> Int {
        let county = try await DivisionQueries.require("350582", on: f.app.db)
        if let existing = try await SpotCheckStore.list(in: .within(county.path), on: f.app.db).first { return existing.id }
        return try await SpotCheckStore.draw(.init(campaignID: f.campaignID, scopeCode: "350582", asOf: CalendarDay(iso: "2012-12-15")!,
                                                   design: .init(stratification: .township, size: .fixed(1)), seed: SpotCheckSeed(1)),
                                             in: .everywhere, by: testActor, on: f.app.db).id
    }

    /// Grants that cover the target township and grants that do not, for every role.
    static let grantsByRole: [(Role, inside: String, outside: String?)] = [
        (.systemAdmin, "CN", nil),
        (.cityAdmin, "3505", "3501"),
        (.countyAdmin, "350582", "350583"),
        (.townshipReporter, "350582101", "350583101"),
        (.liaisonCadre, "350582101", "350583101"),
        (.verifier, "350582", "350583"),
        (.leaderViewer, "3505", "3501"),
    ]

    @Test func everyRegisteredRouteHasAProbeAndEveryProbeARoute() async throws {
        try await withTestApp(.sqlite) { app async throws in
            let registered = Set(app.routes.all.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" })
            let probed = Set(Self.probes.map { "\($0.method.rawValue) \($0.route)" })
            #expect(registered.subtracting(probed).sorted() == [], "routes without a probe in RouteAccessTests.probes")
            #expect(probed.subtracting(registered).sorted() == [], "probes of routes that do not exist")
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyRoleGetsExactlyWhatItsGrantAllows(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3501", from: bundledDivisions, by: testActor, on: app.db)
            var callers = [Caller(label: "未登录", role: nil, grantPath: nil, user: nil)]
            for (index, (role, inside, outside)) in Self.grantsByRole.enumerated() {
                for (place, code) in [("inside", inside), ("outside", outside)] {
                    guard let code else { continue }
                    let user = try await makeTestUser(app, "u\(index)\(place)", grants: [(role, code)])
                    let path = code == "CN" ? "" : try await DivisionQueries.require(code, on: app.db).path
                    callers.append(Caller(label: "\(role.label)@\(code)", role: role, grantPath: path, user: user))
                }
            }
            let targetUser = try await makeTestUser(app, "target", grants: [(.townshipReporter, Self.township)])
            let bystander = try await makeTestUser(app, "bystander", grants: [(.leaderViewer, "3505")])
            let foreignToken = try await APITokenStore.list(userID: bystander.id, on: app.db).first!.id!
            let loginUser = try await makeTestUser(app, "loginprobe", grants: [(.leaderViewer, "3505")])
            var loginCSRF = ""
            var loginCookie = ""
            try await app.testing().test(.GET, "/login") { res async throws in
                loginCookie = res.headers.setCookie?["taizhang_login_csrf"]?.string ?? ""
                loginCSRF = hiddenCSRF(in: res.body.string) ?? ""
            }
            var inTownship = LedgerFilter(scope: .within(try await DivisionQueries.require(Self.township, on: app.db).path))
            inTownship.stages = [.founded, .preparing, .leagueLike, .youthGroup]
            let organization = try #require(try await LedgerQuery.page(inTownship, sort: .ledger, after: nil, limit: 1, on: app.db).records.first)
            let batch = try await ImportBatchStore.save(content: Data("x".utf8), fileName: "别人的.csv", preview: .init(),
                                                        userID: bystander.id, actorName: "bystander", on: app.db)
            let talent = try await TalentStore.add(townshipCode: Self.township, name: "林青", category: .villageOfficial, unit: nil,
                                                   phone: nil, notes: nil, by: testActor, on: app.db)
            let member = try await CommitteeStore.add(.init(townshipCode: Self.township, name: "陈委员", position: .member,
                                                            sourceUnit: "镇卫生院", isFullTime: false, phone: nil), by: testActor, on: app.db)
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let proposal = try #require(try await CampaignStore.proposals(campaign.id, under: .everywhere, on: app.db).first)
            let fixture = Fixture(app: app, targetUser: targetUser, foreignTokenID: foreignToken, organizationCode: organization.code,
                                  foreignBatchID: batch, talentID: talent, memberID: member, loginUser: loginUser, loginCSRF: loginCSRF,
                                  campaignID: campaign.id, proposalID: proposal.id,
                                  reportID: try #require(try await ReportStore.reports(campaign.id, periodKey: "daily:2012-12-14", codes: [Self.township],
                                                                                       on: app.db)[Self.township]?.first).id,
                                  bulletinID: try #require(try await BulletinStore.list(campaign.id, on: app.db).first).id)

            for probe in Self.probes {
                for caller in callers {
                    let expected = try await Self.expectedOutcome(probe.requirement, caller, app)
                    let path = try await probe.path(fixture)
                    var status = HTTPStatus.internalServerError
                    var body = ""
                    var location = ""
                    try await app.testing().test(probe.method, path, beforeRequest: { req in
                        if let user = caller.user { req.headers.bearerAuthorization = .init(token: user.token) }
                        if probe.route == "/login", probe.method == .POST {
                            req.headers.cookie = ["taizhang_login_csrf": .init(string: loginCookie)]
                            try req.content.encode(["username": loginUser.username, "password": loginUser.password, "_csrf": loginCSRF],
                                                   as: .urlEncodedForm)
                        } else if var form = probe.form {
                            if probe.route == "/admin/users" { form["username"] = "new\(Self.counter.next())" }
                            if probe.route.hasSuffix("/zones") { form["name"] = "测试管委会\(Self.counter.next())" }
                            try req.content.encode(form, as: .urlEncodedForm)
                        } else if let json = probe.json {
                            req.headers.contentType = .json
                            req.body = ByteBuffer(string: json())
                        }
                    }, afterResponse: { res async throws in
                        status = res.status
                        body = res.body.string
                        location = res.headers.first(name: .location) ?? ""
                    })
                    let actual = Self.outcome(status: status, location: location, body: body)
                    #expect(actual == expected, "\(probe.method) \(path) as \(caller.label): \(status) \(body.prefix(200))")
                    #expect(status != .internalServerError, "\(probe.method) \(path) as \(caller.label): \(body.prefix(300))")
                    if actual == .notFound, case .onDivision(_, let code) = probe.requirement, code == Self.township {
                        #expect(!body.contains(Self.townshipName), "a refusal must not carry the record: \(path) as \(caller.label)")
                    }
                }
            }
            // Every refusal is on the record.
            let denied = try await AuditLog.search(.init(action: "access.denied"), scope: .everywhere, limit: 10_000, on: app.db)
            #expect(denied.count > 50)
        }
    }

    static func outcome(status: HTTPStatus, location: String, body: String) -> Outcome {
        switch status {
        case .unauthorized where !body.contains("用户名或密码"): return .signIn
        case .forbidden where body.contains("权限") || body.contains("您不能"): return .forbidden
        case .notFound: return .notFound
        case .seeOther where location.hasPrefix("/login?next="): return .signIn
        default: return .allowed
        }
    }

    static func expectedOutcome(_ requirement: Requirement, _ caller: Caller, _ app: Application) async throws -> Outcome {
        func has(_ permission: Permission) -> Bool { caller.role?.permissions.contains(permission) ?? false }
        func covers(_ code: String) async throws -> Bool {
            guard let grantPath = caller.grantPath else { return false }
            return try await DivisionQueries.require(code, on: app.db).path.hasPrefix(grantPath)
        }
        if case .open = requirement { return .allowed }
        guard caller.role != nil else { return .signIn }
        switch requirement {
        case .open, .signedIn:
            return .allowed
        case .onDivision(let permission, let code):
            guard try await covers(code) else { return .notFound }
            return has(permission) ? .allowed : .forbidden
        case .somewhere(let permission):
            return has(permission) ? .allowed : .forbidden
        case .somewhereThenOn(let permission, let code):
            guard has(permission) else { return .forbidden }
            return try await covers(code) ? .allowed : .notFound
        case .grantOn(let code):
            guard has(.manageUsers) else { return .forbidden }
            return try await covers(code) ? .allowed : .forbidden
        case .managesTargetUser:
            guard has(.manageUsers) else { return .forbidden }
            return try await covers(township) ? .allowed : .notFound
        case .nobodysOwn:
            return .notFound
        case .somewhereThenNotFound(let permission):
            return has(permission) ? .notFound : .forbidden
        case .onCampaign(let permission):
            let region = try await DivisionQueries.require(city, on: app.db).path
            guard let grantPath = caller.grantPath, grantPath.hasPrefix(region) || region.hasPrefix(grantPath) else { return .notFound }
            if permission == .view { return .allowed }
            return has(permission) && region.hasPrefix(grantPath) ? .allowed : .forbidden
        case .campaignThenOn(let permission, let code):
            let region = try await DivisionQueries.require(city, on: app.db).path
            guard let grantPath = caller.grantPath, grantPath.hasPrefix(region) || region.hasPrefix(grantPath) else { return .notFound }
            guard try await covers(code) else { return .notFound }
            return has(permission) ? .allowed : .forbidden
        case .assessment(let permission), .onCampaignWrite(let permission):
            guard has(permission) else { return .forbidden }
            let region = try await DivisionQueries.require(city, on: app.db).path
            guard let grantPath = caller.grantPath, grantPath.hasPrefix(region) || region.hasPrefix(grantPath) else { return .notFound }
            return permission == .view || region.hasPrefix(grantPath) ? .allowed : .forbidden
        case .cityReview(let code):
            guard has(.verify), let grantPath = caller.grantPath else { return .forbidden }
            guard DivisionPath(grantPath).depth <= 2 else { return .forbidden }
            return try await covers(code) ? .allowed : .notFound
        }
    }
}

/// Unique suffixes for names the probes create.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
