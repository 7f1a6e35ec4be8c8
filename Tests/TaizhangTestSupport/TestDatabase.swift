import Foundation
import PostgresNIO
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangWeb
import Vapor
import VaporTesting

/// The databases every store and web test runs against: a real SQLite file always, and a
/// real PostgreSQL server when `TAIZHANG_TEST_POSTGRES_URL` names one (CI starts one).
public enum TestDatabase: Sendable, CustomStringConvertible {
    case sqlite
    case postgres(url: String)

    public static var all: [TestDatabase] {
        var databases: [TestDatabase] = [.sqlite]
        if let url = ProcessInfo.processInfo.environment["TAIZHANG_TEST_POSTGRES_URL"], !url.isEmpty {
            databases.append(.postgres(url: url))
        }
        return databases
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }
}

/// A fresh, migrated database behind the real application. SQLite gets a new file in a
/// temporary folder (a copy of `template` when given); PostgreSQL a new schema, dropped
/// afterwards — or, with `postgresTemplate`, a new database copied from that one.
public func withTestApp(
    _ database: TestDatabase,
    copying template: URL? = nil,
    postgresTemplate: String? = nil,
    _ body: (Application) async throws -> Void
) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if let template, case .sqlite = database {
        try FileManager.default.copyItem(at: template, to: folder.appendingPathComponent("taizhang.sqlite"))
    }
    let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    var place = TestPlace.folder
    var settings: AppSettings
    switch database {
    case .sqlite:
        settings = AppSettings(database: .sqlite(path: folder.appendingPathComponent("taizhang.sqlite").path))
    case .postgres(let url):
        if let postgresTemplate {
            try await PostgresServer.shared.createDatabase(String(name), from: postgresTemplate, url: url)
            place = .database(String(name), url: url)
            settings = AppSettings(database: .postgres(url: try PostgresServer.url(url, database: String(name))))
        } else {
            place = .schema(String(name))
            settings = AppSettings(database: .postgres(url: url, searchPath: [String(name)]))
        }
    }
    // Made only once its database exists: an application that is never shut down (its database
    // could not be made) traps in a debug build and takes the whole test run with it.
    let app = try await Application.make(.testing)
    // The whole suite runs at once on two cores against one database server: a writer queued behind
    // others may wait longer than a deployment's 10 s without anything being wrong. (120 s was
    // once too little on PostgreSQL: 45 writes of one township, one at a time by its lock, while
    // every other suite migrated its schema; the 43rd waited for a connection past it.)
    settings.connectionWait = .seconds(300)
    do {
        try configure(app, settings: settings)
        app.storage[TestSettingsKey.self] = settings
        if case .schema(let schema) = place {
            try await app.db.sql.raw("CREATE SCHEMA \(ident: schema)").run()
        }
        try await prepareDatabase(app, settings: settings)
        try await body(app)
    } catch {
        await tearDown(app, place: place, folder: folder)
        throw (error as? PSQLError).map(ServerError.init) ?? error
    }
    await tearDown(app, place: place, folder: folder)
}

/// A PostgreSQL error with what the server said: `PSQLError`'s own description is a generic
/// sentence (to keep data out of logs), which left a failed CI run saying nothing of the cause.
public struct ServerError: Error, CustomStringConvertible {
    public let underlying: PSQLError
    init(_ underlying: PSQLError) { self.underlying = underlying }
    public var description: String { String(reflecting: underlying) }
}

/// Where a test's PostgreSQL data lives, to be removed after it (SQLite's is in the folder).
private enum TestPlace {
    case folder
    case schema(String)
    case database(String, url: String)
}

/// A fresh copy of the 泉州 demo (`DemoSeeder`) behind the real application. The demo is seeded
/// once per test run — into a template file on SQLite, a template database on PostgreSQL — and
/// each test gets a copy of it.
public func withDemoApp(
    _ database: TestDatabase,
    _ body: (Application) async throws -> Void
) async throws {
    switch database {
    case .sqlite:
        try await withTestApp(database, copying: try await DemoTemplate.shared.sqliteFile(), body)
    case .postgres(let url):
        try await withTestApp(database, postgresTemplate: try await DemoTemplate.shared.postgresDatabase(url: url), body)
    }
}

struct TestSettingsKey: StorageKey {
    typealias Value = AppSettings
}

/// A second application on the same database as `app` (made by `withTestApp`), as a second
/// app instance behind a load balancer would be: its own caches, the same data.
public func withSecondInstance(of app: Application, _ body: (Application) async throws -> Void) async throws {
    guard let settings = app.storage[TestSettingsKey.self] else {
        throw Abort(.internalServerError, reason: "withSecondInstance needs an app made by withTestApp")
    }
    let second = try await Application.make(.testing)
    do {
        try configure(second, settings: settings)
        try await body(second)
    } catch {
        try? await second.asyncShutdown()
        throw error
    }
    try await second.asyncShutdown()
}

private func tearDown(_ app: Application, place: TestPlace, folder: URL) async {
    if case .schema(let schema) = place {
        try? await app.db.sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
    if case .database(let name, let url) = place {
        try? await PostgresServer.shared.dropDatabase(name, url: url)
    }
    try? FileManager.default.removeItem(at: folder)
}

/// The division table, parsed once for the whole test run.
public let bundledDivisions: DivisionTable = try! DivisionTable.bundled()

public let testActor = Actor(userID: nil, name: "测试", clientAddress: "127.0.0.1")
