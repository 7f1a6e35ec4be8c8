import Foundation
import NIOCore
import Vapor

/// An answer read off the wire.
public struct HTTPAnswer: Sendable {
    public let status: HTTPStatus
    public let headers: HTTPHeaders
    public let body: Data
}

/// Sends one request to `app` over a real socket, as a browser or an API client would: the server
/// is started on a free port for the request and stopped after it.
///
/// Vapor's `.running` tester does the same but gives every answer 30 seconds. The whole suite runs
/// at once on two cores and two database servers, and in CI an answer behind hundreds of others took
/// longer than that (the assessment API on PostgreSQL, stop 26) without anything being wrong. No
/// test here asserts on time; `deadline` only keeps a request that truly never answers from holding
/// the run for ever.
public func sendOverHTTP(
    _ app: Application,
    _ method: HTTPMethod,
    _ path: String,
    headers: HTTPHeaders = [:],
    body: ByteBuffer? = nil,
    deadline: TimeAmount = .minutes(10)
) async throws -> HTTPAnswer {
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    do {
        guard let port = app.http.server.shared.localAddress?.port else {
            throw Abort(.internalServerError, reason: "the test server has no port")
        }
        let path = path.hasPrefix("/") ? path : "/" + path
        // Closed after the answer, so that stopping the server never waits on a kept-alive
        // connection in the client's pool.
        var headers = headers
        headers.replaceOrAdd(name: .connection, value: "close")
        let request = ClientRequest(method: method, url: URI(string: "http://127.0.0.1:\(port)\(path)"),
                                    headers: headers, body: body, timeout: deadline)
        let response = try await app.client.send(request)
        await app.server.shutdown()
        return HTTPAnswer(status: response.status, headers: response.headers,
                          body: response.body.map { Data(buffer: $0) } ?? Data())
    } catch {
        await app.server.shutdown()
        throw error
    }
}
