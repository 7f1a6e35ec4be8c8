import TaizhangCore

/// A refused ledger operation, in the words a cadre reads.
public struct LedgerError: UserFacingError {
    public var message: String
    public var kind: UserFacingErrorKind

    public init(_ message: String, kind: UserFacingErrorKind = .invalidInput) {
        self.message = message
        self.kind = kind
    }

    static func notFound(_ code: String) -> LedgerError {
        LedgerError("找不到编码为「\(code)」的团组织", kind: .notFound)
    }

    static func invalid(_ problems: [InvalidInput]) -> LedgerError {
        LedgerError(problems.map(\.message).joined(separator: "；"))
    }
}
