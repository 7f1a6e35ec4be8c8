import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// 走访记录: the visit form (made for a phone: one column, the camera offered for photos), the
/// visit page with its photos and problems, and the files themselves.
enum VisitController {
    /// Ten files of at most 5 MB each, plus the form.
    static let bodyLimit: ByteCount = "52mb"

    static func new(_ req: Request) async throws -> Response {
        try await renderForm(req, values: FormValues(township: req.queryText("township") ?? "", visitedOn: CalendarDay.today().description),
                             error: nil, status: .ok)
    }

    struct Form: Content {
        var campaignID: Int?
        var township: String?
        var visitedOn: String?
        var visitors: String?
        var met: String?
        var findings: String?
        var organizations: String?
        var files: [File]?
        var problemTitle: [String]?
        var problemResponsible: [String]?
        var problemDeadline: [String]?
    }

    static func create(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let values = FormValues(form)
        do {
            let draft = try draft(form)
            let (visit, _) = try await VisitStore.log(draft, in: try req.scope(for: .liaise), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.visit(.value(visit.id)).path, redirectType: .normal)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            return try await renderForm(req, values: values, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    static func draft(_ form: Form) throws -> VisitDraft {
        guard let township = form.township?.nilIfBlank else { throw Refusal("走访乡镇：请选择乡镇（街道）", field: "township") }
        guard let day = form.visitedOn?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
            throw Refusal("走访日期：「\(form.visitedOn ?? "")」不是日期，请按 2012-11-28 的格式填写", field: "visitedOn")
        }
        let files = (form.files ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
            .map { VisitDraft.File(fileName: $0.filename.nilIfBlank ?? "附件", bytes: Array($0.data.readableBytesView)) }
        var problems: [VisitDraft.ProblemDraft] = []
        let titles = form.problemTitle ?? []
        for (index, title) in titles.enumerated() where title.nilIfBlank != nil {
            let responsible = (form.problemResponsible ?? []).indices.contains(index) ? form.problemResponsible![index] : ""
            let deadlineText = (form.problemDeadline ?? []).indices.contains(index) ? form.problemDeadline![index] : ""
            guard let deadline = CalendarDay(iso: deadlineText.trimmedWhitespace) else {
                throw Refusal("第 \(index + 1) 个问题的期限：「\(deadlineText)」不是日期", field: "problemDeadline")
            }
            problems.append(.init(title: title, responsibleName: responsible, deadline: deadline))
        }
        let codes = (form.organizations ?? "").split(whereSeparator: { " ,，、;；\n\r\t".contains($0) }).map(String.init)
        return VisitDraft(campaignID: form.campaignID, townshipCode: township, visitedOn: day, visitors: form.visitors ?? "", met: form.met ?? "",
                          findings: form.findings ?? "", organizationCodes: codes, files: files, problems: problems)
    }

    struct FormValues: Encodable {
        var township = ""
        var visitedOn = ""
        var visitors = ""
        var met = ""
        var findings = ""
        var organizations = ""
        var problemTitle = ""
        var problemResponsible = ""
        var problemDeadline = ""

        init(township: String, visitedOn: String) {
            self.township = township
            self.visitedOn = visitedOn
        }

        init(_ form: Form) {
            township = form.township ?? ""
            visitedOn = form.visitedOn ?? ""
            visitors = form.visitors ?? ""
            met = form.met ?? ""
            findings = form.findings ?? ""
            organizations = form.organizations ?? ""
            problemTitle = form.problemTitle?.first ?? ""
            problemResponsible = form.problemResponsible?.first ?? ""
            problemDeadline = form.problemDeadline?.first ?? ""
        }
    }

    struct FormModel: Encodable {
        var layout: LayoutContext
        var action = SiteURL.visits.path
        var campaignID: Int?
        var townships: [SelectOption]
        var values: FormValues
        var today: String
        var limits: String
        var error: String?
    }

    static func renderForm(_ req: Request, values: FormValues, error: String?, status: HTTPStatus) async throws -> Response {
        let scope = try req.scope(for: .liaise)
        let townships = try await DivisionQueries.townships(under: scope, limit: 2000, on: req.db)
        var options = townships.map { SelectOption(value: $0.code, label: "\($0.countyName) \($0.name)") }
        // A liaison cadre's own townships first.
        if let cadre = try await LiaisonStore.cadre(forUser: try req.requireUser().id.uuidString, on: req.db) {
            let mine = Set(try await LiaisonStore.assignments(ofCadre: cadre.id, on: .today(), on: req.db).map(\.townshipCode))
            options.sort { mine.contains($0.value) && !mine.contains($1.value) }
        }
        let model = FormModel(
            layout: LayoutContext(title: "记录走访", area: .liaisons, request: req), campaignID: try await req.pageCampaign()?.id,
            townships: options, values: values, today: CalendarDay.today().description,
            limits: "照片或扫描件（JPEG、PNG、GIF、WebP、PDF），每个不超过 5 MB，最多 \(AttachmentKind.maximumFiles) 个", error: error)
        return try await req.view.render("visit-new", model).encodeResponse(status: status, for: req)
    }

    struct ShowModel: Encodable {
        struct FileRow: Encodable {
            var name: String
            var href: String
            var isImage: Bool
            var size: String
            var sha256: String
        }

        struct OrganizationRow: Encodable {
            var code: String
            var name: String
            var href: String
        }

        var layout: LayoutContext
        var id: Int
        var townshipName: String
        var townshipHref: String
        var visitedOn: String
        var visitors: String
        var met: String
        var findings: String
        var organizations: [OrganizationRow]
        var files: [FileRow]
        var items: [SupervisionController.ItemRow]
        var recorded: String
    }

    static func show(_ req: Request) async throws -> Response {
        let id = try visitID(req)
        let visit = try await VisitStore.require(id, in: try req.scope(for: .view), on: req.db)
        let township = try await DivisionQueries.find(visit.townshipCode, on: req.db)
        let names = try await RedFlagStore.organizationNames(visit.organizationCodes, on: req.db)
        let now = ReportingClock.now()
        let items = try await SupervisionStore.items(of: visit.townshipCode, on: req.db).filter { $0.source == .visit && $0.sourceRef == String(id) }
        let model = ShowModel(
            layout: LayoutContext(title: "走访记录第 \(id) 号", area: .liaisons, request: req), id: id, townshipName: township?.name ?? visit.townshipCode,
            townshipHref: SiteURL.liaisonTownship(.value(visit.townshipCode)).path, visitedOn: visit.visitedOn.description, visitors: visit.visitors,
            met: visit.met, findings: visit.findings,
            organizations: visit.organizationCodes.map { .init(code: $0, name: names[$0] ?? $0, href: SiteURL.organization(.value($0)).path) },
            files: visit.attachments.map { .init(name: $0.fileName, href: SiteURL.visitAttachment(.value(id), .value($0.id)).path, isImage: $0.kind.isImage,
                                                  size: AttachmentKind.sizeText($0.byteCount), sha256: $0.sha256) },
            items: items.map { SupervisionController.ItemRow($0, at: now) },
            recorded: "\(visit.recordedBy) 记录于 \(DisplayFormat.dateTime(visit.recordedAt))")
        return try await req.view.render("visit", model).encodeResponse(for: req)
    }

    /// The file as it was uploaded, byte for byte; images shown inline, PDFs too (the browser decides).
    static func attachment(_ req: Request) async throws -> Response {
        let id = try visitID(req)
        let text = try req.parameters.require("attachmentID")
        guard let attachmentID = Int(text) else { throw Abort(.notFound, reason: "找不到这份附件") }
        let (attachment, bytes) = try await VisitStore.attachment(attachmentID, ofVisit: id, in: try req.scope(for: .view), on: req.db)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: String(attachment.kind.contentType.split(separator: "/")[0]),
                                            subType: String(attachment.kind.contentType.split(separator: "/")[1]))
        let encoded = attachment.fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"attachment-\(attachmentID)\"; filename*=UTF-8''\(encoded)")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }

    static func visitID(_ req: Request) throws -> Int {
        let text = try req.parameters.require("visitID")
        guard let id = Int(text) else { throw Abort(.notFound, reason: "找不到编号为 \(text) 的走访记录") }
        return id
    }
}

extension VisitController {
    struct ListRow: Encodable {
        var day: String
        var township: String
        var visitors: String
        var findings: String
        var href: String
    }

    struct ListModel: Encodable {
        var layout: LayoutContext
        var areaName: String
        var rows: [ListRow]
        var canLogVisit: Bool
    }

    static func list(_ req: Request) async throws -> Response {
        let area = try await req.pageDivision()
        let visits = try await VisitStore.list(under: area.path, in: try req.scope(for: .view), on: req.db)
        let names = try await SupervisionController.divisionNames(visits.map(\.townshipCode), on: req.db)
        let model = ListModel(
            layout: LayoutContext(title: "走访记录", area: .liaisons, request: req), areaName: area.name,
            rows: visits.map { ListRow(day: $0.visitedOn.description, township: names[$0.townshipCode] ?? $0.townshipCode, visitors: $0.visitors,
                                       findings: String($0.findings.prefix(80)), href: SiteURL.visit(.value($0.id)).path) },
            canLogVisit: !(try req.scope(for: .liaise)).isEmpty)
        return try await req.view.render("visits", model).encodeResponse(for: req)
    }
}
