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

    /// Undoes `field`'s formula guard: a ' before =, +, - or @ is dropped, so an exported file
    /// imports back unchanged. (No one types a name or phone that starts with '= on purpose.)
    public static func withoutFormulaGuard(_ value: String) -> String {
        var scalars = value.unicodeScalars.makeIterator()
        guard scalars.next() == "'", let second = scalars.next(), "=+-@".unicodeScalars.contains(second) else { return value }
        return String(value.dropFirst())
    }
}
