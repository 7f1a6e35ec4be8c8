import TaizhangCore

/// A refused report, review or bulletin, in words for the cadre.
public struct ReportingError: UserFacingError {
    public var message: String
    public var kind: UserFacingErrorKind

    public init(_ message: String, kind: UserFacingErrorKind = .invalidInput) {
        self.message = message
        self.kind = kind
    }
}
