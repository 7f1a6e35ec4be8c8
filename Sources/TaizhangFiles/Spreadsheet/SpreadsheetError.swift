/// Why an uploaded table file cannot be read, worded for the cadre who uploaded it.
public enum SpreadsheetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An OLE/CFB container: a password-protected workbook or a legacy .xls file.
    case encryptedOrLegacyExcel
    /// The ZIP container or one of its parts is truncated or damaged.
    case corruptXLSX
    /// A ZIP archive that holds no Excel workbook.
    case notAWorkbook
    /// An Excel binary workbook (.xlsb).
    case binaryWorkbook
    /// An OpenDocument spreadsheet (.ods).
    case openDocumentSpreadsheet
    /// A part would unpack beyond its size limit or compresses implausibly well (a "zip bomb").
    case partTooLarge(part: String, limitBytes: Int64)
    /// The file holds binary data that is neither CSV text nor XLSX.
    case notATable
    /// CSV bytes that are neither UTF-8, UTF-16 with a byte-order mark, nor GB18030/GBK.
    case unknownTextEncoding
    /// The CSV mixes UTF-8 and GBK text, so neither reading is right.
    case mixedTextEncoding(line: Int)
    /// An export with more rows or columns than one Excel sheet holds.
    case exceedsExcelSheetSize
    /// The file could not be opened or read at all.
    case unreadable(String)
    /// More rows than one upload may hold (`XLSXLimits.maxRows`), at row `row`.
    case tooManyRows(limit: Int, row: Int)
    /// A row with more cells than a ledger row can have (`XLSXLimits.maxColumns`).
    case tooManyColumns(limit: Int, row: Int)

    /// The one-line Chinese message shown to the user.
    public var message: String {
        switch self {
        case .encryptedOrLegacyExcel:
            "文件已加密或是旧版 .xls 格式：请在 Excel 中另存为 .xlsx（不设密码）或 CSV"
        case .corruptXLSX:
            "XLSX 文件已损坏或不完整：请在 Excel 中重新保存后再上传"
        case .notAWorkbook:
            "压缩包里没有 Excel 工作簿：这不是 .xlsx 文件，请在 Excel 中另存为 .xlsx 或 CSV"
        case .binaryWorkbook:
            "文件是 Excel 二进制工作簿（.xlsb）：请在 Excel 中另存为 .xlsx 或 CSV"
        case .openDocumentSpreadsheet:
            "文件是 OpenDocument 表格（.ods）：请另存为 .xlsx 或 CSV"
        case let .partTooLarge(part, limit):
            "XLSX 文件中的\(part)解压后超过 \(Self.size(limit)) 上限或压缩比异常（疑似压缩炸弹）：请删除多余内容或拆分后分批导入"
        case .notATable:
            "文件不是 CSV 或 XLSX 表格：请上传 .xlsx 或 .csv 文件"
        case .unknownTextEncoding:
            "无法识别 CSV 文件的文字编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx"
        case let .mixedTextEncoding(line):
            "CSV 文件第 \(line) 行附近的文字编码与前文不一致（UTF-8 与 GBK 混用）：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx"
        case .exceedsExcelSheetSize:
            "导出的内容超过 Excel 单个工作表的上限（1,048,576 行、16,384 列）：请缩小范围后分批导出"
        case let .unreadable(detail):
            "无法读取上传的文件：\(detail)"
        case let .tooManyRows(limit, row):
            "文件超过 \(limit) 行（第 \(row) 行起超出）：网页一次最多导入 \(limit) 行，请拆分后分批导入，或由管理员用 taizhang import 命令导入"
        case let .tooManyColumns(limit, row):
            "第 \(row) 行超过 \(limit) 列：台账模板只有二十余列，请删除多余的列后再上传"
        }
    }

    public var description: String { message }

    static func size(_ bytes: Int64) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) 字节"
    }
}
