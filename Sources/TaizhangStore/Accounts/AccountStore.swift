import FluentKit
import Foundation
import SQLKit
import TaizhangCore

/// Users and their role grants. Password hashing happens above this layer; the store
/// only ever sees hashes.
public enum AccountStore {
    public struct NewUser: Sendable {
        public var username: String
        public var displayName: String
        public var phone: String?
        public var passwordHash: String
        public var grants: [(role: Role, divisionCode: String)]
        /// A generated password an administrator hands out: changed at the first sign-in.
        public var mustChangePassword: Bool

        public init(username: String, displayName: String, phone: String?, passwordHash: String,
                    grants: [(role: Role, divisionCode: String)], mustChangePassword: Bool = false) {
            self.username = username
            self.displayName = displayName
            self.phone = phone
            self.passwordHash = passwordHash
            self.grants = grants
            self.mustChangePassword = mustChangePassword
        }
    }

    public static func validateUsername(_ username: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        guard (3...32).contains(username.count), username.unicodeScalars.allSatisfy(allowed.contains) else {
            throw Refusal("用户名：「\(username)」应为 3–32 个英文字母、数字、下划线、点或连字符")
        }
    }

    public static func createUser(_ new: NewUser, by actor: Actor, on database: any Database) async throws -> User {
        let username = new.username.trimmingCharacters(in: .whitespaces)
        try validateUsername(username)
        let displayName = new.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !displayName.isEmpty else { throw Refusal("姓名：不能为空") }
        if let phone = new.phone?.trimmingCharacters(in: .whitespaces).nilIfBlank { try validatePhone(phone) }
        return try await writeTransaction(on: database) { db in
            if try await User.query(on: db).filter(\.$username == username).first() != nil {
                throw Refusal("用户名：「\(username)」已被使用", kind: .conflict)
            }
            let user = User()
            user.username = username
            user.displayName = displayName
            user.phone = new.phone?.nilIfBlank
            user.passwordHash = new.passwordHash
            user.isActive = true
            user.passwordChangedAt = Date()
            user.mustChangePassword = new.mustChangePassword
            try await user.create(on: db)
            var after = user.snapshot
            var targets: [GrantTarget] = []
            for grant in new.grants {
                let division = try await validGrantDivision(role: grant.role, code: grant.divisionCode, on: db)
                try await insertGrant(userID: user.id!, role: grant.role, division: division, by: actor, on: db)
                targets.append(division)
            }
            after["grants"] = new.grants.map { "\($0.role.label)@\($0.divisionCode)" }.joined(separator: "；")
            // Filed under the first grant's subtree so the administrators there see it.
            try await AuditLog.record("user.create", entityType: "user", entityID: username,
                                      divisionPath: targets.first?.path, before: nil, after: after, by: actor, on: db)
            return user
        }
    }

    /// What a grant is on: a division, or the whole country ("CN", path "").
    public struct GrantTarget: Sendable {
        public var code: String
        public var name: String
        public var path: String
        /// nil for the whole country.
        public var level: DivisionLevel?

        static let nation = GrantTarget(code: DivisionTable.nationalRegion, name: "全国", path: "", level: nil)
    }

    /// The division (or the whole country, "CN") a grant names; refuses a code that names nothing.
    public static func grantTarget(_ rawCode: String, on db: any Database) async throws -> GrantTarget {
        let code = rawCode.trimmingCharacters(in: .whitespaces)
        if code.uppercased() == DivisionTable.nationalRegion { return .nation }
        guard let division = try await DivisionQueries.find(code, on: db) else {
            throw Refusal("授权范围：找不到代码为「\(code)」的行政区划", kind: .invalidInput)
        }
        return GrantTarget(code: division.code, name: division.name, path: division.path, level: division.level)
    }

    /// A division found by its name, with its parent's name to tell namesakes apart.
    public struct NamedDivision: Sendable {
        public var code: String
        public var name: String
        public var parentName: String
        public var level: DivisionLevel
    }

    /// The divisions named exactly `name` inside `scope`, in code order: a grant's 范围 typed
    /// as 磁灶镇 or 晋江市 instead of a code.
    public static func divisions(named rawName: String, under scope: Scope, on db: any Database) async throws -> [NamedDivision] {
        let name = rawName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return [] }
        let rows = try await Division.query(on: db).filter(\.$name == name).sort(\.$id).limit(500).all()
            .filter { scope.contains($0.path) }
        let parentCodes = Set(rows.compactMap(\.parentCode))
        let parents = try await Division.query(on: db).filter(\.$id ~~ Array(parentCodes)).all()
        let parentNames = Dictionary(uniqueKeysWithValues: parents.map { ($0.code, $0.name) })
        return rows.map {
            NamedDivision(code: $0.code, name: $0.name, parentName: $0.parentCode.flatMap { parentNames[$0] } ?? "", level: $0.level)
        }
    }

    static func validGrantDivision(role: Role, code rawCode: String, on db: any Database) async throws -> GrantTarget {
        let target = try await grantTarget(rawCode, on: db)
        guard let level = target.level else {
            guard role.highestLevel == .province else {
                throw Refusal("授权范围：\(role.label)不能授予全国范围，请选择\(role.highestLevel.label)或以下的行政区划")
            }
            return target
        }
        guard level >= role.highestLevel else {
            throw Refusal("授权范围：\(role.label)只能授予\(role.highestLevel.label)及以下，「\(target.name)」是\(level.label)")
        }
        return target
    }

    private static func insertGrant(userID: UUID, role: Role, division: GrantTarget, by actor: Actor, on db: any Database) async throws {
        let row = RoleGrant()
        row.userID = userID
        row.roleCode = role.rawValue
        row.divisionCode = division.code
        row.grantedBy = actor.name
        row.grantedAt = Date()
        try await row.create(on: db)
    }

    public static func addGrant(
        userID: UUID, role: Role, divisionCode: String, by actor: Actor, on database: any Database
    ) async throws {
        try await writeTransaction(on: database) { db in
            let user = try await requireUser(userID, on: db)
            let division = try await validGrantDivision(role: role, code: divisionCode, on: db)
            let existing = try await RoleGrant.query(on: db).filter(\.$userID == userID)
                .filter(\.$roleCode == role.rawValue).filter(\.$divisionCode == division.code).first()
            if existing != nil {
                throw Refusal("授权：\(user.displayName)已是\(division.name)的\(role.label)", kind: .conflict)
            }
            try await insertGrant(userID: userID, role: role, division: division, by: actor, on: db)
            try await AuditLog.record("grant.add", entityType: "user", entityID: user.username, divisionPath: division.path,
                                      before: nil, after: ["role": role.label, "division": "\(division.name)（\(division.code)）"],
                                      by: actor, on: db)
        }
    }

    public static func removeGrant(grantID: UUID, by actor: Actor, on database: any Database) async throws {
        try await writeTransaction(on: database) { db in
            guard let grant = try await RoleGrant.find(grantID, on: db) else {
                throw Refusal("找不到这条授权", kind: .notFound)
            }
            let user = try await requireUser(grant.userID, on: db)
            let division = try await DivisionQueries.find(grant.divisionCode, on: db)
            try await grant.delete(on: db)
            try await AuditLog.record("grant.remove", entityType: "user", entityID: user.username, divisionPath: division?.path,
                                      before: ["role": Role(rawValue: grant.roleCode)?.label ?? grant.roleCode,
                                               "division": "\(division?.name ?? "")（\(grant.divisionCode)）"],
                                      after: nil, by: actor, on: db)
        }
    }

    public static func requireUser(_ id: UUID, on db: any Database) async throws -> User {
        guard let user = try await User.find(id, on: db) else { throw Refusal("找不到这个用户", kind: .notFound) }
        return user
    }

    public static func requireUser(named username: String, on db: any Database) async throws -> User {
        guard let user = try await user(named: username, on: db) else {
            throw Refusal("用户名：没有名为「\(username)」的账号", kind: .notFound)
        }
        return user
    }

    public static func user(named username: String, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$username == username).first()
    }

    /// The user's grants with the current path of each granted division (a moved
    /// township's grant follows it).
    public static func grants(of userID: UUID, on db: any Database) async throws -> [Grant] {
        try await grantRows(of: userID, on: db).map(\.grant)
    }

    public struct GrantRow: Sendable {
        public var id: UUID
        public var grant: Grant
        public var divisionName: String
        public var grantedBy: String
        public var grantedAt: Date
    }

    public static func grantRows(of userID: UUID, on db: any Database) async throws -> [GrantRow] {
        let rows = try await RoleGrant.query(on: db).filter(\.$userID == userID).sort(\.$grantedAt).all()
        let divisions = try await Division.query(on: db).filter(\.$id ~~ rows.map(\.divisionCode)).all()
        var byCode = Dictionary(uniqueKeysWithValues: divisions.map {
            ($0.code, GrantTarget(code: $0.code, name: $0.name, path: $0.path, level: $0.level))
        })
        byCode[DivisionTable.nationalRegion] = .nation
        return rows.compactMap { row in
            guard let role = Role(rawValue: row.roleCode), let division = byCode[row.divisionCode] else { return nil }
            return GrantRow(id: row.id!, grant: Grant(role: role, divisionCode: division.code, divisionPath: division.path),
                            divisionName: division.name, grantedBy: row.grantedBy, grantedAt: row.grantedAt)
        }
    }

    /// Users that have at least one grant inside a subtree where `policy` may manage users
    /// (every user for a system administrator).
    public static func users(manageableBy policy: AccessPolicy, on db: any Database) async throws -> [User] {
        let all = try await User.query(on: db).sort(\.$username).all()
        if policy.isSystemAdmin { return all }
        var visible: [User] = []
        for user in all {
            let grants = try await self.grants(of: user.id!, on: db)
            if grants.contains(where: { policy.allows(.manageUsers, at: $0.divisionPath) }) { visible.append(user) }
        }
        return visible
    }

    /// `handedOut`: set by someone else (an administrator's reset), so the user must change it.
    public static func setPassword(userID: UUID, hash: String, handedOut: Bool = false, by actor: Actor,
                                   on database: any Database) async throws {
        try await writeTransaction(on: database) { db in
            let user = try await requireUser(userID, on: db)
            user.passwordHash = hash
            user.passwordChangedAt = Date()
            user.mustChangePassword = handedOut
            try await user.save(on: db)
            try await SessionStore.deleteAll(userID: userID, on: db)
            // Filed under the user's first grant, as their creation is, so the administrators there see it.
            let filedUnder = try await grants(of: userID, on: db).first?.divisionPath
            try await AuditLog.record("user.password", entityType: "user", entityID: user.username, divisionPath: filedUnder,
                                      before: nil, after: ["password": "已更改"], by: actor, on: db)
        }
    }

    /// What an administrator may change of someone's account besides grants and password.
    public struct Profile: Sendable {
        public var displayName: String
        public var phone: String?

        public init(displayName: String, phone: String?) {
            self.displayName = displayName
            self.phone = phone
        }
    }

    public static func validatePhone(_ phone: String) throws {
        let allowed = CharacterSet(charactersIn: "0123456789+- ")
        guard phone.count <= 20, phone.unicodeScalars.allSatisfy(allowed.contains), phone.contains(where: \.isNumber) else {
            throw Refusal("手机：「\(phone)」应为电话号码（数字，可含 +、- 和空格，至多 20 位）")
        }
    }

    /// Changes a user's name and phone; records the values before and after. Refuses a blank
    /// name or a phone that is not a number, naming the field; no change, no record.
    public static func updateProfile(userID: UUID, _ profile: Profile, by actor: Actor, on database: any Database) async throws {
        let displayName = profile.displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !displayName.isEmpty else { throw Refusal("姓名：不能为空") }
        guard displayName.count <= 50 else { throw Refusal("姓名：至多 50 个字") }
        let phone = profile.phone?.trimmingCharacters(in: .whitespaces).nilIfBlank
        if let phone { try validatePhone(phone) }
        try await writeTransaction(on: database) { db in
            let user = try await requireUser(userID, on: db)
            guard user.displayName != displayName || user.phone?.nilIfBlank != phone else { return }
            let before = user.snapshot
            user.displayName = displayName
            user.phone = phone
            try await user.save(on: db)
            let after = user.snapshot
            // Filed under the user's first grant, as their creation is, so the administrators there see it.
            let filedUnder = try await grants(of: userID, on: db).first?.divisionPath
            try await AuditLog.record("user.update", entityType: "user", entityID: user.username, divisionPath: filedUnder,
                                      before: before.filter { after[$0.key] != $0.value },
                                      after: after.filter { before[$0.key] != $0.value }, by: actor, on: db)
        }
    }

    public static func setActive(userID: UUID, _ active: Bool, by actor: Actor, on database: any Database) async throws {
        try await writeTransaction(on: database) { db in
            let user = try await requireUser(userID, on: db)
            guard user.isActive != active else { return }
            let before = user.snapshot
            user.isActive = active
            try await user.save(on: db)
            if !active { try await SessionStore.deleteAll(userID: userID, on: db) }
            let filedUnder = try await grants(of: userID, on: db).first?.divisionPath
            try await AuditLog.record(active ? "user.activate" : "user.deactivate", entityType: "user", entityID: user.username,
                                      divisionPath: filedUnder, before: before, after: user.snapshot, by: actor, on: db)
        }
    }
}
