/// Writes CSV fields the way Excel reads them back.
public enum CSVWriter {
    /// Quotes a field when it holds a comma, quote or line break, doubling inner quotes.
    /// A leading =, +, - or @ is prefixed with ' so a spreadsheet never runs it as a formula.
    public static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
