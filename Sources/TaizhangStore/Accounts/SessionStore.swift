import FluentKit
import TaizhangCore
import Foundation

/// Browser sessions, by the hash of their cookie value.
public enum SessionStore {
    public static func create(
        userID: UUID, tokenHash: String, csrfToken: String, lifetime: TimeInterval, clientAddress: String?,
        on db: any Database
    ) async throws -> UserSession {
        let now = Date()
        let session = UserSession()
        session.id = tokenHash
        session.userID = userID
        session.csrfToken = csrfToken
        session.createdAt = now
        session.lastSeenAt = now
        session.expiresAt = now.addingTimeInterval(lifetime)
        session.clientAddress = clientAddress
        try await session.create(on: db)
        return session
    }

    /// The session if it exists, has not passed its absolute expiry and has been used
    /// within `idleTimeout`. An expired session is deleted.
    public static func valid(tokenHash: String, idleTimeout: TimeInterval, now: Date = Date(), on db: any Database) async throws -> UserSession? {
        guard let session = try await UserSession.find(tokenHash, on: db) else { return nil }
        if session.expiresAt <= now || session.lastSeenAt.addingTimeInterval(idleTimeout) <= now {
            try await session.delete(on: db)
            return nil
        }
        // Writing on every request would serialize readers behind the writer; a minute is precise enough.
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            session.lastSeenAt = now
            try await session.save(on: db)
        }
        return session
    }

    public static func delete(tokenHash: String, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$id == tokenHash).delete()
    }

    public static func deleteAll(userID: UUID, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$userID == userID).delete()
    }
}

/// Personal API tokens, stored as hashes.
public enum APITokenStore {
    public static func create(userID: UUID, name: String, tokenHash: String, by actor: Actor, on database: any Database) async throws -> APIToken {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 60 else { throw Refusal("令牌名称：应为 1–60 个字") }
        return try await writeTransaction(on: database) { db in
            let user = try await AccountStore.requireUser(userID, on: db)
            let token = APIToken()
            token.userID = userID
            token.name = trimmed
            token.tokenHash = tokenHash
            token.createdAt = Date()
            try await token.create(on: db)
            try await AuditLog.record("token.create", entityType: "user", entityID: user.username, divisionPath: nil,
                                      before: nil, after: ["token": trimmed], by: actor, on: db)
            return token
        }
    }

    public static func active(tokenHash: String, on db: any Database) async throws -> APIToken? {
        try await APIToken.query(on: db).filter(\.$tokenHash == tokenHash).filter(\.$revokedAt == nil).first()
    }

    public static func list(userID: UUID, on db: any Database) async throws -> [APIToken] {
        try await APIToken.query(on: db).filter(\.$userID == userID).sort(\.$createdAt, .descending).all()
    }

    public static func revoke(tokenID: UUID, ownedBy userID: UUID, by actor: Actor, on database: any Database) async throws {
        try await writeTransaction(on: database) { db in
            guard let token = try await APIToken.find(tokenID, on: db), token.userID == userID else {
                throw Refusal("找不到这个令牌", kind: .notFound)
            }
            guard token.revokedAt == nil else { return }
            let user = try await AccountStore.requireUser(userID, on: db)
            token.revokedAt = Date()
            try await token.save(on: db)
            try await AuditLog.record("token.revoke", entityType: "user", entityID: user.username, divisionPath: nil,
                                      before: ["token": token.name], after: ["token": "已吊销"], by: actor, on: db)
        }
    }
}

/// Failed sign-ins, counted per account and per client address across all instances.
public enum LoginThrottle {
    public static func record(username: String, clientAddress: String, succeeded: Bool, on db: any Database) async throws {
        let attempt = LoginAttempt()
        attempt.username = username
        attempt.clientAddress = clientAddress
        attempt.attemptedAt = Date()
        attempt.succeeded = succeeded
        try await attempt.create(on: db)
    }

    public static func recentFailures(username: String, since: Date, on db: any Database) async throws -> Int {
        try await LoginAttempt.query(on: db).filter(\.$username == username)
            .filter(\.$attemptedAt >= since).filter(\.$succeeded == false).count()
    }

    public static func recentFailures(clientAddress: String, since: Date, on db: any Database) async throws -> Int {
        try await LoginAttempt.query(on: db).filter(\.$clientAddress == clientAddress)
            .filter(\.$attemptedAt >= since).filter(\.$succeeded == false).count()
    }
}
