import FluentKit
import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// A conference meeting: the form (members present, the follow-ups carried to it, new agenda
/// items with their decisions and follow-ups), recording it, its page and its minutes (.docx).
enum ConferenceMeetingController {
    /// Empty rows for new agenda items on the form.
    static let itemRows = 3

    struct MemberOption: Encodable {
        var id: Int
        var label: String
        var checked: Bool
    }

    struct CarriedRow: Encodable {
        var id: Int
        var title: String
        var owner: String
        var deadline: String
        var result: String
    }

    struct ItemValues: Encodable {
        var title = ""
        var discussion = ""
        var decision = ""
        var owner = ""
        var deadline = ""
    }

    struct FormModel: Encodable {
        var layout: LayoutContext
        var township: String
        var action: String
        var backHref: String
        var heldOn: String
        var place: String
        var chair: String
        var notes: String
        var members: [MemberOption]
        var carried: [CarriedRow]
        var items: [ItemValues]
        var today: String
        var error: String?
    }

    struct Form: Content {
        var heldOn: String?
        var place: String?
        var chair: String?
        var notes: String?
        var present: [Int]?
        var itemTitle: [String]?
        var itemDiscussion: [String]?
        var itemDecision: [String]?
        var itemOwner: [String]?
        var itemDeadline: [String]?
        var followupID: [Int]?
        var followupResult: [String]?
    }

    static func new(_ req: Request) async throws -> Response {
        try await renderForm(req, code: try req.parameters.require("code"), form: Form(heldOn: CalendarDay.today().description), error: nil, status: .ok)
    }

    static func renderForm(_ req: Request, code: String, form: Form, error: String?, status: HTTPStatus) async throws -> Response {
        let township = try await req.authorize(.editLedger, divisionCode: code)
        let day = CalendarDay(iso: form.heldOn ?? "") ?? .today()
        let members = try await ConferenceStore.members(of: code, on: req.db).filter { $0.isMember(on: day) || $0.leftOn == nil }
        let present = Set(form.present ?? [])
        let open = try await ConferenceStore.followups(of: code, openOnly: true, on: req.db)
        let results = Dictionary(zip(form.followupID ?? [], form.followupResult ?? []).map { ($0, $1) }, uniquingKeysWith: { $1 })
        func at(_ list: [String]?, _ index: Int) -> String { (list ?? []).indices.contains(index) ? list![index] : "" }
        let items = (0..<max(itemRows, form.itemTitle?.count ?? 0)).map { index in
            ItemValues(title: at(form.itemTitle, index), discussion: at(form.itemDiscussion, index), decision: at(form.itemDecision, index),
                       owner: at(form.itemOwner, index), deadline: at(form.itemDeadline, index))
        }
        let model = FormModel(
            layout: LayoutContext(title: "记录联席会会议", area: .conferences, request: req), township: township.name,
            action: SiteURL.conferenceMeetings(.value(code)).path, backHref: SiteURL.conference(.value(code)).path,
            heldOn: form.heldOn ?? "", place: form.place ?? "", chair: form.chair ?? "", notes: form.notes ?? "",
            members: members.map { MemberOption(id: $0.id, label: $0.name, checked: present.contains($0.id)) },
            carried: open.map { CarriedRow(id: $0.id, title: $0.title, owner: $0.ownerName, deadline: $0.deadline.description, result: results[$0.id] ?? "") },
            items: items, today: CalendarDay.today().description, error: error)
        return try await req.view.render("conference-meeting-new", model).encodeResponse(status: status, for: req)
    }

    static func draft(_ form: Form, township: String) throws -> ConferenceMeetingDraft {
        guard let day = CalendarDay(iso: (form.heldOn ?? "").trimmedWhitespace) else {
            throw Refusal("会议日期：「\(form.heldOn ?? "")」不是日期，请按 2012-11-28 的格式填写", field: "heldOn")
        }
        var items: [ConferenceMeetingDraft.Item] = []
        for (index, title) in (form.itemTitle ?? []).enumerated() {
            func at(_ list: [String]?) -> String { (list ?? []).indices.contains(index) ? list![index].trimmedWhitespace : "" }
            let owner = at(form.itemOwner), deadline = at(form.itemDeadline)
            guard !(title.isBlank && at(form.itemDecision).isEmpty && owner.isEmpty && deadline.isEmpty) else { continue }
            var ownerID: Int?
            if !owner.isEmpty {
                guard let id = Int(owner) else { throw Refusal("第 \(items.count + 1) 项议题的责任单位：「\(owner)」不是成员单位", field: "itemOwner") }
                ownerID = id
            }
            var deadlineDay: CalendarDay?
            if !deadline.isEmpty {
                guard let parsed = CalendarDay(iso: deadline) else { throw Refusal("第 \(items.count + 1) 项议题的期限：「\(deadline)」不是日期", field: "itemDeadline") }
                deadlineDay = parsed
            }
            items.append(.init(title: title, discussion: at(form.itemDiscussion), decision: at(form.itemDecision), followupOwnerID: ownerID,
                               followupDeadline: deadlineDay))
        }
        let closings = zip(form.followupID ?? [], form.followupResult ?? []).filter { !$0.1.isBlank }.map { ConferenceMeetingDraft.Closing(followupID: $0.0, result: $0.1) }
        return ConferenceMeetingDraft(townshipCode: township, heldOn: day, place: form.place ?? "", chair: form.chair ?? "", notes: form.notes ?? "",
                                      presentMemberIDs: form.present ?? [], items: items, closings: closings)
    }

    static func create(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        let form = try req.content.decode(Form.self)
        do {
            let meeting = try await ConferenceStore.recordMeeting(try draft(form, township: code), in: try req.scope(for: .editLedger), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.conferenceMeeting(.value(code), .value(meeting.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderForm(req, code: code, form: form, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func meeting(_ req: Request) async throws -> (township: Division, meeting: ConferenceMeeting, minutes: ConferenceMinutes) {
        let code = try req.parameters.require("code")
        let township = try await req.authorize(.view, divisionCode: code)
        let text = try req.parameters.require("meetingID")
        guard let id = Int(text) else { throw Refusal.notFound("找不到编号为 \(text) 的联席会会议") }
        let meeting = try await ConferenceStore.meeting(id, in: .within(township.path), on: req.db)
        let members = try await ConferenceStore.members(of: code, on: req.db)
        let followups = try await ConferenceStore.followups(of: code, on: req.db)
        return (township, meeting, ConferenceMinutes(township: township.name, meeting: meeting, members: members, followups: followups))
    }

    struct ShowModel: Encodable {
        var layout: LayoutContext
        var minutes: ConferenceMinutes
        var quorumMet: Bool
        var minutesHref: String
        var backHref: String
    }

    static func show(_ req: Request) async throws -> View {
        let (township, meeting, minutes) = try await Self.meeting(req)
        return try await req.view.render("conference-meeting", ShowModel(
            layout: LayoutContext(title: minutes.title, area: .conferences, request: req), minutes: minutes, quorumMet: meeting.quorum.isMet,
            minutesHref: SiteURL.conferenceMinutes(.value(township.code), .value(meeting.id)).path, backHref: SiteURL.conference(.value(township.code)).path))
    }

    /// `minutes.docx`.
    static func minutes(_ req: Request) async throws -> Response {
        let (_, meeting, minutes) = try await Self.meeting(req)
        return try await TemporaryFileDownload.respond(req, contentType: TemporaryFileDownload.docx, asciiName: "minutes.docx",
                                                       name: "\(minutes.title).docx") {
            try DOCXWriter.write(minutes.docx(), to: $0, created: meeting.heldOn.startInShanghai)
        }
    }
}
