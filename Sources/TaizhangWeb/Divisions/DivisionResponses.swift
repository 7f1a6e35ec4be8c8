import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// A division as the API and the pages show it.
struct DivisionResponse: Content {
    var code: String
    var name: String
    var level: DivisionLevel
    var levelLabel: String
    /// The 12-digit 统计用区划代码; nil for a management zone, which has none.
    var statisticalCode: String?
    var parentCode: String?
    var statisticalParentCode: String?
    var isManagementZone: Bool
    var leagueCommitteeName: String?
    var keyAreaTags: [KeyAreaTag]
    var keyAreaTagLabels: [String]
    var youthPopulation: Int?
    /// How many counties (including zones) and townships lie below; nil for a township.
    var countyCount: Int?
    var townshipCount: Int?

    init(_ division: Division, counts: [DivisionLevel: Int]? = nil) {
        code = division.code
        name = division.name
        level = division.level
        levelLabel = division.isManagementZone ? "管委会" : division.level.label
        statisticalCode = division.isManagementZone
            ? nil : DivisionRecord(code: division.code, name: division.name, level: division.level, parentCode: nil).statisticalCode
        parentCode = division.parentCode
        statisticalParentCode = division.statisticalParentCode
        isManagementZone = division.isManagementZone
        leagueCommitteeName = division.leagueCommitteeName
        let tags = KeyAreaTag.allCases.filter(division.keyAreaTags.contains)
        keyAreaTags = tags
        keyAreaTagLabels = tags.map(\.label)
        youthPopulation = division.youthPopulation
        if let counts {
            countyCount = division.level < .county ? counts[.county, default: 0] : nil
            townshipCount = counts[.township, default: 0]
        }
    }
}

struct DivisionMoveResponse: Content {
    var townshipCode: String
    var fromParentCode: String
    var fromParentName: String?
    var toParentCode: String
    var toParentName: String?
    var effectiveDate: String
    var reason: String
    var actorName: String
    var recordedAt: Date
}

struct DivisionDetailResponse: Content {
    var division: DivisionResponse
    var ancestors: [DivisionResponse]
    var children: [DivisionResponse]
    var moves: [DivisionMoveResponse]
}

struct DivisionListResponse: Content {
    var items: [DivisionResponse]
}
