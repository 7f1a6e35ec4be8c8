/// A request refused, in the words the cadre reads: what is wrong, where, and what to do.
/// Every layer throws this one type; its `kind` decides the HTTP status and whether a form
/// is shown again with the message (bad input, a conflict) or the request ends (not found,
/// forbidden).
public struct Refusal: UserFacingError, Equatable {
    public var message: String
    public var kind: UserFacingErrorKind
    /// The form field, file column or argument the refusal concerns, where there is one.
    public var field: String?

    public init(_ message: String, kind: UserFacingErrorKind = .invalidInput, field: String? = nil) {
        self.message = message
        self.kind = kind
        self.field = field
    }

    /// Every problem found in one submission, in one line; the field when there is only one.
    public static func invalid(_ problems: [InvalidInput]) -> Refusal {
        Refusal(problems.map(\.message).joined(separator: "；"), field: problems.count == 1 ? problems[0].field : nil)
    }

    public static func notFound(_ message: String) -> Refusal { Refusal(message, kind: .notFound) }
    public static func conflict(_ message: String) -> Refusal { Refusal(message, kind: .conflict) }
}
