import Fluent
import SQLKit
import TaizhangStore
import Vapor

/// Health, metrics and the API description.
enum SystemController {
    struct Health: Content {
        var status: String
        var database: String
    }

    /// 200 when the database answers, 503 when it does not.
    static func health(_ req: Request) async throws -> Response {
        do {
            _ = try await req.db.sql.raw("SELECT 1 AS ok").first()
            return try await Health(status: "ok", database: "ok").encodeResponse(for: req)
        } catch {
            req.logger.error("health check failed: \(error)")
            return try await Health(status: "error", database: "unreachable").encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    static func openAPI(_ req: Request) async throws -> Response {
        let data = try Data(contentsOf: WebResources.openAPIDocumentURL)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
