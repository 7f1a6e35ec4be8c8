import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore

/// A bulletin's words and table, written once from its frozen content and set three ways:
/// the A4 page, the Word document and the spreadsheet.
struct BulletinLayout: Encodable {
    var title: String
    var number: String
    var issuingBody: String
    var issuedOn: String
    var periodLabel: String
    var summary: String
    /// The 已建立 organizations spot checks found 不属实 and no figure counts, by county; nil when none.
    var refuted: String?
    var header: [String]
    var rows: [[String]]
    /// Each row's 完成率 as a number (percent, to a tenth), for the spreadsheet.
    var percents: [Double]
    var behindRows: [Bool]
    var behind: String
    var notReported: [String]
    var text: [String]
    var hasText: Bool
    var hasMissing: Bool
    /// The townships behind pace and those that have not reported, each with its lead liaison
    /// (empty for bulletins issued before liaisons were named in them).
    var behindTownships: [TownshipLiaisonLine]
    var notReportedTownships: [TownshipLiaisonLine]
    var hasBehindTownships: Bool
    var hasNotReportedTownships: Bool

    /// One line of the liaison tables: county, township, 完成率 (behind list), lead liaison.
    struct TownshipLiaisonLine: Encodable {
        var county: String
        var township: String
        var percent: String
        var liaison: LeadLiaisonLabel

        init(_ line: BulletinContent.TownshipLine) {
            county = line.county
            township = line.name
            percent = line.percent.map { BulletinLayout.percent($0) } ?? ""
            liaison = LeadLiaisonLabel(name: line.liaison, phone: line.liaisonPhone)
        }

        var cells: [String] { [county, township] + (percent.isEmpty ? [] : [percent]) + [liaison.name, liaison.phone] }
    }

    static let liaisonHeader = ["县（市、区）", "乡镇（街道）", "牵头挂钩干部", "联系电话"]
    static let behindHeader = ["县（市、区）", "乡镇（街道）", "完成率", "牵头挂钩干部", "联系电话"]

    init(_ content: BulletinContent) {
        title = content.title
        number = "第\(content.number)期"
        issuingBody = content.issuingBody
        issuedOn = content.issuedOn.chinese
        periodLabel = content.periodLabel
        let t = content.total
        let periodWord = content.kind.periodWord
        summary = "截至\(content.periodLabel.components(separatedBy: "（").first ?? content.periodLabel)，全市（\(content.regionName)）乡镇“大团委”直属团组织"
            + "已建立 \(t.counted) 个，占目标任务 \(t.target) 个的 \(Self.percent(t.percent))，\(periodWord)新增 \(t.newInPeriod) 个，"
            + "距 \(content.deadline.chinese)完成期限尚差 \(max(0, t.target - t.counted)) 个。"
        let refutedTotal = (content.refuted ?? []).reduce(0) { $0 + $1.count }
        refuted = refutedTotal == 0 ? nil
            : "经数据抽查实地核实不属实的已建立团组织共 \(refutedTotal) 个（"
                + (content.refuted ?? []).map { "\($0.county) \($0.count) 个" }.joined(separator: "、")
                + "），已从本期各项数字中核减。"
        header = ["名次", "单位", "目标任务", "已建立", "完成率", "\(periodWord)新增", "报送情况"]
        rows = content.rows.map { [String($0.rank), $0.name, String($0.target), String($0.counted), Self.percent($0.percent), String($0.newInPeriod), $0.reporting] }
        percents = content.rows.map { Percent.tenthsRoundedDown($0.percent) }
        behindRows = content.rows.map(\.isBehindPace)
        behind = content.behind.isEmpty ? "各单位均按进度推进。" : content.behind.joined(separator: "、") + "按近 7 日进度难以按期完成，请加大工作力度。"
        notReported = content.notReported.map { missing in
            var parts: [String] = []
            if missing.countyMissing { parts.append("\(missing.county)未报送本级报告") }
            if !missing.townships.isEmpty { parts.append("\(missing.county)的\(missing.townships.joined(separator: "、"))未报送") }
            return parts.joined(separator: "；")
        }
        text = content.text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        hasText = !text.isEmpty
        hasMissing = !notReported.isEmpty
        behindTownships = (content.behindTownships ?? []).map(TownshipLiaisonLine.init)
        notReportedTownships = (content.notReportedTownships ?? []).map(TownshipLiaisonLine.init)
        hasBehindTownships = !behindTownships.isEmpty
        hasNotReportedTownships = !notReportedTownships.isEmpty
    }

    static func percent(_ value: Double) -> String {
        DisplayFormat.percent(value)
    }

    /// The bulletin as a Word document in the layout of an official notice.
    func docx() -> DOCXDocument {
        var blocks: [DOCXBlock] = [
            .paragraph(.title(title)),
            .paragraph(DOCXParagraph(number, font: .kaiTi, alignment: .center, spaceAfter: 120)),
            .paragraph(DOCXParagraph([DOCXRun(issuingBody), DOCXRun("　　　　"), DOCXRun(issuedOn)], alignment: .center, spaceAfter: 240)),
            .paragraph(.heading("一、总体进展")),
            .paragraph(.body(summary)),
        ]
        if let refuted { blocks.append(.paragraph(.body(refuted))) }
        blocks.append(.paragraph(.heading("二、各单位进展")))
        let widths = [700, 1900, 1200, 1100, 1100, 1100, 1745]
        var table = DOCXTable(columns: zip(header, widths).map { DOCXTable.Column($0, width: $1) }, size: DOCXFontSize.small4)
        for row in rows { table.appendRow(row) }
        blocks.append(.table(table))
        blocks.append(.paragraph(.heading("三、进度滞后")))
        blocks.append(.paragraph(.body(behind)))
        if !behindTownships.isEmpty {
            blocks.append(.paragraph(.body("进度滞后的乡镇（街道）及其牵头挂钩干部：")))
            blocks.append(.table(Self.liaisonTable(behindTownships, header: Self.behindHeader, widths: [1500, 2000, 1100, 1800, 2345])))
        }
        blocks.append(.paragraph(.heading("四、报送情况")))
        blocks.append(.paragraph(.body(notReported.isEmpty ? "各单位均已报送。" : notReported.joined(separator: "；") + "。")))
        if !notReportedTownships.isEmpty {
            blocks.append(.paragraph(.body("未报送的乡镇（街道）及其牵头挂钩干部：")))
            blocks.append(.table(Self.liaisonTable(notReportedTownships, header: Self.liaisonHeader, widths: [1800, 2400, 2000, 2545])))
        }
        if !text.isEmpty {
            blocks.append(.paragraph(.heading("五、工作要求")))
            blocks += text.map { .paragraph(.body($0)) }
        }
        blocks.append(.paragraph(DOCXParagraph(issuingBody, alignment: .right, spaceBefore: 480)))
        blocks.append(.paragraph(DOCXParagraph(issuedOn, alignment: .right)))
        return DOCXDocument(title: "\(title)（\(number)）", blocks: blocks)
    }

    /// Townships with their lead liaisons; 未指定 in bold, where the township has none.
    static func liaisonTable(_ lines: [TownshipLiaisonLine], header: [String], widths: [Int]) -> DOCXTable {
        var table = DOCXTable(columns: zip(header, widths).map { DOCXTable.Column($0, width: $1) }, size: DOCXFontSize.small4)
        for line in lines {
            table.rows.append(line.cells.enumerated().map { index, text in
                DOCXCell(text, bold: line.liaison.isMissing && index == line.cells.count - 2)
            })
        }
        return table
    }

    /// The bulletin's table (and its summary lines) as a spreadsheet.
    func writeXLSX(to url: URL) throws {
        let writer = try XLSXWriter(url: url, sheetName: number, columnWidths: [8, 20, 12, 12, 12, 12, 14], freezeHeaderRow: false)
        try writer.appendRow([.text("\(title)（\(number)）")])
        try writer.appendRow([.text("\(issuingBody)　\(issuedOn)　\(periodLabel)")])
        try writer.appendRow([.text(summary)])
        if let refuted { try writer.appendRow([.text(refuted)]) }
        try writer.appendHeader(header.enumerated().map { $0 == 4 ? $1 + "（%）" : $1 })
        for (row, percent) in zip(rows, percents) {
            try writer.appendRow(row.enumerated().map { index, value in
                index == 1 || index == 6 ? .text(value) : index == 4 ? .number(percent) : XLSXCell.numberIfPlain(value)
            })
        }
        try writer.appendRow([.text("进度滞后：" + behind)])
        if !behindTownships.isEmpty {
            try writer.appendHeader(Self.behindHeader)
            for line in behindTownships { try writer.appendRow(line.cells.map { .text($0) }) }
        }
        try writer.appendRow([.text("报送情况：" + (notReported.isEmpty ? "各单位均已报送。" : notReported.joined(separator: "；")))])
        if !notReportedTownships.isEmpty {
            try writer.appendHeader(Self.liaisonHeader)
            for line in notReportedTownships { try writer.appendRow(line.cells.map { .text($0) }) }
        }
        for line in text { try writer.appendRow([.text(line)]) }
        try writer.finish()
    }
}
