import TaizhangCore
import TaizhangStore

/// The dashboard's charts, drawn on the server as SVG. Colours keep their meaning in grey
/// print: done is dark, behind is red and also marked by text, the expected line is dashed.
enum Charts {
    static let done = "#1f6f43"
    static let behind = "#b3261e"
    static let neutral = "#3867b5"
    static let track = "#e6e8ec"
    static let ink = "#222"
    static let muted = "#666"

    struct BarRow {
        var label: String
        var counted: Int
        var target: Int
        var expected: Int
        var isBehind: Bool
    }

    /// One bar per area: counted against target, with a tick where it should be by now.
    static func progressBars(_ rows: [BarRow], title: String) -> String {
        let labelWidth = 130.0, barWidth = 420.0, rowHeight = 26.0, top = 8.0
        var svg = SVG(width: 680, height: Int(top * 2 + rowHeight * Double(max(rows.count, 1))), title: title)
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * Double(index)
            let share = row.target > 0 ? min(1, Double(row.counted) / Double(row.target)) : 0
            svg.text(row.label, x: labelWidth - 8, y: y + 16, anchor: .end)
            svg.rect(x: labelWidth, y: y + 4, width: barWidth, height: 16, fill: track)
            svg.rect(x: labelWidth, y: y + 4, width: barWidth * share, height: 16, fill: row.isBehind ? behind : done,
                     title: "\(row.label)：\(row.counted)/\(row.target)")
            if row.target > 0 {
                let expectedX = labelWidth + barWidth * min(1, Double(row.expected) / Double(row.target))
                svg.line(x1: expectedX, y1: y + 1, x2: expectedX, y2: y + 23, stroke: ink, width: 2)
            }
            let percent = row.target > 0 ? Double(row.counted) * 100 / Double(row.target) : 0
            svg.text("\(row.counted)/\(row.target) \(DisplayFormat.percent(percent))\(row.isBehind ? " 滞后" : "")", x: labelWidth + barWidth + 8,
                     y: y + 16, size: 12, fill: row.isBehind ? behind : ink)
        }
        return svg.finished()
    }

    /// The cumulative count day by day, the straight line it should follow to the target, and the target.
    /// `marks` are days to point out on the curve (an interview, a meeting), drawn as labelled vertical lines.
    static func cumulative(_ points: [CampaignProgress.DayPoint], target: Int, start: CalendarDay, deadline: CalendarDay, title: String,
                           marks: [(day: CalendarDay, label: String)] = []) -> String {
        // The legend sits above the plot (top margin), clear of the target line at the plot's top edge.
        let left = 56.0, right = 16.0, top = 34.0, bottom = 34.0, width = 680.0, height = 296.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let days = max(1, start.days(until: deadline))
        let maxValue = Double(max(target, points.map(\.cumulative).max() ?? 0, 1))
        var svg = SVG(width: Int(width), height: Int(height), title: title)
        func x(_ day: CalendarDay) -> Double { left + plotWidth * Double(start.days(until: day)) / Double(days) }
        func y(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / maxValue) }
        for step in 0...4 {
            let value = Int((maxValue * Double(step) / 4).rounded())
            svg.line(x1: left, y1: y(value), x2: width - right, y2: y(value), stroke: track)
            svg.text(String(value), x: left - 6, y: y(value) + 4, size: 11, anchor: .end, fill: muted)
        }
        // The first and last dates align inward, so neither runs off the chart's edge.
        for (day, anchor) in [(start, SVG.Anchor.start), (start.adding(days: days / 2), .middle), (deadline, .end)] {
            svg.text("\(day.month)月\(day.day)日", x: x(day), y: height - 12, size: 11, anchor: anchor, fill: muted)
        }
        svg.line(x1: left, y1: y(target), x2: width - right, y2: y(target), stroke: ink, width: 1, dash: "2 3")
        svg.text("目标 \(target)", x: width - right, y: y(target) - 4, size: 11, anchor: .end)
        let baseline = points.first.map { $0.cumulative - $0.new } ?? 0
        svg.polyline([(x(start.adding(days: -1)), y(baseline)), (x(deadline), y(target))].map { (max(left, $0.0), $0.1) },
                     stroke: muted, width: 1.5, dash: "6 4")
        for (index, mark) in marks.enumerated() where (start...deadline).contains(mark.day) {
            svg.line(x1: x(mark.day), y1: top, x2: x(mark.day), y2: height - bottom, stroke: behind, width: 1, dash: "3 3")
            svg.text(mark.label, x: x(mark.day) + 3, y: top + 12 + Double(index % 3) * 13, size: 10, fill: behind)
        }
        svg.polyline(points.map { (x($0.day), y($0.cumulative)) }, stroke: neutral, width: 2.5)
        if let last = points.last {
            let nearEnd = x(last.day) > width - right - 60
            svg.text("\(last.cumulative)", x: x(last.day) + (nearEnd ? -4 : 4), y: y(last.cumulative) + (nearEnd ? 16 : -6), size: 12,
                     anchor: nearEnd ? .end : .start, fill: neutral, bold: true)
        }
        svg.text("— 累计  - - 应达进度", x: left, y: 14, size: 11, fill: muted)
        return svg.finished()
    }

    /// Plain horizontal bars (the stage funnel, the mix by category or mode).
    static func bars(_ items: [(label: String, value: Int)], title: String, color: String = neutral) -> String {
        let labelWidth = 130.0, barWidth = 260.0, rowHeight = 24.0, top = 6.0
        let maxValue = Double(max(items.map(\.value).max() ?? 0, 1))
        var svg = SVG(width: 450, height: Int(top * 2 + rowHeight * Double(max(items.count, 1))), title: title)
        for (index, item) in items.enumerated() {
            let y = top + rowHeight * Double(index)
            svg.text(item.label, x: labelWidth - 8, y: y + 16, anchor: .end)
            svg.rect(x: labelWidth, y: y + 4, width: barWidth * Double(item.value) / maxValue, height: 16, fill: color,
                     title: "\(item.label)：\(item.value)")
            svg.text(String(item.value), x: labelWidth + barWidth * Double(item.value) / maxValue + 6, y: y + 16, size: 12)
        }
        return svg.finished()
    }
}
