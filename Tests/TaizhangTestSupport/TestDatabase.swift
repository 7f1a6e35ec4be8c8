import Foundation
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
/// temporary folder; PostgreSQL a new schema, dropped afterwards.
public func withTestApp(
    _ database: TestDatabase,
    copying template: URL? = nil,
    _ body: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if let template, case .sqlite = database {
        try FileManager.default.copyItem(at: template, to: folder.appendingPathComponent("taizhang.sqlite"))
    }
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    var settings: AppSettings
    switch database {
    case .sqlite:
        settings = AppSettings(database: .sqlite(path: folder.appendingPathComponent("taizhang.sqlite").path))
    case .postgres(let url):
        settings = AppSettings(database: .postgres(url: url, searchPath: [String(schema)]))
    }
    // The whole suite runs at once on two cores against one database server: a writer queued behind
    // others may wait longer than a deployment's 10 s without anything being wrong.
    settings.connectionWait = .seconds(120)
    do {
        try configure(app, settings: settings)
        app.storage[TestSettingsKey.self] = settings
        if case .postgres = database {
            try await app.db.sql.raw("CREATE SCHEMA \(ident: String(schema))").run()
        }
        try await prepareDatabase(app, settings: settings)
        try await body(app)
    } catch {
        await tearDown(app, database: database, schema: String(schema), folder: folder)
        throw error
    }
    await tearDown(app, database: database, schema: String(schema), folder: folder)
}

/// A fresh copy of the 泉州 demo (`DemoSeeder`) behind the real application. On SQLite the demo is
/// seeded once per test run into a template file and each test gets a copy of that file, as a
/// fresh database from a template; on PostgreSQL each test seeds its own schema.
public func withDemoApp(
    _ database: TestDatabase,
    _ body: (Application) async throws -> Void
) async throws {
    switch database {
    case .sqlite:
        try await withTestApp(database, copying: try await DemoTemplate.shared.sqliteFile(), body)
    case .postgres:
        try await withTestApp(database) { app in
            _ = try await DemoSeeder.seed(on: app.db)
            try await body(app)
        }
    }
}

/// The seeded demo database, made by the first test that asks and shared by the rest.
actor DemoTemplate {
    static let shared = DemoTemplate()
    private var file: Task<URL, any Error>?

    func sqliteFile() async throws -> URL {
        if let file { return try await file.value }
        let made = Task { try await Self.makeSQLiteTemplate() }
        file = made
        return try await made.value
    }

    private static func makeSQLiteTemplate() async throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-demo-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("demo.sqlite")
        let settings = AppSettings(database: .sqlite(path: path.path))
        let app = try await Application.make(.testing)
        do {
            try configure(app, settings: settings)
            try await prepareDatabase(app, settings: settings)
            _ = try await DemoSeeder.seed(on: app.db)
            // Everything into the main file, so copying that one file copies the database.
            try await app.db.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        return path
    }
}

private struct TestSettingsKey: StorageKey {
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

private func tearDown(_ app: Application, database: TestDatabase, schema: String, folder: URL) async {
    if case .postgres = database {
        try? await app.db.sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
    try? FileManager.default.removeItem(at: folder)
}

/// The division table, parsed once for the whole test run.
public let bundledDivisions: DivisionTable = try! DivisionTable.bundled()

public let testActor = Actor(userID: nil, name: "测试", clientAddress: "127.0.0.1")
