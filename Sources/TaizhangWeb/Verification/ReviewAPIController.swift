import Foundation
import TaizhangCore
import TaizhangStore
import Vapor

/// `/api/v1/review-queue` and `/api/v1/sign-offs`: the verifier's queue, confirming and
/// returning records, and the city's sign-offs — the same rules as the pages.
enum ReviewAPIController {
    struct QueueItemJSON: Content {
        var code: String
        var name: String
        var townshipCode: String
        var stage: Stage
        var foundedOn: String?
        var reviewState: ReviewState
        var returnReason: String?
    }

    struct QueueJSON: Content {
        var level: ReviewLevel
        var state: ReviewState
        var total: Int
        var items: [QueueItemJSON]
        /// Pass as `after` for the next page; absent on the last.
        var next: String?
    }

    struct QueueParams: Content {
        var level: String?
        var state: String?
        var township: String?
        var after: String?
        var limit: Int?
    }

    static func queue(_ req: Request) async throws -> QueueJSON {
        let params = try req.query.decode(QueueParams.self)
        let queue = try ReviewController.QueueRequest(req, level: params.level, state: params.state, township: params.township)
        let limit = params.limit ?? 100
        guard (1...1000).contains(limit) else { throw Refusal("limit：须在 1 到 1000 之间，收到 \(limit)", field: "limit") }
        var rows = try await ReviewQueue.page(queue.filter, after: params.after, limit: limit + 1, on: req.db)
        let more = rows.count > limit
        rows = Array(rows.prefix(limit))
        return QueueJSON(level: queue.level, state: queue.state, total: try await queue.townshipCounts(on: req.db).total,
                         items: rows.map { QueueItemJSON(code: $0.code, name: $0.fields.name, townshipCode: $0.fields.townshipCode,
                                                         stage: $0.fields.stage, foundedOn: $0.fields.foundedOn?.description,
                                                         reviewState: $0.review.state, returnReason: $0.review.reason) },
                         next: more ? rows.last?.code : nil)
    }

    struct ActionJSON: Content {
        var level: String?
        var codes: [String]
        var reason: String?
    }

    static func confirm(_ req: Request) async throws -> ReviewStore.Outcome {
        let body = try req.content.decode(ActionJSON.self)
        let queue = try ReviewController.QueueRequest(req, level: body.level, state: nil, township: nil)
        guard queue.canAct else { throw Refusal("您没有\(queue.level.label)的权限", kind: .forbidden) }
        return try await ReviewStore.confirm(body.codes, at: queue.level, scope: queue.reviewScope, by: req.actor, on: req.db)
    }

    static func returnRecords(_ req: Request) async throws -> ReviewStore.Outcome {
        let body = try req.content.decode(ActionJSON.self)
        let queue = try ReviewController.QueueRequest(req, level: body.level, state: nil, township: nil)
        guard queue.canAct else { throw Refusal("您没有\(queue.level.label)的权限", kind: .forbidden) }
        return try await ReviewStore.returnRecords(body.codes, at: queue.level, reason: body.reason ?? "", scope: queue.reviewScope,
                                                   by: req.actor, on: req.db)
    }

    struct SignOffListJSON: Content {
        var items: [SignOffStore.SignOff]
    }

    static func signOffs(_ req: Request) async throws -> SignOffListJSON {
        SignOffListJSON(items: try await SignOffStore.list(scope: try req.scope(for: .view), on: req.db))
    }

    static func signOff(_ req: Request) async throws -> SignOffStore.SignOff {
        try await SignOffStore.find(try SignOffController.signOffID(req), scope: try req.scope(for: .view), on: req.db)
    }

    struct SignOffJSON: Content {
        var county: String
        var asOf: String
    }

    static func createSignOff(_ req: Request) async throws -> Response {
        let body = try req.content.decode(SignOffJSON.self)
        let scope = try req.requireUser().policy.reviewScope(.city)
        guard !scope.isEmpty else { throw Refusal("您没有市级签字确认的权限：签字确认须由市级核查人员进行", kind: .forbidden) }
        guard let asOf = CalendarDay(iso: body.asOf) else {
            throw Refusal("asOf：「\(body.asOf)」不是日期，请按 2012-12-15 的格式填写", field: "asOf")
        }
        let signOff = try await SignOffStore.signOff(county: body.county, asOf: asOf, scope: scope, by: req.actor, on: req.db)
        let response = try await signOff.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.signOff(.value(signOff.id)).path)
        return response
    }

    struct ReopenJSON: Content {
        var reason: String
    }

    static func reopen(_ req: Request) async throws -> SignOffStore.SignOff {
        let body = try req.content.decode(ReopenJSON.self)
        let scope = try req.requireUser().policy.reviewScope(.city)
        guard !scope.isEmpty else { throw Refusal("您没有撤销签字确认的权限：须由市级核查人员进行", kind: .forbidden) }
        return try await SignOffStore.reopen(try SignOffController.signOffID(req), reason: body.reason, scope: scope, by: req.actor, on: req.db)
    }
}

extension ReviewStore.Outcome: Content {}
extension SignOffStore.SignOff: Content {}
