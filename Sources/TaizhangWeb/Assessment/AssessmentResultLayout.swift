import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore

/// A published result's words and tables, written once from its frozen content and set three ways:
/// the A4 page, the Word document and the spreadsheet.
struct AssessmentResultLayout: Encodable {
    var title: String
    var number: String
    var issuingBody: String
    var publishedOn: String
    var summary: String
    var header: [String]
    var rows: [[String]]
    var demoted: [String]
    var rectification: String
    var excluded: [String]
    var rules: [String]
    var changes: [String]
    var hasChanges: Bool
    /// Each row's total, for the spreadsheet's number cells.
    var totals: [Double]

    init(_ content: AssessmentResultContent) {
        let outcome = content.outcome
        title = content.title
        number = "第 \(content.number) 号" + (content.version > 1 ? "（第 \(content.version) 版）" : "")
        issuingBody = content.issuingBody
        publishedOn = content.publishedOn.chinese
        summary = "根据\(content.year)年度考评方案，以 \(content.asOf.chinese)的数据为准，对\(content.scopeName)所属\(content.unitLabel)进行考评。"
            + "参评单位 \(outcome.eligibleCount) 个，评定五星级 \(outcome.count(.five)) 个、四星级 \(outcome.count(.four)) 个、三星级 \(outcome.count(.three)) 个、"
            + "二星级 \(outcome.count(.two)) 个，不定级 \(outcome.count(.unrated)) 个。"
        header = ["名次", "单位"] + content.rubric.indicators.map { "\($0.name)（\($0.weight)分）" } + ["总分", "星级"]
        rows = outcome.eligible.map { unit in
            [unit.position.map(String.init) ?? "", unit.name] + unit.lines.map(\.points.description) + [unit.total.description, unit.grade.label]
        }
        totals = outcome.eligible.map(\.total.value)
        demoted = outcome.demoted.flatMap { unit in unit.demotions.map { "\(unit.name)：\($0.reason)。" } }
        rectification = outcome.rectification.isEmpty ? "" : outcome.rectification.map(\.name).joined(separator: "、") + "总分不满 60 分，不定级，列入整改。"
        excluded = outcome.units.filter { !$0.isEligible }.map { "\($0.name)：\($0.ineligibleReason ?? "")。" }
        let rules = AssessmentRules(content.rubric, outcome: outcome)
        self.rules = rules.indicators.map { "\($0.name)（\($0.weight) 分，\($0.kind)）：\($0.scoring)。" }
            + ["星级：" + rules.bands.map { "\($0.label) \($0.band)" }.joined(separator: "；") + "。", "名额：" + rules.quotas, "排序：" + rules.tieBreak,
               "参评：" + rules.eligibility, "申诉：" + rules.appeal]
        changes = content.changes.map { $0 + "。" }
        hasChanges = !changes.isEmpty
    }

    /// The result as a Word document in the layout of an official notice.
    func docx() -> DOCXDocument {
        var blocks: [DOCXBlock] = [
            .paragraph(.title(title)),
            .paragraph(DOCXParagraph(number, font: .kaiTi, alignment: .center, spaceAfter: 120)),
            .paragraph(DOCXParagraph([DOCXRun(issuingBody), DOCXRun("　　　　"), DOCXRun(publishedOn)], alignment: .center, spaceAfter: 240)),
            .paragraph(.heading("一、总体情况")),
            .paragraph(.body(summary)),
            .paragraph(.heading("二、考评结果")),
        ]
        let nameWidth = 1500, numberWidth = 700
        let indicatorWidth = max(500, (9400 - nameWidth - 3 * numberWidth - 1100) / max(1, header.count - 4))
        let widths = [numberWidth, nameWidth] + Array(repeating: indicatorWidth, count: header.count - 4) + [numberWidth + 100, 1100]
        var table = DOCXTable(columns: zip(header, widths).map { DOCXTable.Column($0, width: $1) }, size: DOCXFontSize.no5)
        for row in rows { table.appendRow(row) }
        blocks.append(.table(table))
        blocks.append(.paragraph(.heading("三、名额控制与降级")))
        blocks += (demoted.isEmpty ? ["各星级均未超出名额，无降级。"] : demoted).map { .paragraph(.body($0)) }
        blocks.append(.paragraph(.heading("四、整改与未参评")))
        blocks += ([rectification].filter { !$0.isEmpty } + excluded).map { .paragraph(.body($0)) }
        if hasChanges {
            blocks.append(.paragraph(.heading("五、本版变化")))
            blocks += changes.map { .paragraph(.body($0)) }
        }
        blocks.append(.paragraph(.heading(hasChanges ? "六、考评规则" : "五、考评规则")))
        blocks += rules.map { .paragraph(.body($0)) }
        blocks.append(.paragraph(DOCXParagraph(issuingBody, alignment: .right, spaceBefore: 480)))
        blocks.append(.paragraph(DOCXParagraph(publishedOn, alignment: .right)))
        return DOCXDocument(title: "\(title)（\(number)）", blocks: blocks)
    }

    /// The results table (totals as numbers), the demotions and the rules as a spreadsheet.
    func writeXLSX(to url: URL) throws {
        let writer = try XLSXWriter(url: url, sheetName: "考评结果", columnWidths: [8, 18] + Array(repeating: 12, count: header.count - 4) + [10, 18],
                                    freezeHeaderRow: false)
        try writer.appendRow([.text("\(title)（\(number)）")])
        try writer.appendRow([.text("\(issuingBody)　\(publishedOn)")])
        try writer.appendRow([.text(summary)])
        try writer.appendHeader(header)
        for (row, total) in zip(rows, totals) {
            try writer.appendRow(row.enumerated().map { index, value in
                index == 1 || index == row.count - 1 ? .text(value) : index == row.count - 2 ? .number(total) : XLSXCell.numberIfPlain(value)
            })
        }
        for line in demoted + [rectification].filter({ !$0.isEmpty }) + excluded + changes + rules { try writer.appendRow([.text(line)]) }
        try writer.finish()
    }
}
