import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore
import Vapor

/// What the pages of `LedgerImportController` show: the models their templates read.
extension LedgerImportController {
    struct PageModel: Encodable {
        var layout: LayoutContext
        /// Where the previewed upload is committed.
        var commitAction: String?
        var fileName: String?
        var preview: LedgerImporter.Preview?
        var summary: String
        var sample: [LedgerImporter.PreviewRow]
        var hasSample: Bool
        var rejected: [RowProblem]
        var rejectedTruncated: Bool
        var warnings: [String]
        var hasRejected: Bool
        var hasWarnings: Bool
        var hasUnknownHeaders: Bool
        var unknownHeaders: String
        var ignored: [LedgerImporter.IgnoredRow]
        var canCommit: Bool
        var error: String?
        var committed: Bool
    }
}
