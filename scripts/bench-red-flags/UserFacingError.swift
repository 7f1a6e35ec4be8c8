// A stand-in for Core/Errors/UserFacingError.swift without its TaizhangFiles import (bench only).

/// An error whose message is written for the cadre or operator who caused it:
/// it names what is wrong and what to do, in Chinese, on one line.
public protocol UserFacingError: Error, CustomStringConvertible {
    var message: String { get }
    var kind: UserFacingErrorKind { get }
}

/// What kind of refusal this is; the web layer turns it into a status code.
public enum UserFacingErrorKind: Sendable {
    case invalidInput
    case notFound
    case conflict
    case forbidden
    case unauthorized
}

extension UserFacingError {
    public var description: String { message }
    public var kind: UserFacingErrorKind { .invalidInput }
}

/// A rejected value with the place it came from (field, row, argument).
public struct InvalidInput: UserFacingError, Equatable {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var message: String { "\(field)：\(reason)" }
}

/// The file readers' refusals are shown to cadres as they are: each names what is wrong with
/// the file and what to do.
