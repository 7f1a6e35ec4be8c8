import FluentKit
import Foundation
import SQLKit
import TaizhangStore
import TaizhangWeb
import Vapor

/// The seeded demo database, made by the first test that asks and shared by the rest: seeding
/// takes most of a demo test's time, copying the result a fraction of it.
actor DemoTemplate {
    static let shared = DemoTemplate()
    private var file: Task<URL, any Error>?
    private var database: Task<String, any Error>?

    /// A seeded SQLite file to copy.
    func sqliteFile() async throws -> URL {
        if let file { return try await file.value }
        let made = Task { try await Self.makeSQLiteTemplate() }
        file = made
        return try await made.value
    }

    /// The name of a seeded PostgreSQL database on the server at `url`, to copy with
    /// `CREATE DATABASE … TEMPLATE`; nothing stays connected to it once it is made.
    func postgresDatabase(url: String) async throws -> String {
        if let database { return try await database.value }
        let made = Task { try await Self.makePostgresTemplate(url: url) }
        database = made
        return try await made.value
    }

    private static func makeSQLiteTemplate() async throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-demo-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("demo.sqlite")
        try await seed(AppSettings(database: .sqlite(path: path.path))) { db in
            // Everything into the main file, so copying that one file copies the database.
            try await db.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
        }
        return path
    }

    private static func makePostgresTemplate(url: String) async throws -> String {
        let name = "demo_template_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        try await PostgresServer.shared.run("CREATE DATABASE \(name)", url: url)
        try await seed(AppSettings(database: .postgres(url: try PostgresServer.url(url, database: name)))) { _ in }
        return name
    }

    private static func seed(_ settings: AppSettings, finally: (any Database) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            try configure(app, settings: settings)
            try await prepareDatabase(app, settings: settings)
            _ = try await DemoSeeder.seed(on: app.db)
            try await finally(app.db)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// Statements that act on the PostgreSQL server rather than inside one database (creating and
/// dropping a test's database), run over one connection to the database the test URL names.
actor PostgresServer {
    static let shared = PostgresServer()
    private var app: Task<Application, any Error>?

    /// `url` with its database replaced by `database`.
    static func url(_ url: String, database: String) throws -> String {
        guard var components = URLComponents(string: url) else { throw Abort(.internalServerError, reason: "bad test URL \(url)") }
        components.path = "/" + database
        guard let result = components.string else { throw Abort(.internalServerError, reason: "bad test URL \(url)") }
        return result
    }

    func run(_ statement: String, url: String) async throws {
        try await connection(url).db.sql.raw(SQLQueryString(statement)).run()
    }

    func createDatabase(_ name: String, from template: String, url: String) async throws {
        try await run("CREATE DATABASE \(name) TEMPLATE \(template)", url: url)
    }

    func dropDatabase(_ name: String, url: String) async throws {
        try await run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", url: url)
    }

    /// An application kept for the whole run, used only for these statements; made once, by
    /// the first caller (the others, arriving while it is made, wait for the same one).
    private func connection(_ url: String) async throws -> Application {
        if let app { return try await app.value }
        let made = Task { try await Self.makeApplication(url) }
        app = made
        return try await made.value
    }

    private static func makeApplication(_ url: String) async throws -> Application {
        let made = try await Application.make(.testing)
        // Copying the demo database takes seconds each, and every demo test of a parallel run
        // asks at once: a request may queue for minutes behind the others (the drivers' 10 s
        // ran out in CI with 17 waiting).
        var settings = AppSettings(database: .postgres(url: url))
        settings.connectionWait = .minutes(30)
        do {
            try configure(made, settings: settings)
        } catch {
            try? await made.asyncShutdown()
            throw error
        }
        return made
    }
}
