/// Townships that get more attention and a larger share of the target (report 二.1).
public enum KeyAreaTag: String, Codable, Sendable, CaseIterable, Hashable {
    case countySeat = "county_seat"
    case smallTown = "small_town"
    case developed = "developed"

    public var label: String {
        switch self {
        case .countySeat: "城关镇"
        case .smallTown: "小城镇"
        case .developed: "经济发达乡镇"
        }
    }

    /// Accepts the code name or the Chinese label.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let tag = KeyAreaTag(rawValue: trimmed) {
            self = tag
        } else if let tag = KeyAreaTag.allCases.first(where: { $0.label == trimmed }) {
            self = tag
        } else {
            return nil
        }
    }

    /// Stored as a comma-joined list in a stable order.
    public static func encode(_ tags: Set<KeyAreaTag>) -> String {
        allCases.filter(tags.contains).map(\.rawValue).joined(separator: ",")
    }

    public static func decode(_ text: String) -> Set<KeyAreaTag> {
        Set(text.split(separator: ",").compactMap { KeyAreaTag(rawValue: String($0)) })
    }
}
