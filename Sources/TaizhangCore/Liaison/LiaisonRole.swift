/// A liaison cadre's part in a township: the one answerable for it (牵头), or one who helps (协助).
/// A township has at most one lead at a time, and any number of helpers.
public enum LiaisonRole: String, Codable, Sendable, CaseIterable, Hashable {
    case lead
    case helper

    public var label: String {
        switch self {
        case .lead: "牵头联系"
        case .helper: "协助联系"
        }
    }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let role = LiaisonRole(rawValue: t) { self = role; return }
        guard let role = LiaisonRole.allCases.first(where: { $0.label == t || $0.label.hasPrefix(t) && !t.isEmpty }) else { return nil }
        self = role
    }
}
