import FluentKit
import SQLKit
import Foundation
import TaizhangCore

/// Changes to the hierarchy that cadres make: management zones, township moves, and the
/// attributes the campaign uses (key-area tags, youth population). Each change runs in one
/// transaction together with its audit record.
public enum DivisionEditor {
    public struct NewManagementZone: Sendable, Codable {
        /// The city the zone belongs to.
        public var cityCode: String
        public var name: String
        /// The zone's league body, e.g. 泉州台商投资区团工委.
        public var leagueCommitteeName: String?

        public init(cityCode: String, name: String, leagueCommitteeName: String?) {
            self.cityCode = cityCode
            self.name = name
            self.leagueCommitteeName = leagueCommitteeName
        }
    }

    public static func addManagementZone(
        _ zone: NewManagementZone, by actor: Actor, on database: any Database
    ) async throws -> Division {
        let name = zone.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw Refusal("管委会名称：不能为空") }
        guard name.count <= 60 else { throw Refusal("管委会名称：不能超过 60 个字") }
        let committee = zone.leagueCommitteeName?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await writeTransaction(on: database) { db in
            let city = try await DivisionQueries.require(zone.cityCode, on: db)
            guard city.level == .city else {
                throw Refusal("所属市：「\(city.name)」（\(city.code)）是\(city.level.label)，管委会只能设在市级之下")
            }
            let siblings = try await DivisionQueries.children(of: city.code, on: db)
            if siblings.contains(where: { $0.name == name }) {
                throw Refusal.conflict("管委会名称：\(city.name)下已有「\(name)」")
            }
            let zoneDivision = Division()
            zoneDivision.id = nextZoneCode(city: city.code, existing: siblings.map(\.code))
            zoneDivision.name = name
            zoneDivision.level = .county
            zoneDivision.parentCode = city.code
            zoneDivision.statisticalParentCode = nil
            zoneDivision.path = DivisionPath.path(parentPath: city.path, code: zoneDivision.code)
            zoneDivision.isManagementZone = true
            zoneDivision.leagueCommitteeName = (committee?.isEmpty ?? true) ? nil : committee
            zoneDivision.keyAreaTagsText = ""
            try await zoneDivision.create(on: db)
            try await AuditLog.record(
                "division.zone.create", entityType: "division", entityID: zoneDivision.code,
                divisionPath: zoneDivision.path, before: nil, after: zoneDivision.snapshot, by: actor, on: db
            )
            return zoneDivision
        }
    }

    /// Zone codes are the city's code, "Z" and a two-digit sequence: 3505Z01. They cannot
    /// collide with NBS codes, which are digits only.
    static func nextZoneCode(city: String, existing: [String]) -> String {
        let prefix = city + "Z"
        let used = existing.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }
        return prefix + String(format: "%02d", (used.max() ?? 0) + 1)
    }

    public struct TownshipMove: Sendable, Codable {
        public var townshipCode: String
        /// The county-level unit (county or management zone) the township moves under.
        public var toParentCode: String
        public var effectiveDate: CalendarDay
        public var reason: String?

        public init(townshipCode: String, toParentCode: String, effectiveDate: CalendarDay, reason: String?) {
            self.townshipCode = townshipCode
            self.toParentCode = toParentCode
            self.effectiveDate = effectiveDate
            self.reason = reason
        }
    }

    /// What a township's move changed in the tree, for what follows it (see `TownshipMover`).
    public struct RelocatedTownship: Sendable {
        public var township: Division
        public var from: Division
        public var to: Division
        public var oldPath: String
    }

    /// Moves a township under another county-level unit of the same city in the division tree
    /// (its code stays), with the move's record and audit entry. Only the tree: `TownshipMover`
    /// runs this and what follows it in one transaction.
    static func relocate(_ move: TownshipMove, by actor: Actor, on db: any Database) async throws -> RelocatedTownship {
        let township = try await DivisionQueries.require(move.townshipCode, on: db)
        guard township.level == .township else {
            throw Refusal("迁移对象：「\(township.name)」（\(township.code)）不是乡镇（街道），只有乡镇可以迁移")
        }
        let target = try await DivisionQueries.require(move.toParentCode, on: db)
        guard target.level == .county else {
            throw Refusal("迁入单位：「\(target.name)」（\(target.code)）不是县级单位或管委会")
        }
        guard let fromCode = township.parentCode, fromCode != target.code else {
            throw Refusal.conflict("迁入单位：「\(township.name)」已在「\(target.name)」之下")
        }
        let from = try await DivisionQueries.require(fromCode, on: db)
        guard from.parentCode == target.parentCode else {
            throw Refusal("迁入单位：「\(target.name)」与「\(township.name)」不在同一个市，只能在本市内迁移")
        }
        let before = township.snapshot
        let oldPath = township.path
        township.parentCode = target.code
        township.path = DivisionPath.path(parentPath: target.path, code: township.code)
        try await township.save(on: db)

        let record = DivisionMove()
        record.divisionCode = township.code
        record.fromParentCode = from.code
        record.toParentCode = target.code
        record.effectiveDate = move.effectiveDate.description
        record.reason = move.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        record.actorName = actor.name
        record.actorUserID = actor.userID
        record.recordedAt = Date()
        try await record.create(on: db)
        try await AuditLog.record(
            "division.township.move", entityType: "division", entityID: township.code,
            divisionPath: township.path, before: before, after: township.snapshot, by: actor, on: db
        )
        return RelocatedTownship(township: township, from: from, to: target, oldPath: oldPath)
    }

    public static func moves(of code: String, on database: any Database) async throws -> [DivisionMove] {
        try await DivisionMove.query(on: database).filter(\.$divisionCode == code)
            .sort(\.$recordedAt, .descending).all()
    }

    /// The attributes a cadre edits; nil leaves a value as it is.
    public struct AttributeChange: Sendable, Codable {
        public var keyAreaTags: [KeyAreaTag]?
        /// -1 or any negative value is refused; use `clearYouthPopulation` to remove the figure.
        public var youthPopulation: Int?
        public var clearYouthPopulation: Bool?
        public var leagueCommitteeName: String?

        public init(keyAreaTags: [KeyAreaTag]? = nil, youthPopulation: Int? = nil,
                    clearYouthPopulation: Bool? = nil, leagueCommitteeName: String? = nil) {
            self.keyAreaTags = keyAreaTags
            self.youthPopulation = youthPopulation
            self.clearYouthPopulation = clearYouthPopulation
            self.leagueCommitteeName = leagueCommitteeName
        }
    }

    public static func updateAttributes(
        of code: String, _ change: AttributeChange, by actor: Actor, on database: any Database
    ) async throws -> Division {
        if let youth = change.youthPopulation, youth < 0 || youth > 100_000_000 {
            throw Refusal("青年人口：应为 0 到 100000000 之间的整数，收到 \(youth)")
        }
        return try await writeTransaction(on: database) { db in
            let division = try await DivisionQueries.require(code, on: db)
            let before = division.snapshot
            if let tags = change.keyAreaTags {
                guard division.level == .township || tags.isEmpty else {
                    throw Refusal("重点区域标签：只有乡镇（街道）可以标注，「\(division.name)」是\(division.level.label)")
                }
                division.keyAreaTags = Set(tags)
            }
            if change.clearYouthPopulation == true {
                division.youthPopulation = nil
            } else if let youth = change.youthPopulation {
                division.youthPopulation = youth
            }
            if let committee = change.leagueCommitteeName {
                let trimmed = committee.trimmingCharacters(in: .whitespacesAndNewlines)
                division.leagueCommitteeName = trimmed.isEmpty ? nil : trimmed
            }
            guard division.snapshot != before else { return division }
            try await division.save(on: db)
            try await AuditLog.record(
                "division.update", entityType: "division", entityID: division.code,
                divisionPath: division.path, before: before, after: division.snapshot, by: actor, on: db
            )
            return division
        }
    }
}
