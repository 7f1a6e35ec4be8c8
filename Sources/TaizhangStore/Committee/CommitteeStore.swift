import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// The township committee (大团委): its secretary, deputies and members, where each comes
/// from, full- or part-time, and the organizations each founded or looks after.
public enum CommitteeStore {
    public struct Member: Sendable {
        public var id: UUID
        public var townshipCode: String
        public var name: String
        public var position: CommitteePosition
        public var sourceUnit: String?
        public var isFullTime: Bool
        public var phone: String?
        /// Codes and names of the organizations this member founded or looks after.
        public var organizations: [(code: String, name: String)]
    }

    public struct NewMember: Sendable {
        public var townshipCode: String
        public var name: String
        public var position: CommitteePosition
        public var sourceUnit: String?
        public var isFullTime: Bool
        public var phone: String?

        public init(townshipCode: String, name: String, position: CommitteePosition, sourceUnit: String?, isFullTime: Bool, phone: String?) {
            self.townshipCode = townshipCode
            self.name = name
            self.position = position
            self.sourceUnit = sourceUnit
            self.isFullTime = isFullTime
            self.phone = phone
        }
    }

    public static func members(of township: String, on db: any Database) async throws -> [Member] {
        struct Row: Decodable {
            var id: UUID
            var townshipCode: String
            var name: String
            var position: String
            var sourceUnit: String?
            var isFullTime: Bool
            var phone: String?
        }
        struct Link: Decodable {
            var memberId: UUID
            var organizationCode: String
            var name: String
        }
        let rows = try await db.sql.select().columns("id", "township_code", "name", "position", "source_unit", "is_full_time", "phone")
            .from("committee_members").where("township_code", .equal, township).orderBy("created_at")
            .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        let links = rows.isEmpty ? [] : try await db.sql.select()
            .column(SQLColumn("member_id", table: "l")).column(SQLColumn("organization_code", table: "l")).column(SQLColumn("name", table: "o"))
            .from(SQLAlias(SQLIdentifier("committee_member_organizations"), as: SQLIdentifier("l")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.inner,
                  on: SQLColumn("organization_code", table: "l"), .equal, SQLColumn("code", table: "o"))
            .where(SQLColumn("member_id", table: "l"), .in, SQLBind.group(rows.map(\.id)))
            .all(decoding: Link.self, keyDecodingStrategy: .convertFromSnakeCase)
        let byMember = Dictionary(grouping: links, by: \.memberId)
        let order: [CommitteePosition] = [.secretary, .deputySecretary, .member]
        return rows.map { row in
            Member(id: row.id, townshipCode: row.townshipCode, name: row.name,
                   position: CommitteePosition(rawValue: row.position) ?? .member, sourceUnit: row.sourceUnit,
                   isFullTime: row.isFullTime, phone: row.phone,
                   organizations: (byMember[row.id] ?? []).map { ($0.organizationCode, $0.name) }.sorted { $0.0 < $1.0 })
        }.sorted { order.firstIndex(of: $0.position)! < order.firstIndex(of: $1.position)! }
    }

    public static func add(_ new: NewMember, by actor: Actor, on database: any Database) async throws -> UUID {
        let name = new.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 30 else { throw Refusal("姓名：应为 1–30 个字") }
        return try await writeTransaction(on: database) { db in
            let township = try await OrganizationStore.township(new.townshipCode, on: db)
            if new.position == .secretary, try await members(of: township.code, on: db).contains(where: { $0.position == .secretary }) {
                throw Refusal("职务：\(township.name)团委已有书记；请先把现任书记改为其他职务或移出", kind: .conflict)
            }
            let id = UUID()
            try await db.sql.insert(into: "committee_members")
                .columns("id", "township_code", "name", "position", "source_unit", "is_full_time", "phone", "created_at")
                .values(SQLBind(id), SQLBind(township.code), SQLBind(name), SQLBind(new.position.rawValue),
                        SQLBind(new.sourceUnit?.nilIfBlank), SQLBind(new.isFullTime), SQLBind(new.phone?.nilIfBlank), SQLBind(Date()))
                .run()
            try await AuditLog.record("committee.member.add", entityType: "division", entityID: township.code, divisionPath: township.path,
                                      before: nil, after: ["姓名": name, "职务": new.position.label, "来源单位": new.sourceUnit ?? "",
                                                           "专兼职": new.isFullTime ? "专职" : "兼职"], by: actor, on: db)
            return id
        }
    }

    /// Records that `member` founded or looks after `organizationCode` (an organization of the same township).
    public static func link(member id: UUID, organizationCode: String, by actor: Actor, on database: any Database) async throws {
        try await writeTransaction(on: database) { db in
            guard let member = try await findMember(id, on: db) else { throw Refusal("委员：找不到这位委员") }
            guard let organization = try await OrganizationStore.find(organizationCode, on: db) else {
                throw Refusal("团组织：找不到编码为「\(organizationCode)」的团组织")
            }
            guard organization.fields.townshipCode == member.townshipCode else {
                throw Refusal("团组织：「\(organization.fields.name)」不是本乡镇的团组织")
            }
            if member.organizations.contains(where: { $0.code == organization.code }) {
                throw Refusal("\(member.name)已联系「\(organization.fields.name)」", kind: .conflict)
            }
            try await db.sql.insert(into: "committee_member_organizations").columns("member_id", "organization_code")
                .values(SQLBind(id), SQLBind(organization.code)).run()
            try await AuditLog.record("committee.member.link", entityType: "organization", entityID: organization.code,
                                      divisionPath: organization.divisionPath, before: nil,
                                      after: ["委员": member.name, "团组织": organization.fields.name], by: actor, on: db)
        }
    }

    public static func findMember(_ id: UUID, on db: any Database) async throws -> Member? {
        struct Row: Decodable { var townshipCode: String }
        guard let row = try await db.sql.select().column("township_code").from("committee_members").where("id", .equal, id)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase) else { return nil }
        return try await members(of: row.townshipCode, on: db).first { $0.id == id }
    }
}

extension CommitteeStore {
    /// The committee members who founded or look after an organization: "职务 姓名".
    public static func members(lookingAfter organizationCode: String, on db: any Database) async throws -> [String] {
        struct Row: Decodable {
            var name: String
            var position: String
        }
        return try await db.sql.select().column(SQLColumn("name", table: "m")).column(SQLColumn("position", table: "m"))
            .from(SQLAlias(SQLIdentifier("committee_member_organizations"), as: SQLIdentifier("l")))
            .join(SQLAlias(SQLIdentifier("committee_members"), as: SQLIdentifier("m")), method: SQLJoinMethod.inner,
                  on: SQLColumn("member_id", table: "l"), .equal, SQLColumn("id", table: "m"))
            .where(SQLColumn("organization_code", table: "l"), .equal, SQLBind(organizationCode))
            .all(decoding: Row.self)
            .map { "\(CommitteePosition(rawValue: $0.position)?.label ?? $0.position) \($0.name)" }
    }
}
