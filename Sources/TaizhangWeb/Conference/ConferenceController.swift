import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 团建联席会: the overview of the user's townships' conferences, a township's conference page
/// (members, meetings, open follow-ups) and adding a member unit.
enum ConferenceController {
    struct SummaryRow: Encodable {
        var township: String
        var href: String
        var members: Int
        var organized: String
        var lastMeeting: String
        var openFollowups: Int
    }

    struct IndexModel: Encodable {
        var layout: LayoutContext
        var areaName: String
        var rows: [SummaryRow]
        var withoutMeeting: Int
        var activitiesHref: String
        var conversionHref: String
    }

    /// The townships of the area (`?division=`, else the user's own) with their conference at a glance.
    static func index(_ req: Request) async throws -> View {
        let area = try await req.conferenceArea()
        let summaries = try await ConferenceStore.summaries(under: area.path, in: try req.scope(for: .view), on: req.db)
        let rows = summaries.map { summary in
            SummaryRow(township: summary.townshipName, href: SiteURL.conference(.value(summary.townshipCode)).path, members: summary.members,
                       organized: summary.organizedPercent.map { "\(summary.withOrganization)（\($0)%）" } ?? "—",
                       lastMeeting: summary.lastMeeting?.description ?? "未召开", openFollowups: summary.openFollowups)
        }
        return try await req.view.render("conferences", IndexModel(
            layout: LayoutContext(title: "团建联席会", area: .conferences, request: req), areaName: area.name, rows: rows,
            withoutMeeting: summaries.filter { $0.lastMeeting == nil }.count,
            activitiesHref: SiteURL.activities.path + "?division=\(area.code)", conversionHref: SiteURL.activityConversion(.value(area.code)).path))
    }

    struct MemberRow: Encodable {
        var id: Int
        var name: String
        var category: String
        var contact: String
        var delegate: String
        var organization: String?
        var organizationHref: String?
        var joined: String
        var left: String?
    }

    struct MeetingRow: Encodable {
        var day: String
        var href: String
        var place: String
        var present: Int
    }

    struct FollowupRow: Encodable {
        var title: String
        var owner: String
        var deadline: String
        var overdue: Bool
        var meetingHref: String
    }

    struct MemberValues: Encodable {
        var name = ""
        var unitCategory = ""
        var contactName = ""
        var contactPhone = ""
        var delegate = ""
        var organizationCode = ""
        var joinedOn = ""
    }

    struct ShowModel: Encodable {
        var layout: LayoutContext
        var name: String
        var summary: String
        var members: [MemberRow]
        var meetings: [MeetingRow]
        var followups: [FollowupRow]
        var canEdit: Bool
        var memberAction: String
        var meetingNewHref: String
        var activitiesHref: String
        var conversionHref: String
        var overviewHref: String
        var categories: [String]
        var values: MemberValues
        var today: String
        var error: String?
    }

    static func show(_ req: Request) async throws -> Response {
        try await render(req, code: try req.parameters.require("code"), values: MemberValues(joinedOn: CalendarDay.today().description),
                         error: nil, status: .ok)
    }

    static func render(_ req: Request, code: String, values: MemberValues, error: String?, status: HTTPStatus) async throws -> Response {
        let township = try await req.authorize(.view, divisionCode: code)
        guard township.level == .township else { throw Refusal("联席会设在乡镇（街道）；「\(township.name)」是\(township.level.label)", kind: .notFound) }
        let today = CalendarDay.today()
        let members = try await ConferenceStore.members(of: code, on: req.db)
        let current = members.filter { $0.isMember(on: today) }
        let meetings = try await ConferenceStore.meetings(of: code, on: req.db)
        let open = try await ConferenceStore.followups(of: code, openOnly: true, on: req.db)
        let organized = current.filter { $0.organizationCode != nil }.count
        let share = current.isEmpty ? "" : "，其中 \(organized) 个已有团组织（\(Int((Double(organized) * 100 / Double(current.count)).rounded()))%）"
        let summary = "成员单位 \(current.count) 个\(share)；上次会议 \(meetings.first?.heldOn.description ?? "未召开")；未办结跟进事项 \(open.count) 项"
        let model = ShowModel(
            layout: LayoutContext(title: "\(township.name)团建联席会", area: .conferences, request: req), name: township.name, summary: summary,
            members: members.map { member in
                MemberRow(id: member.id, name: member.name, category: member.unitCategory,
                          contact: [member.contactName, member.contactPhone].filter { !$0.isEmpty }.joined(separator: " "), delegate: member.delegate,
                          organization: member.organizationCode, organizationHref: member.organizationCode.map { SiteURL.organizationPath(.value($0)).path },
                          joined: member.joinedOn.description, left: member.leftOn?.description)
            },
            meetings: meetings.map { MeetingRow(day: $0.heldOn.description, href: SiteURL.conferenceMeeting(.value(code), .value($0.id)).path,
                                                place: $0.place, present: $0.present) },
            followups: open.map { FollowupRow(title: $0.title, owner: $0.ownerName, deadline: $0.deadline.description, overdue: $0.isOverdue(on: today),
                                              meetingHref: SiteURL.conferenceMeeting(.value(code), .value($0.meetingID)).path) },
            canEdit: try req.requireUser().policy.allows(.editLedger, at: township.path),
            memberAction: SiteURL.conferenceMembers(.value(code)).path, meetingNewHref: SiteURL.conferenceMeetingNew(.value(code)).path,
            activitiesHref: SiteURL.activities.path + "?division=\(code)", conversionHref: SiteURL.activityConversion(.value(code)).path,
            overviewHref: SiteURL.conferences.path, categories: try await ReferenceStore.lists(on: req.db).list(.unitCategory),
            values: values, today: today.description, error: error)
        return try await req.view.render("conference", model).encodeResponse(status: status, for: req)
    }

    struct MemberForm: Content {
        var name: String?
        var unitCategory: String?
        var contactName: String?
        var contactPhone: String?
        var delegate: String?
        var organizationCode: String?
        var joinedOn: String?
    }

    static func memberDraft(_ form: MemberForm, township: String) throws -> ConferenceMemberDraft {
        guard let joined = CalendarDay(iso: (form.joinedOn ?? "").trimmedWhitespace) else {
            throw Refusal("加入日期：「\(form.joinedOn ?? "")」不是日期，请按 2012-11-28 的格式填写", field: "joinedOn")
        }
        return ConferenceMemberDraft(townshipCode: township, name: form.name ?? "", unitCategory: form.unitCategory ?? "", contactName: form.contactName ?? "",
                                     contactPhone: form.contactPhone ?? "", delegate: form.delegate ?? "", organizationCode: form.organizationCode?.nilIfBlank,
                                     joinedOn: joined)
    }

    static func addMember(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        let form = try req.content.decode(MemberForm.self)
        do {
            _ = try await ConferenceStore.addMember(try memberDraft(form, township: code), in: try req.scope(for: .editLedger), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.conference(.value(code)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            let values = MemberValues(name: form.name ?? "", unitCategory: form.unitCategory ?? "", contactName: form.contactName ?? "",
                                      contactPhone: form.contactPhone ?? "", delegate: form.delegate ?? "", organizationCode: form.organizationCode ?? "",
                                      joinedOn: form.joinedOn ?? "")
            return try await render(req, code: code, values: values, error: error.message, status: ErrorPresentation(error).status)
        }
    }
}

extension Request {
    /// The division a conference or activity page is about: `?division=` if the user may see it, else their own.
    func conferenceArea() async throws -> Division {
        if let code = queryText("division") { return try await authorize(.view, divisionCode: code) }
        guard let root = try await visibleRootDivisions().first else { throw Abort(.notFound, reason: "您还没有可查看的行政区划") }
        return root
    }
}
