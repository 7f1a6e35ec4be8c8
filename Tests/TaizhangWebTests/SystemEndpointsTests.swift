import Foundation
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

@Suite struct SystemEndpointsTests {
    @Test(arguments: TestDatabase.all)
    func healthReportsTheDatabase(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            let answer = try await sendOverHTTP(app, .GET, "/healthz")
            #expect(answer.status == .ok)
            let health = try JSONDecoder().decode([String: String].self, from: answer.body)
            #expect(health == ["status": "ok", "database": "ok"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func metricsCountRequestsByRoute(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            try await app.testing().test(.GET, "/healthz") { _ in }
            try await app.testing().test(.GET, "/metrics") { res async throws in
                #expect(res.status == .ok)
                let text = res.body.string
                #expect(text.contains("# TYPE http_requests_total counter"))
                #expect(text.contains("path=\"/healthz\""))
                #expect(text.contains("http_request_duration_seconds_bucket"))
            }
        }
    }

    @Test func staticStylesheetIsServed() async throws {
        try await withTestApp(.sqlite) { app async throws in
            try await app.testing().test(.GET, "/app.css") { res async throws in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("@media print"))
            }
        }
    }
}
