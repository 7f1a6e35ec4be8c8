import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// A spot check's report (`/verification/spot-checks/{id}/report`): the per-stratum table with
/// Wilson intervals and the estimate of the real count, the formulas in plain Chinese, printable
/// as A4 and downloadable as .docx and .xlsx like a bulletin.
enum SpotCheckReportController {
    struct Page: Encodable {
        var layout: LayoutContext
        var spotCheckHref: String
        var listHref: String
        var docxHref: String
        var xlsxHref: String
        var report: SpotCheckReportLayout
        var issuedOn: String
    }

    static func layout(_ req: Request) async throws -> (SpotCheck, SpotCheckReportLayout) {
        let spotCheck = try await SpotCheckController.spotCheck(req)
        let report = try await SpotCheckStore.report(spotCheck, on: req.db)
        let campaign = try await CampaignStore.find(spotCheck.campaignID, on: req.db)
        return (spotCheck, SpotCheckReportLayout(spotCheck, report: report, campaignName: campaign?.name ?? ""))
    }

    static func show(_ req: Request) async throws -> View {
        let (spotCheck, layout) = try await layout(req)
        return try await req.view.render("spot-check-report", Page(
            layout: LayoutContext(title: layout.title, area: .verification, request: req),
            spotCheckHref: SiteURL.spotCheck(.value(spotCheck.id)).path, listHref: SiteURL.spotChecks.path,
            docxHref: SiteURL.spotCheckReportFile(.value(spotCheck.id), .value("spot-check.docx")).path,
            xlsxHref: SiteURL.spotCheckReportFile(.value(spotCheck.id), .value("spot-check.xlsx")).path,
            report: layout, issuedOn: CalendarDay.today().chinese))
    }

    /// `spot-check.docx` or `spot-check.xlsx`.
    static func download(_ req: Request) async throws -> Response {
        let (_, layout) = try await layout(req)
        let file = try req.parameters.require("file")
        switch file {
        case "spot-check.docx":
            return try await TemporaryFileDownload.respond(req, contentType: TemporaryFileDownload.docx, asciiName: file, name: "\(layout.title).docx") {
                try DOCXWriter.write(layout.docx(issuedOn: CalendarDay.today().chinese), to: $0, created: Date())
            }
        case "spot-check.xlsx":
            return try await TemporaryFileDownload.respond(req, contentType: TemporaryFileDownload.xlsx, asciiName: file, name: "\(layout.title).xlsx") {
                try layout.writeXLSX(to: $0)
            }
        default:
            throw Refusal("没有「\(file)」：可下载 spot-check.docx 或 spot-check.xlsx", kind: .notFound)
        }
    }
}
