import FluentKit
import Foundation

/// A region `taizhang init` has loaded: a division code, or "CN" for the whole country.
public final class DeploymentRegion: Model, @unchecked Sendable {
    public static let schema = "deployment_regions"

    @ID(custom: "code", generatedBy: .user) public var id: String?
    @Field(key: "loaded_at") public var loadedAt: Date

    public init() {}
}
