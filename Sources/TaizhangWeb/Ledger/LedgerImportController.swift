import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// Importing a filled-in template: upload, preview (new / updated / unchanged / rejected),
/// then confirm. The upload is kept in the database between the two steps.
enum LedgerImportController {
    /// The largest file accepted (a 100,000-row sheet is about 10 MB as XLSX, 20 MB as CSV).
    static let maxUploadSize: ByteCount = "64mb"

    static func emptyModel(_ req: Request) -> PageModel {
        PageModel(layout: LayoutContext(title: "导入台账", area: .ledger, request: req), commitAction: nil, fileName: nil, preview: nil, summary: "", sample: [], hasSample: false,
                  rejected: [], rejectedTruncated: false, warnings: [], hasRejected: false, hasWarnings: false,
                  hasUnknownHeaders: false, unknownHeaders: "", ignored: [], canCommit: false, error: nil, committed: false)
    }

    static func form(_ req: Request) async throws -> View {
        try await req.view.render("ledger-import", emptyModel(req))
    }

    struct Upload: Content {
        var file: File
    }

    static func upload(_ req: Request) async throws -> Response {
        var model = emptyModel(req)
        do {
            guard let upload = try? req.content.decode(Upload.self), upload.file.data.readableBytes > 0 else {
                throw Refusal("请选择要导入的 .xlsx 或 .csv 文件")
            }
            let data = Data(buffer: upload.file.data)
            let reader = try TabularFileReader(data: data, limits: .forUploads)
            let preview = try await LedgerImporter.preview(reader, scope: try req.scope(for: .editLedger),
                                                           checks: req.application.settings.organizationChecks, on: req.db)
            let user = try req.requireUser()
            let id = try await ImportBatchStore.save(content: data, fileName: upload.file.filename, preview: preview,
                                                     userID: user.id, actorName: req.actor.name, on: req.db)
            model = present(req, batchID: id, fileName: upload.file.filename, preview: preview)
            if !preview.rejected.isEmpty { req.refusalReason = "导入预览：\(preview.summaryLine)" }
            return try await req.view.render("ledger-import", model).encodeResponse(for: req)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            model.error = error.message
            let response = try await req.view.render("ledger-import", model).encodeResponse(for: req)
            response.status = .badRequest
            return response
        }
    }

    static func present(_ req: Request, batchID: UUID, fileName: String, preview: LedgerImporter.Preview) -> PageModel {
        var model = emptyModel(req)
        model.commitAction = SiteURL.ledgerImportCommit(.value(batchID)).path
        model.fileName = fileName
        model.preview = preview
        model.summary = preview.summaryLine
        model.sample = preview.sample
        model.hasSample = !preview.sample.isEmpty
        model.rejected = Array(preview.rejected.prefix(1000))
        model.rejectedTruncated = preview.rejected.count > 1000
        model.warnings = Array(preview.warnings.prefix(200))
        model.hasRejected = !preview.rejected.isEmpty
        model.hasWarnings = !preview.warnings.isEmpty
        model.hasUnknownHeaders = !preview.unknownHeaders.isEmpty
        model.unknownHeaders = preview.unknownHeaders.joined(separator: "、")
        model.ignored = preview.ignoredRows
        model.canCommit = preview.canCommit
        return model
    }

    static func commit(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = UUID(uuidString: try req.parameters.require("batchID")),
              let batch = try await ImportBatchStore.find(id, userID: user.id, on: req.db) else {
            throw Refusal("找不到这次上传（或它不是您上传的）", kind: .notFound)
        }
        let scope = try req.scope(for: .editLedger)
        let actor = req.actor
        let checks = req.application.settings.organizationChecks
        do {
            // The upload is marked imported in the import's own transaction: both or neither.
            let preview = try await LedgerImporter.commit(try TabularFileReader(data: batch.content, limits: .forUploads),
                                                          fileName: batch.fileName, scope: scope, checks: checks,
                                                          first: { db in try await ImportBatchStore.markCommitted(id, on: db) },
                                                          by: actor, on: req.db)
            var model = present(req, batchID: id, fileName: batch.fileName, preview: preview)
            model.committed = true
            model.canCommit = false
            return try await req.view.render("ledger-import", model).encodeResponse(for: req)
        } catch let error as any UserFacingError {
            req.refusalReason = error.message
            var model = present(req, batchID: id, fileName: batch.fileName, preview: batch.preview)
            model.canCommit = false
            model.error = error.message
            let response = try await req.view.render("ledger-import", model).encodeResponse(for: req)
            response.status = ErrorPresentation(error).status
            return response
        }
    }
}
