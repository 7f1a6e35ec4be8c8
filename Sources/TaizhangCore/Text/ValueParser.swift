import Foundation

/// Reads values the way cadres really type them into forms and Excel sheets:
/// full-width digits and spaces, thousands separators, dates in several spellings,
/// 是/否. Every refusal names the field and the value.
public enum ValueParser {
    /// Folds full-width ASCII (０-９, Ａ-Ｚ, －, ／, ．, full-width space) to half-width and
    /// trims white space, including the ideographic space.
    public static func normalize(_ text: String) -> String {
        // Pure Swift on purpose: Foundation's trimming bridges through NSString on Linux and
        // was most of an import's time.
        let needsFolding = text.unicodeScalars.contains { (0xFF01...0xFF5E).contains($0.value) || $0.value == 0x3000 }
        guard needsFolding else { return text.trimmedWhitespace }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E:
                scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000:
                scalars.append(" ")
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars).trimmedWhitespace
    }

    /// `text` without any spaces at all (for codes, numbers and dates typed with gaps).
    static func withoutSpaces(_ text: String) -> String {
        // `utf8.contains`: `String.contains(" ")` is Foundation's substring search, which bridges through NSString on Linux.
        text.utf8.contains(UInt8(ascii: " ")) ? String(text.unicodeScalars.filter { $0 != " " }) : text
    }

    public static func integer(_ text: String, field: String) throws -> Int {
        if let value = Int(text) { return value }
        let cleaned = String(normalize(text).unicodeScalars.filter { $0 != "," && $0 != "，" && $0 != " " })
        let digits = cleaned.hasSuffix(".0") ? String(cleaned.dropLast(2)) : cleaned
        guard let value = Int(digits) else {
            throw InvalidInput(field: field, reason: "「\(text)」不是整数")
        }
        return value
    }

    /// 2012-11-05, 2012/11/5, 2012.11.5, 2012年11月5日, or an Excel date serial (41218).
    /// Refused outside `CalendarDay.plausible` (1900–2199).
    public static func day(_ text: String, field: String) throws -> CalendarDay {
        let day = try anyDay(text, field: field)
        guard CalendarDay.plausible.contains(day) else {
            throw InvalidInput(field: field, reason: "「\(text)」超出可用的年份（1900—2199 年）")
        }
        return day
    }

    private static func anyDay(_ text: String, field: String) throws -> CalendarDay {
        if let day = CalendarDay(iso: text) { return day }  // 2012-11-05, as exported
        let cleaned = withoutSpaces(normalize(text))
        if let serial = Double(cleaned), serial >= 1, serial < 2_958_466, !cleaned.utf8.contains(UInt8(ascii: "-")) {
            return excelSerialDay(Int(serial))
        }
        var t = cleaned
        if t.hasSuffix("日") || t.hasSuffix("号") { t.removeLast() }
        let parts = t.split(whereSeparator: { "-/.年月".contains($0) }).map(String.init)
        if parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
           parts[1].count <= 2, parts[2].count <= 2 {
            if let day = CalendarDay(year: y, month: m, day: d) { return day }
            throw InvalidInput(field: field, reason: "「\(text)」不是存在的日期")
        }
        throw InvalidInput(field: field, reason: "「\(text)」不是日期，应写作 2012-11-05、2012/11/5 或 2012年11月5日")
    }

    /// Excel's serial day numbers count from 1899-12-30 (serial 60, the phantom
    /// 1900-02-29, never occurs in real ledgers).
    static func excelSerialDay(_ serial: Int) -> CalendarDay {
        CalendarDay(dayNumber: serial - 25_569)  // serial 25569 is 1970-01-01, day number 0
    }

    public static func bool(_ text: String, field: String) throws -> Bool {
        switch normalize(text).lowercased() {
        case "是", "y", "yes", "true", "1", "√", "✓": return true
        case "否", "n", "no", "false", "0", "×", "": return false
        default: throw InvalidInput(field: field, reason: "「\(text)」应填 是 或 否")
        }
    }
}
