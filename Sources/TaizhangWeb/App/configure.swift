import Fluent
import Foundation
import Leaf
import LeafKit
import NIOCore
import NIOPosix
import PostgresNIO
import TaizhangCore
import TaizhangStore
import Vapor

/// Wires the whole application: database, migrations, views, middleware, routes.
/// The executable and the tests both call this; the test app is the real app.
public func configure(_ app: Application, settings: AppSettings) throws {
    try settings.database.validate()
    _ = TaizhangMetrics.registry
    app.identityCache = Application.makeIdentityCache()
    app.setupCache = SetupCache()
    app.unreadReminderCounts = Application.makeUnreadReminderCounts()
    app.campaignCaches = CampaignCaches()
    app.redFlagCache = Application.makeRedFlagCache()
    app.ledgerTotals = Application.makeLedgerTotals()
    app.redFlagParts = RedFlagParts(maxBytes: settings.redFlagCacheBytes)
    app.settings = settings
    CalendarDay.fixToday(settings.today)
    app.databases.use(try settings.database.configurationFactory(logSQL: settings.logSQL, connectionWait: settings.connectionWait), as: settings.database.databaseID)
    TaizhangMigrations.register(on: app.migrations)

    app.views.use(.leaf)
    app.leaf.configuration.rootDirectory = WebResources.viewsDirectory
    // The bundle may sit under a hidden folder (.build), which Leaf's default limits refuse.
    app.leaf.sources = .singleSource(NIOLeafFiles(
        fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
        sandboxDirectory: WebResources.viewsDirectory, viewDirectory: WebResources.viewsDirectory))
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.leaf.tags["present"] = PresentTag()
    app.leaf.tags["options"] = OptionsTag()

    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes]
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)

    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .debug))
    app.middleware.use(SecurityHeadersMiddleware(strictTransportSecurity: settings.strictTransportSecurity))
    app.middleware.use(TaizhangErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: WebResources.publicDirectory))
    app.middleware.use(AccessMiddleware())
    app.middleware.use(UnreadReminderMiddleware())

    try routes(app)
}

/// Connects, switches SQLite to WAL and brings the schema up to date. A database that
/// cannot be reached becomes one clear line instead of a driver trace.
public func prepareDatabase(_ app: Application, settings: AppSettings) async throws {
    do {
        try await TaizhangStore.prepareDatabase(app.db)
        try await app.autoMigrate()
    } catch let error as any UserFacingError {
        throw error
    } catch {
        throw DatabaseSettings.Problem(message: describeConnectionFailure(error, settings: settings.database))
    }
}

private func describeConnectionFailure(_ error: any Error, settings: DatabaseSettings) -> String {
    switch settings {
    case .postgres:
        let detail: String
        if let psql = error as? PSQLError {
            detail = psql.serverInfo?[.message] ?? "\(psql.code)"
        } else {
            detail = String(describing: error)
        }
        return "无法连接 \(settings.summary)（\(detail)）：请确认服务器已启动、地址与口令正确"
    case .sqlite:
        return "无法打开数据库 \(settings.summary)（\(error)）：请确认文件完好且可写"
    }
}
