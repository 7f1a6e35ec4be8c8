import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// Calls the API over real HTTP and checks each answer against the served OpenAPI document.
struct APIClient {
    let app: Application
    let spec: OpenAPIValidator
    let user: TestUser

    /// A client calling as `user`, or as a new system administrator.
    static func make(_ app: Application, as user: TestUser? = nil) async throws -> APIClient {
        let caller: TestUser
        if let user { caller = user } else { caller = try await makeTestUser(app) }
        var data = Data()
        try await app.testing().test(.GET, "/api/openapi.json") { res async throws in
            #expect(res.status == .ok)
            data = Data(buffer: res.body)
        }
        return APIClient(app: app, spec: try OpenAPIValidator(data: data), user: caller)
    }

    /// Sends the request and validates the answer against `template`'s schema for its status.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, template: String, json: String? = nil) async throws -> (HTTPStatus, Data, HTTPHeaders) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: user.token)
        if json != nil { headers.contentType = .json }
        let answer = try await sendOverHTTP(app, method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let result = (answer.status, answer.body, answer.headers)
        try spec.validate(body: result.1, method: method.rawValue, path: template, status: Int(result.0.code))
        return result
    }
}

func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
    try JSONDecoder().decode(T.self, from: data)
}

func errorMessage(_ data: Data) -> String {
    ((try? JSONSerialization.jsonObject(with: data)) as? [String: [String: Any]])?["error"]?["message"] as? String ?? ""
}

struct DivisionJSON: Decodable {
    var code: String
    var name: String
    var parentCode: String?
    var keyAreaTags: [String]
    var youthPopulation: Int?
    var townshipCount: Int?
}

struct DetailJSON: Decodable {
    var division: DivisionJSON
    var ancestors: [DivisionJSON]
    var children: [DivisionJSON]
}

@Suite struct DivisionAPITests {
    @Test(arguments: TestDatabase.all)
    func readsTheTreeAsDocumented(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let api = try await APIClient.make(app)
            let (status, body, _) = try await api.call(.GET, "/api/v1/divisions/3505", template: "/api/v1/divisions/{code}")
            #expect(status == .ok)
            let detail = try decode(DetailJSON.self, body)
            #expect(detail.division.townshipCount == 175)
            #expect(detail.ancestors.map(\.name) == ["福建省"])
            #expect(detail.children.count == 13)
            #expect(detail.children.first { $0.code == "3505Z01" }?.townshipCount == 4)
            #expect(detail.children.first { $0.code == "350521" }?.townshipCount == 16)

            let (_, roots, _) = try await api.call(.GET, "/api/v1/divisions", template: "/api/v1/divisions")
            #expect(String(decoding: roots, as: UTF8.self).contains("\"code\":\"3505\""))
            let (_, children, _) = try await api.call(.GET, "/api/v1/divisions?parent=3505Z01", template: "/api/v1/divisions")
            #expect(String(decoding: children, as: UTF8.self).contains("百崎回族乡"))
            let (_, found, _) = try await api.call(.GET, "/api/v1/divisions?q=%E9%99%88%E5%9F%AD", template: "/api/v1/divisions")
            #expect(String(decoding: found, as: UTF8.self).contains("350582103"))
            let (missing, _, _) = try await api.call(.GET, "/api/v1/divisions?parent=77", template: "/api/v1/divisions")
            #expect(missing == .notFound)
            try await api.call(.GET, "/healthz", template: "/healthz")
        }
    }

    @Test(arguments: TestDatabase.all)
    func writesAsDocumentedAndRefusesBadInputUnchanged(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let api = try await APIClient.make(app)

            let (created, zoneBody, headers) = try await api.call(.POST, "/api/v1/management-zones", template: "/api/v1/management-zones",
                json: #"{"cityCode":"3505","name":"泉州台商投资区","leagueCommitteeName":"泉州台商投资区团工委"}"#)
            #expect(created == .created)
            #expect(headers.first(name: .location) == "/api/v1/divisions/3505Z01")
            #expect(try decode(DivisionJSON.self, zoneBody).code == "3505Z01")

            let (duplicate, dupBody, _) = try await api.call(.POST, "/api/v1/management-zones", template: "/api/v1/management-zones",
                json: #"{"cityCode":"3505","name":"泉州台商投资区"}"#)
            #expect(duplicate == .conflict)
            #expect(errorMessage(dupBody).contains("已有「泉州台商投资区」"))

            let (missingField, missingBody, _) = try await api.call(.POST, "/api/v1/management-zones", template: "/api/v1/management-zones",
                json: #"{"cityCode":"3505"}"#)
            #expect(missingField == .badRequest)
            #expect(errorMessage(missingBody) == "字段 name：缺少此项")

            let (moved, movedBody, _) = try await api.call(.POST, "/api/v1/divisions/350521104/move", template: "/api/v1/divisions/{code}/move",
                json: #"{"toParentCode":"3505Z01","effectiveDate":"2012-10-08","reason":"管委会管理"}"#)
            #expect(moved == .ok)
            #expect(try decode(DivisionJSON.self, movedBody).parentCode == "3505Z01")

            let (badDate, badDateBody, _) = try await api.call(.POST, "/api/v1/divisions/350521105/move", template: "/api/v1/divisions/{code}/move",
                json: #"{"toParentCode":"3505Z01","effectiveDate":"2012-13-01"}"#)
            #expect(badDate == .badRequest)
            #expect(errorMessage(badDateBody).contains("effectiveDate"))
            #expect(try await DivisionQueries.require("350521105", on: app.db).parentCode == "350521")

            let (patched, patchedBody, _) = try await api.call(.PATCH, "/api/v1/divisions/350521104", template: "/api/v1/divisions/{code}",
                json: #"{"keyAreaTags":["developed"],"youthPopulation":5200}"#)
            #expect(patched == .ok)
            let township = try decode(DivisionJSON.self, patchedBody)
            #expect(township.keyAreaTags == ["developed"])
            #expect(township.youthPopulation == 5200)

            let (negative, negativeBody, _) = try await api.call(.PATCH, "/api/v1/divisions/350521104", template: "/api/v1/divisions/{code}",
                json: #"{"youthPopulation":-1}"#)
            #expect(negative == .badRequest)
            #expect(errorMessage(negativeBody).contains("青年人口"))
            let (wrongType, wrongTypeBody, _) = try await api.call(.PATCH, "/api/v1/divisions/350521104", template: "/api/v1/divisions/{code}",
                json: #"{"youthPopulation":"很多"}"#)
            #expect(wrongType == .badRequest)
            #expect(errorMessage(wrongTypeBody).contains("youthPopulation"))
            let (badTag, _, _) = try await api.call(.PATCH, "/api/v1/divisions/350521104", template: "/api/v1/divisions/{code}",
                json: #"{"keyAreaTags":["capital"]}"#)
            #expect(badTag == .badRequest)
            #expect(try await DivisionQueries.require("350521104", on: app.db).youthPopulation == 5200)

            let (notFound, _, _) = try await api.call(.PATCH, "/api/v1/divisions/123", template: "/api/v1/divisions/{code}", json: "{}")
            #expect(notFound == .notFound)
        }
    }

    /// The document describes exactly the API the server registers.
    @Test func openAPIDocumentMatchesTheRegisteredRoutes() async throws {
        try await withTestApp(.sqlite) { app async throws in
            let api = try await APIClient.make(app)
            let registered = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .parameter(let name): "{\(name)}"
                    default: component.description
                    }
                }.joined(separator: "/")
                guard path.hasPrefix("/api/v1/") || path == "/healthz" else { return nil }
                return "\(route.method.rawValue) \(path)"
            })
            #expect(registered == api.spec.operations)
        }
    }
}
