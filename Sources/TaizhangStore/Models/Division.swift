import FluentKit
import Foundation
import TaizhangCore

/// A province, city, county-level unit (including management zones) or township.
public final class Division: Model, @unchecked Sendable {
    public static let schema = "divisions"

    @ID(custom: "code", generatedBy: .user) public var id: String?
    @Field(key: "name") public var name: String
    @Field(key: "level") public var levelCode: String
    @OptionalField(key: "parent_code") public var parentCode: String?
    @OptionalField(key: "statistical_parent_code") public var statisticalParentCode: String?
    @Field(key: "path") public var path: String
    @Field(key: "is_management_zone") public var isManagementZone: Bool
    @OptionalField(key: "league_committee_name") public var leagueCommitteeName: String?
    @Field(key: "key_area_tags") public var keyAreaTagsText: String
    @OptionalField(key: "youth_population") public var youthPopulation: Int?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public var code: String { id ?? "" }

    public var level: DivisionLevel {
        get { DivisionLevel(rawValue: levelCode) ?? .township }
        set { levelCode = newValue.rawValue }
    }

    public var keyAreaTags: Set<KeyAreaTag> {
        get { KeyAreaTag.decode(keyAreaTagsText) }
        set { keyAreaTagsText = KeyAreaTag.encode(newValue) }
    }

    /// What a township or zone looks like to the audit trail and the API.
    public var snapshot: DivisionSnapshot {
        DivisionSnapshot(
            code: code, name: name, level: level, parentCode: parentCode,
            statisticalParentCode: statisticalParentCode, isManagementZone: isManagementZone,
            leagueCommitteeName: leagueCommitteeName,
            keyAreaTags: KeyAreaTag.allCases.filter(keyAreaTags.contains),
            youthPopulation: youthPopulation
        )
    }
}

/// The editable and identifying attributes of a division, as plain values.
public struct DivisionSnapshot: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var level: DivisionLevel
    public var parentCode: String?
    public var statisticalParentCode: String?
    public var isManagementZone: Bool
    public var leagueCommitteeName: String?
    public var keyAreaTags: [KeyAreaTag]
    public var youthPopulation: Int?
}
