/// One cell for `XLSXWriter`.
public enum XLSXCell: Sendable, Equatable {
    /// Text, kept as text even when it looks like a number (phone numbers, codes like "350521101001").
    case text(String)
    /// A number Excel can sum; not finite values are left empty.
    case number(Double)
    /// A date as Excel's serial day number (1899-12-30 is 0), shown "yyyy-mm-dd".
    /// Core's `XLSXCell.date(_:)` makes one from a calendar day.
    case serialDate(Int)
    /// Nothing.
    case empty

    /// `.number` for plain decimals that survive the trip through a Double unchanged
    /// ("12", "-3.5", "0.25"); `.text` for anything else ("0591", "350521101001000001", "1e3").
    /// Use it for columns that are meant to be numeric (counts, scores).
    public static func numberIfPlain(_ text: String) -> XLSXCell {
        guard !text.isEmpty else { return .empty }
        var digits = 0
        var dot = false
        for (i, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where i == 0: continue
            case UInt8(ascii: "."):
                guard !dot else { return .text(text) }
                dot = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            default: return .text(text)
            }
        }
        let unsigned = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard digits > 0, digits <= 15, !unsigned.hasPrefix("."), !unsigned.hasSuffix("."),
              !(unsigned.hasPrefix("0") && unsigned.count > 1 && !unsigned.hasPrefix("0.")),
              let value = Double(text) else { return .text(text) }
        return .number(value)
    }
}
