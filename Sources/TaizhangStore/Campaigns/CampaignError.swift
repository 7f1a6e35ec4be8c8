import TaizhangCore

/// A refused campaign operation, in words for the cadre.
public struct CampaignError: UserFacingError {
    public var message: String
    public var kind: UserFacingErrorKind

    public init(_ message: String, kind: UserFacingErrorKind = .invalidInput) {
        self.message = message
        self.kind = kind
    }

    static func notFound(_ id: Int) -> CampaignError {
        CampaignError("找不到编号为 \(id) 的建团活动", kind: .notFound)
    }

    static func invalid(_ problems: [InvalidInput]) -> CampaignError {
        CampaignError(problems.map(\.message).joined(separator: "；"))
    }
}
