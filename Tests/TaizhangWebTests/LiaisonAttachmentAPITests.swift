import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// Visit photos and scans through the JSON API: a multipart visit (the page form's fields) is
/// answered as documented, each file comes back byte for byte, and a file that is not an image
/// or PDF is refused by name with nothing written.
@Suite struct LiaisonAttachmentAPITests {
    static let boundary = "taizhang-test-boundary"

    static func multipart(_ fields: [(String, String)], files: [(name: String, bytes: [UInt8])]) -> ByteBuffer {
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"\(file.name)\"\r\n"
                             + "Content-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return body
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: ByteBuffer? = nil) async throws
        -> (HTTPStatus, Data, HTTPHeaders) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        if body != nil { headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)") }
        let answer = try await sendOverHTTP(app, method, path, headers: headers, body: body)
        return (answer.status, answer.body, answer.headers)
    }

    @Test(arguments: TestDatabase.all)
    func aVisitWithFilesThroughTheAPIComesBackByteForByte(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let cadre = try await APIClient.make(app, as: try await makeTestUser(app, "api-cadre", grants: [(.liaisonCadre, "350582101")]))
            var random = SeededGenerator(seed: 11)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &random) }
            let pdf = Array("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
            let fields = [("township", "350582101"), ("visitedOn", "2012-11-28"), ("visitors", "陈明"), ("met", "安海镇团委书记"),
                          ("findings", "两家企业尚未建团。"), ("problemTitle[]", "两家企业尚未建团"), ("problemResponsible[]", "安海镇团委书记"),
                          ("problemDeadline[]", "2012-12-05")]
            let (status, body, headers) = try await Self.send(app, .POST, "/api/v1/liaisons/visits", token: cadre.user.token,
                                                               body: Self.multipart(fields, files: [("现场照片.png", png), ("批复.pdf", pdf)]))
            #expect(status == .created, "\(String(decoding: body, as: UTF8.self))")
            try cadre.spec.validate(body: body, method: "POST", path: "/api/v1/liaisons/visits", status: 201)
            let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let visitID = try #require(json["id"] as? Int)
            let visit = try await VisitStore.require(visitID, in: .everywhere, on: app.db)
            #expect(headers.first(name: .location) == "/api/v1/liaisons/visits/\(visit.id)")
            #expect((json["attachments"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == visit.attachments.map(\.id))
            #expect(visit.attachments.map(\.fileName) == ["现场照片.png", "批复.pdf"] && visit.attachments.map(\.kind) == [.png, .pdf])
            #expect(try await SupervisionStore.items(of: "350582101", on: app.db).contains { $0.sourceRef == String(visit.id) && $0.source == .visit })

            for (attachment, bytes) in zip(visit.attachments, [png, pdf]) {
                let (fileStatus, fileBody, fileHeaders) = try await Self.send(
                    app, .GET, "/api/v1/liaisons/visits/\(visit.id)/files/\(attachment.id)", token: cadre.user.token)
                #expect(fileStatus == .ok)
                #expect(Array(fileBody) == bytes)
                #expect(fileHeaders.contentType?.serialize() == attachment.kind.contentType)
            }
            // Another county's cadre finds neither the visit nor its files.
            let other = try await makeTestUser(app, "api-other", grants: [(.liaisonCadre, "350583101")])
            let (hidden, hiddenBody, _) = try await Self.send(app, .GET, "/api/v1/liaisons/visits/\(visit.id)/files/\(visit.attachments[0].id)",
                                                              token: other.token)
            #expect(hidden == .notFound)
            try cadre.spec.validate(body: hiddenBody, method: "GET", path: "/api/v1/liaisons/visits/{visitID}/files/{attachmentID}", status: 404)

            // A text file named .png is refused by its name, and nothing is written.
            let visitsBefore = try await VisitStore.list(under: "35/3505/350582/350582101/", in: .everywhere, on: app.db).count
            let (refused, refusedBody, _) = try await Self.send(app, .POST, "/api/v1/liaisons/visits", token: cadre.user.token,
                                                                body: Self.multipart(Array(fields.prefix(5)), files: [("名单.png", Array("只是文字".utf8))]))
            #expect(refused == .badRequest)
            try cadre.spec.validate(body: refusedBody, method: "POST", path: "/api/v1/liaisons/visits", status: 400)
            #expect(errorMessage(refusedBody).contains("名单.png"))
            #expect(try await VisitStore.list(under: "35/3505/350582/350582101/", in: .everywhere, on: app.db).count == visitsBefore)
        }
    }
}
