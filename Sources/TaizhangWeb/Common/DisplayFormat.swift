import Foundation
import TaizhangCore

/// Numbers and times as the pages, bulletins and downloads print them: one rounding everywhere.
enum DisplayFormat {
    /// Beijing time, 24-hour clock.
    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = .shanghai
        formatter.locale = Locale(identifier: "zh_CN")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// 87.5% (`Percent.tenthsRoundedDown`).
    static func percent(_ value: Double) -> String {
        let tenths = Int((Percent.tenthsRoundedDown(value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Organizations a day, to one decimal; "—" when there is none.
    static func pace(_ value: Double?) -> String {
        guard let value else { return "—" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
