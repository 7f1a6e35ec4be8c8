import FluentKit
import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// One demonstration township: its checklist measured from the data, the evidence given with its
/// files, the city's decision and the acceptance visit.
enum DemonstrationTownshipController {
    /// Ten files at the library's limit each, plus the form.
    static func bodyLimit(_ settings: AppSettings) -> ByteCount {
        ByteCount(value: settings.libraryMaximumBytes * 10 + 1024 * 1024)
    }

    static func show(_ req: Request) async throws -> Response {
        try await render(req, error: nil, status: .ok)
    }

    struct DecisionForm: Content {
        var decision: String?
        var note: String?
    }

    static func decide(_ req: Request) async throws -> Response {
        let id = try demonstrationID(req)
        // Found (or not) before the form is read: a township outside the caller's part does not exist for them.
        _ = try await DemonstrationStore.require(id, in: try req.scope(for: .manageCampaigns), on: req.db)
        do {
            let form = try req.content.decode(DecisionForm.self)
            guard let decision = form.decision, ["approve", "reject"].contains(decision) else { throw Refusal("审批：请选择认定或不予认定", field: "decision") }
            _ = try await DemonstrationStore.decide(id, approve: decision == "approve", note: form.note ?? "", in: try req.scope(for: .manageCampaigns),
                                                    by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.demonstration(.value(id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where error.kind == .invalidInput || error.kind == .conflict {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    struct EvidenceForm: Content {
        var criterionID: Int?
        var note: String?
        var marksMet: String?
        var files: [File]?
    }

    static func addEvidence(_ req: Request) async throws -> Response {
        let id = try demonstrationID(req)
        _ = try await DemonstrationStore.require(id, in: try req.scope(for: .editLedger), on: req.db)
        do {
            let form = try req.content.decode(EvidenceForm.self)
            guard let criterionID = form.criterionID else { throw Refusal("示范条件：请选择", field: "criterionID") }
            let files = (form.files ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
                .map { UploadedFile(fileName: $0.filename.nilIfBlank ?? "附件", bytes: Array($0.data.readableBytesView)) }
            _ = try await DemonstrationStore.addEvidence(id, criterionID: criterionID, note: form.note ?? "", marksMet: form.marksMet != nil, files: files,
                                                         maximumBytes: req.application.settings.libraryMaximumBytes,
                                                         in: try req.scope(for: .editLedger), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.demonstration(.value(id)).path + "#checklist", redirectType: .normal)
        } catch let error as any UserFacingError where error.kind == .invalidInput || error.kind == .conflict {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    struct AcceptanceForm: Content {
        var acceptedOn: String?
        var team: String?
        var findings: String?
    }

    static func recordAcceptance(_ req: Request) async throws -> Response {
        let id = try demonstrationID(req)
        _ = try await DemonstrationStore.require(id, in: try req.scope(for: .manageCampaigns), on: req.db)
        do {
            let form = try req.content.decode(AcceptanceForm.self)
            guard let day = form.acceptedOn?.nilIfBlank.flatMap(CalendarDay.init(iso:)) else {
                throw Refusal("验收日期：「\(form.acceptedOn ?? "")」不是日期，请按 2012-12-01 的格式填写", field: "acceptedOn")
            }
            _ = try await DemonstrationStore.recordAcceptance(id, day: day, team: form.team ?? "", findings: form.findings ?? "",
                                                              in: try req.scope(for: .manageCampaigns), by: req.actor, on: req.db)
            return req.redirect(to: SiteURL.demonstration(.value(id)).path, redirectType: .normal)
        } catch let error as any UserFacingError where error.kind == .invalidInput || error.kind == .conflict {
            req.refusalReason = error.message
            return try await render(req, error: error.message, status: ErrorPresentation(error).status)
        }
    }

    /// An evidence file as it was uploaded, byte for byte.
    static func file(_ req: Request) async throws -> Response {
        let id = try demonstrationID(req)
        guard let fileID = Int(try req.parameters.require("fileID")) else { throw Abort(.notFound, reason: "找不到这份佐证材料") }
        let (file, bytes) = try await DemonstrationStore.evidenceFile(fileID, of: id, in: try req.scope(for: .view), on: req.db)
        return FileResponse.make(bytes: bytes, fileName: file.fileName, kind: file.kind, inline: true)
    }

    static func demonstrationID(_ req: Request) throws -> Int {
        let text = try req.parameters.require("demonstrationID")
        guard let id = Int(text) else { throw Abort(.notFound, reason: "找不到编号为 \(text) 的示范乡镇") }
        return id
    }
}
