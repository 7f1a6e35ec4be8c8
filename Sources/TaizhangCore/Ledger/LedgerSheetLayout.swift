/// Where a ledger sheet's header and data are, in sheets as cadres make them: title rows above
/// the header (often merged across the columns, "XX镇直属团组织台账（截至…）"), blank rows, a notes
/// row under the header, totals and signatures under the data. The header is the first row
/// that carries the template's key columns, within the first `headerSearchRows` rows; rows that
/// are plainly not organizations are set aside and listed, never read as data.
public enum LedgerSheetLayout {
    public static let headerSearchRows = 10

    /// Why a row was set aside, in the preview's words.
    public enum Ignored: String, Sendable, Codable, Equatable {
        case aboveHeader = "表头之前的标题或说明"
        case note = "说明、合计或签名行"
    }

    /// The header in `cells`, or nil when the row is not one (it lacks a key column).
    public static func header(in cells: [String]) -> LedgerHeader? {
        try? LedgerHeader(cells)
    }

    /// Words that open a totals, notes or signature row rather than an organization.
    static let noteOpenings = ["合计", "总计", "小计", "共计", "填表人", "填报人", "审核人", "制表人", "统计人", "负责人签字", "签字",
                               "填表说明", "填写说明", "说明", "注：", "注:", "备注：", "备注:", "联系人", "联系电话", "制表日期",
                               "填报日期", "填表日期", "报送日期", "单位（盖章）", "单位(盖章)"]

    /// Whether a row after the header is a totals, notes or signature row: its first filled cell
    /// (brackets aside) opens with one of `noteOpenings`.
    public static func isNote(_ cells: [String]) -> Bool {
        guard let first = cells.lazy.map({ ValueParser.normalize($0) }).first(where: { !$0.isEmpty }) else { return false }
        let text = String(first.drop(while: { "(（[【〔".contains($0) }))
        return noteOpenings.contains { text.hasPrefix($0) }
    }

    /// A row's text as the preview shows it when set aside: its filled cells, shortened.
    public static func summary(_ cells: [String]) -> String {
        let text = cells.map(\.trimmedWhitespace).filter { !$0.isEmpty }.joined(separator: " ")
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}
