/// What a document of the library (工作资料) is, in the order the library lists them.
public enum LibraryDocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    case workPlan = "work_plan"
    case method
    case faq
    case notice
    case template

    public var label: String {
        switch self {
        case .workPlan: "工作方案"
        case .method: "方法和流程"
        case .faq: "问答"
        case .notice: "通知"
        case .template: "模板"
        }
    }

    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let kind = LibraryDocumentKind(rawValue: t) ?? LibraryDocumentKind.allCases.first(where: { $0.label == t }) else { return nil }
        self = kind
    }
}
