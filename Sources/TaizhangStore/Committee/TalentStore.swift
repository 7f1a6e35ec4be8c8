import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The talent pool (优秀青年): people who can be named 团建指导员, concurrent secretary or
/// acting secretary of an organization.
public enum TalentStore {
    public struct Talent: Sendable, Decodable {
        public var id: UUID
        public var townshipCode: String
        public var divisionPath: String
        public var name: String
        public var category: String
        public var unit: String?
        public var phone: String?
        public var notes: String?
    }

    public struct Assignment: Sendable, Decodable {
        public var talentId: UUID
        public var talentName: String
        public var organizationCode: String
        public var organizationName: String
        public var role: String
        public var assignedOn: String
    }

    public static func list(scope: Scope, category: TalentCategory?, limit: Int = 500, on db: any Database) async throws -> [Talent] {
        let select = db.sql.select().columns("id", "township_code", "division_path", "name", "category", "unit", "phone", "notes")
            .from("talents").whereInside(scope, SQLColumn("division_path"))
        if let category { select.where("category", .equal, category.rawValue) }
        let talents = try await select.orderBy("division_path").orderBy("name").limit(limit)
            .all(decoding: Talent.self, keyDecodingStrategy: .convertFromSnakeCase)
        // Within each place, by pinyin.
        return talents.enumerated().map { (key: NameSortKey.of($0.element.name), index: $0.offset, talent: $0.element) }
            .sorted { ($0.talent.divisionPath, $0.key, $0.index) < ($1.talent.divisionPath, $1.key, $1.index) }.map(\.talent)
    }

    public static func find(_ id: UUID, on db: any Database) async throws -> Talent? {
        try await db.sql.select().columns("id", "township_code", "division_path", "name", "category", "unit", "phone", "notes")
            .from("talents").where("id", .equal, id).first(decoding: Talent.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    public static func add(
        townshipCode: String, name rawName: String, category: TalentCategory, unit: String?, phone: String?, notes: String?,
        by actor: Actor, on database: any Database
    ) async throws -> UUID {
        let name = rawName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 30 else { throw Refusal("姓名：应为 1–30 个字") }
        return try await writeTransaction(on: database) { db in
            let township = try await OrganizationStore.township(townshipCode, on: db)
            let id = UUID()
            try await db.sql.insert(into: "talents")
                .columns("id", "township_code", "division_path", "name", "category", "unit", "phone", "notes", "created_at")
                .values(SQLBind(id), SQLBind(township.code), SQLBind(township.path), SQLBind(name), SQLBind(category.rawValue),
                        SQLBind(unit?.nilIfBlank), SQLBind(phone?.nilIfBlank), SQLBind(notes?.nilIfBlank), SQLBind(Date()))
                .run()
            try await AuditLog.record("talent.add", entityType: "talent", entityID: id.uuidString, divisionPath: township.path,
                                      before: nil, after: ["姓名": name, "类别": category.label, "乡镇": township.name], by: actor, on: db)
            return id
        }
    }

    /// Names the talent to `role` in the organization: the organization's field of that role
    /// takes the talent's name (a new version, audited) and the assignment is recorded.
    public static func assign(
        _ talentID: UUID, to organizationCode: String, as role: TalentRole, on day: CalendarDay, by actor: Actor, on database: any Database
    ) async throws {
        try await writeTransaction(on: database) { db in
            guard let talent = try await find(talentID, on: db) else { throw Refusal("找不到这位优秀青年", kind: .notFound) }
            let organization = try await OrganizationStore.require(organizationCode, on: db)
            guard !organization.fields.stage.isEnded else {
                throw Refusal("「\(organization.fields.name)」已\(organization.fields.stage.label)，不能再选派")
            }
            var fields = organization.fields
            switch role {
            case .instructor: fields.instructorName = talent.name
            case .secretary: fields.secretaryName = talent.name
            case .actingSecretary: fields.actingSecretaryName = talent.name
            }
            if let phone = talent.phone, role == .secretary, fields.secretaryPhone == nil { fields.secretaryPhone = phone }
            if let phone = talent.phone, role == .actingSecretary, fields.actingSecretaryPhone == nil { fields.actingSecretaryPhone = phone }
            _ = try await OrganizationStore.update(organizationCode, fields, expectedVersion: organization.version, by: actor, on: db)
            try await db.sql.insert(into: "talent_assignments")
                .columns("id", "talent_id", "organization_code", "role", "assigned_on", "actor_name")
                .values(SQLBind(UUID()), SQLBind(talentID), SQLBind(organizationCode), SQLBind(role.rawValue),
                        SQLBind(day.description), SQLBind(actor.name))
                .run()
            try await AuditLog.record("talent.assign", entityType: "organization", entityID: organizationCode,
                                      divisionPath: organization.divisionPath, before: nil,
                                      after: [role.label: talent.name, "类别": TalentCategory(rawValue: talent.category)?.label ?? talent.category],
                                      by: actor, on: db)
        }
    }

    /// Assignments of talents, for one organization or for a page of talents (one query).
    public static func assignments(organizationCode: String? = nil, talentIDs: [UUID]? = nil, on db: any Database) async throws -> [Assignment] {
        if let talentIDs, talentIDs.isEmpty { return [] }
        let select = db.sql.select()
            .column(SQLColumn("talent_id", table: "a")).column(SQLColumn("name", table: "t"), as: "talent_name")
            .column(SQLColumn("organization_code", table: "a")).column(SQLColumn("name", table: "o"), as: "organization_name")
            .column(SQLColumn("role", table: "a")).column(SQLColumn("assigned_on", table: "a"))
            .from(SQLAlias(SQLIdentifier("talent_assignments"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("talents"), as: SQLIdentifier("t")), method: SQLJoinMethod.inner,
                  on: SQLColumn("talent_id", table: "a"), .equal, SQLColumn("id", table: "t"))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organization_code", table: "a"), .equal, SQLColumn("code", table: "o"))
        if let organizationCode { select.where(SQLColumn("organization_code", table: "a"), .equal, SQLBind(organizationCode)) }
        if let talentIDs { select.where(SQLColumn("talent_id", table: "a"), .in, SQLBind.group(talentIDs)) }
        return try await select.orderBy(SQLColumn("assigned_on", table: "a"))
            .all(decoding: Assignment.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}
