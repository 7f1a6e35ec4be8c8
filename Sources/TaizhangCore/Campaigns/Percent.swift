/// How a completion percentage is shown everywhere — page, bulletin, spreadsheet: to a tenth,
/// rounded down, so that 100.0% means really done and 108.56% reads 108.5% in every copy.
public enum Percent {
    public static func tenthsRoundedDown(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return (value * 10).rounded(.down) / 10
    }
}
