import Foundation
import TaizhangCore
import TaizhangFiles
import TaizhangStore

/// A spot check's report, written once and set three ways: the A4 page, the Word document and
/// the spreadsheet. The formulas are spelled out in plain Chinese beside the figures.
struct SpotCheckReportLayout: Encodable {
    var title: String
    var subtitle: String
    var summary: [String]
    var header: [String]
    var rows: [[String]]
    var totalRow: [String]
    var formulas: [String]
    var notes: [String]

    static let formulaText = [
        "真实比例 = （属实 + 信息有误）÷ 已核查个数。已核查个数 = 属实 + 信息有误 + 不属实；“无法核实”不计入已核查，待核查的也不计入。",
        "比例的 95% 置信区间用威尔逊（Wilson）得分法：设已核查 n 个，其中真实 x 个，p = x ÷ n，z = 1.96；区间中点 = （p + z² ÷ 2n）÷（1 + z² ÷ n），半宽 = z ÷（1 + z² ÷ n）×√（p（1 − p）÷ n + z² ÷ 4n²），区间为中点减半宽到中点加半宽。",
        "真实团组织数的分层估计：每层的估计数 = 该层抽样框的团组织数 N × 该层的真实比例 p，各层相加即总估计数。",
        "标准误：每层的方差 = N² ×（1 − n ÷ N）× p（1 − p）÷（n − 1），各层方差相加再开平方；95% 区间 = 估计数 ± 1.96 × 标准误。一层全部核查时该层没有抽样误差；一层只核查了 1 个（而不止 1 个）时无法估计方差，不给出标准误。",
        "选择“有数据预警的记录优先抽取”时，每层中有预警的和没有预警的记录各作为一层分别估计，再相加。",
    ]

    init(_ spotCheck: SpotCheck, report: SpotCheckReport, campaignName: String) {
        title = "\(spotCheck.scopeName)团组织数据抽查报告（第 \(spotCheck.id) 号）"
        subtitle = "\(campaignName) · 抽样框截至 \(spotCheck.asOf.chinese)"
        let t = report.total
        var lines = ["按“\(spotCheck.design.label)”从 \(spotCheck.frameSize) 个计入的团组织中抽取 \(spotCheck.sampleSize) 个（随机种子 \(spotCheck.seed)，抽样框 SHA-256 \(spotCheck.frameHash)）。"]
        lines.append("已核查 \(t.checked) 个，其中属实 \(t.outcomes[.real] ?? 0) 个、信息有误 \(t.outcomes[.wrongDetails] ?? 0) 个、不属实 \(t.outcomes[.notReal] ?? 0) 个；无法核实 \(t.outcomes[.unverifiable] ?? 0) 个，待核查 \(t.pending) 个。")
        if let share = t.share {
            lines.append("真实比例 \(Self.percent(share.estimate))（95% 置信区间 \(Self.percent(share.lower))—\(Self.percent(share.upper))）。")
        }
        if let estimate = t.estimate {
            var sentence = "据此估计抽样框中真实的团组织约 \(Self.count(estimate.count)) 个"
            if let se = estimate.standardError, let lower = estimate.lower, let upper = estimate.upper {
                sentence += "（标准误 \(Self.decimal(se))，95% 区间 \(Self.count(lower))—\(Self.count(upper)) 个）"
            }
            if estimate.uncoveredStrata > 0 { sentence += "；另有 \(estimate.uncoveredStrata) 层尚无核查结果，未计入估计" }
            lines.append(sentence + "。")
        }
        summary = lines
        header = ["单位", "抽样框", "样本", "已核查", "属实", "信息有误", "不属实", "无法核实", "待核查", "真实比例", "比例 95% 区间",
                  "估计真实数", "标准误", "估计 95% 区间"]
        rows = report.strata.map(Self.row)
        totalRow = Self.row(t)
        formulas = Self.formulaText
        notes = ["不属实的团组织自核查之日起不再计入任何统计，并在台账、导出和通报中标明。"]
    }

    static func row(_ line: SpotCheckReport.Line) -> [String] {
        [line.name, String(line.frameSize), String(line.sampleSize), String(line.checked), String(line.outcomes[.real] ?? 0),
         String(line.outcomes[.wrongDetails] ?? 0), String(line.outcomes[.notReal] ?? 0), String(line.outcomes[.unverifiable] ?? 0),
         String(line.pending), line.share.map { percent($0.estimate) } ?? "—",
         line.share.map { "\(percent($0.lower))—\(percent($0.upper))" } ?? "—",
         line.estimate.map { count($0.count) } ?? "—", line.estimate?.standardError.map(decimal) ?? "—",
         line.estimate.flatMap { e in e.lower.flatMap { lower in e.upper.map { "\(count(lower))—\(count($0))" } } } ?? "—"]
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
    static func count(_ value: Double) -> String { String(format: "%.1f", value) }
    static func decimal(_ value: Double) -> String { String(format: "%.2f", value) }

    func docx(issuedOn: String) -> DOCXDocument {
        var blocks: [DOCXBlock] = [
            .paragraph(.title(title)),
            .paragraph(DOCXParagraph(subtitle, font: .kaiTi, alignment: .center, spaceAfter: 240)),
            .paragraph(.heading("一、总体情况")),
        ]
        blocks += summary.map { .paragraph(.body($0)) }
        blocks.append(.paragraph(.heading("二、各单位核查结果")))
        let widths = [1300, 600, 500, 550, 500, 550, 550, 550, 550, 650, 1000, 700, 600, 1000]
        var table = DOCXTable(columns: zip(header, widths).map { DOCXTable.Column($0, width: $1) }, size: DOCXFontSize.small4)
        for row in rows + [totalRow] { table.appendRow(row) }
        blocks.append(.table(table))
        blocks.append(.paragraph(.heading("三、计算方法")))
        blocks += formulas.map { .paragraph(.body($0)) }
        blocks += notes.map { .paragraph(.body($0)) }
        blocks.append(.paragraph(DOCXParagraph(issuedOn, alignment: .right, spaceBefore: 480)))
        return DOCXDocument(title: title, blocks: blocks)
    }

    func writeXLSX(to url: URL) throws {
        let writer = try XLSXWriter(url: url, sheetName: "抽查报告", columnWidths: [16, 9, 7, 8, 7, 9, 8, 9, 8, 10, 16, 11, 9, 16], freezeHeaderRow: false)
        try writer.appendRow([.text(title)])
        try writer.appendRow([.text(subtitle)])
        for line in summary { try writer.appendRow([.text(line)]) }
        try writer.appendHeader(header)
        for row in rows + [totalRow] {
            try writer.appendRow(row.enumerated().map { index, value in index == 0 || index >= 9 ? .text(value) : XLSXCell.numberIfPlain(value) })
        }
        for line in formulas + notes { try writer.appendRow([.text(line)]) }
        try writer.finish()
    }
}
