import TaizhangCore

/// Why an account change or a sign-in was refused.
public struct AccountError: UserFacingError {
    public var message: String
    public var kind: UserFacingErrorKind

    public init(_ message: String, kind: UserFacingErrorKind = .invalidInput) {
        self.message = message
        self.kind = kind
    }
}
