import Foundation
import TaizhangCore
import TaizhangFiles
@testable import TaizhangStore
@testable import TaizhangWeb
import Testing

/// One number everywhere: a percentage reads the same on the page, in a bulletin and in its
/// spreadsheet (where it is a number), and charts keep their labels inside the picture.
@Suite struct DisplayConsistencyTests {
    @Test func percentagesAreTenthsRoundedDownEverywhere() {
        #expect(Percent.tenthsRoundedDown(108.56) == 108.5)
        #expect(DisplayFormat.percent(108.56) == "108.5%")
        #expect(DisplayFormat.percent(99.99) == "99.9%", "100.0% only when really done")
        #expect(DisplayFormat.percent(100) == "100.0%")
        #expect(Percent.tenthsRoundedDown(.nan) == 0)
    }

    @Test func theBulletinSpreadsheetHoldsCompletionAsANumber() throws {
        let json = """
            {"campaignName":"泉州建团","regionName":"泉州市","kind":"daily","number":3,"periodKey":"daily:2012-12-02",
             "periodLabel":"2012年12月2日","issuingBody":"共青团泉州市委员会","issuedOn":"2012-12-03","title":"建团进度日通报",
             "total":{"code":"3505","name":"泉州市","target":5000,"counted":5428,"percent":108.56,"newInPeriod":40,"rank":0,
                      "reporting":"","isBehindPace":false},
             "rows":[{"code":"350582","name":"晋江市","target":682,"counted":740,"percent":108.5,"newInPeriod":9,"rank":1,
                      "reporting":"按时报送","isBehindPace":false}],
             "behind":[],"notReported":[],"text":"","deadline":"2012-12-15"}
            """
        let content = try JSONDecoder().decode(BulletinContent.self, from: Data(json.utf8))
        let layout = BulletinLayout(content)
        #expect(layout.summary.contains("108.5%"))
        #expect(layout.rows.first?[4] == "108.5%")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulletin-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try layout.writeXLSX(to: url)
        var rows: [[String]] = []
        try TabularFileReader(url: url).forEachRow { _, cells in rows.append(cells) }
        let header = try #require(rows.first { $0.contains("单位") })
        let column = try #require(header.firstIndex(of: "完成率（%）"))
        let jinjiang = try #require(rows.first { $0.count > column && $0[1] == "晋江市" })
        #expect(jinjiang[column] == "108.5", "a number a spreadsheet can sum and sort, not the text 108.5%")
    }

    @Test func theCumulativeChartKeepsItsDatesAndLegendClearOfTheEdges() throws {
        let start = CalendarDay(year: 2012, month: 10, day: 15)!, deadline = CalendarDay(year: 2012, month: 12, day: 15)!
        let points = (0..<30).map { CampaignProgress.DayPoint(day: start.adding(days: $0), new: 10, cumulative: 10 * ($0 + 1), expected: 0) }
        let svg = Charts.cumulative(points, target: 5000, start: start, deadline: deadline, title: "累计")
        #expect(svg.range(of: #"<text[^>]*text-anchor="end"[^>]*>12月15日</text>"#, options: .regularExpression) != nil,
                "the deadline's date ends at the right edge instead of running past it")
        #expect(svg.range(of: #"<text[^>]*text-anchor="start"[^>]*>10月15日</text>"#, options: .regularExpression) != nil)
        #expect(svg.range(of: #"<text x="56" y="14"[^>]*>— 累计"#, options: .regularExpression) != nil, "the legend sits above the plot")
        #expect(svg.contains(#"viewBox="0 0 680 296""#))
    }
}
