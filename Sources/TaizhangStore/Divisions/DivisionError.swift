import TaizhangCore

/// Why a change to the hierarchy was refused.
public struct DivisionError: UserFacingError {
    public var message: String
    public var kind: UserFacingErrorKind

    static func notFound(_ code: String) -> DivisionError {
        DivisionError(message: "找不到代码为「\(code)」的行政区划", kind: .notFound)
    }

    static func invalid(_ message: String) -> DivisionError {
        DivisionError(message: message, kind: .invalidInput)
    }

    static func conflict(_ message: String) -> DivisionError {
        DivisionError(message: message, kind: .conflict)
    }
}
