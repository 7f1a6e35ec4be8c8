import Foundation

/// What a checker found when visiting a sampled organization.
public enum SpotCheckOutcome: String, Codable, Sendable, CaseIterable, Hashable {
    /// 属实: it exists and the record is right.
    case real
    /// 信息有误: it exists, but some details of the record are wrong (the fields are named).
    case wrongDetails = "wrong_details"
    /// 不属实: it does not exist or is not an organization; it stops counting from the visit.
    case notReal = "not_real"
    /// 无法核实: the checker could not tell; left out of the checked records.
    case unverifiable

    public var label: String {
        switch self {
        case .real: "属实"
        case .wrongDetails: "信息有误"
        case .notReal: "不属实"
        case .unverifiable: "无法核实"
        }
    }

    /// Counts among the checked records (无法核实 does not).
    public var isChecked: Bool { self != .unverifiable }
    /// The organization exists (属实 or 信息有误).
    public var isReal: Bool { self == .real || self == .wrongDetails }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let outcome = SpotCheckOutcome(rawValue: t) { self = outcome; return }
        guard let outcome = Self.allCases.first(where: { $0.label == t }) else { return nil }
        self = outcome
    }
}
