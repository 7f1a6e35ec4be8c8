import TaizhangCore
import Vapor

/// Turns every error into an answer a cadre can act on: JSON `{"error": {...}}` under
/// /api, an error page everywhere else. Unexpected errors are logged and shown without
/// internals.
struct TaizhangErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let problem = ErrorPresentation(error)
            if problem.status == .internalServerError {
                request.logger.report(error: error)
            }
            if request.url.path.hasPrefix("/api/") || request.headers.accept.mediaTypes.first == .json {
                let response = Response(status: problem.status)
                try response.content.encode(APIErrorBody(error: .init(status: Int(problem.status.code), message: problem.message)))
                return response
            }
            let page = ErrorPage(layout: LayoutContext(title: problem.title, area: nil, request: request),
                                 status: Int(problem.status.code), heading: problem.title, message: problem.message)
            do {
                let response = try await request.view.render("error", page).encodeResponse(for: request)
                response.status = problem.status
                return response
            } catch {
                request.logger.report(error: error)
                return Response(status: problem.status, headers: ["Content-Type": "text/plain; charset=utf-8"],
                                body: .init(string: "\(problem.title)：\(problem.message)"))
            }
        }
    }
}

struct APIErrorBody: Content {
    struct Detail: Content {
        var status: Int
        var message: String
    }
    var error: Detail
}

struct ErrorPage: Encodable {
    var layout: LayoutContext
    var status: Int
    var heading: String
    var message: String
}

/// The status, title and message shown for an error.
struct ErrorPresentation {
    var status: HTTPResponseStatus
    var title: String
    var message: String

    init(_ error: any Error) {
        switch error {
        case let error as any UserFacingError:
            status = switch error.kind {
            case .invalidInput: .badRequest
            case .notFound: .notFound
            case .conflict: .conflict
            case .forbidden: .forbidden
            case .unauthorized: .unauthorized
            }
            message = error.message
        case let error as DecodingError:
            status = .badRequest
            message = Self.describe(error)
        case let error as any AbortError where error.status == .unsupportedMediaType:
            // An empty body or one without a content type is bad input like any other (the API
            // documents 400 for it), not a different kind of answer.
            status = .badRequest
            message = "请求体为空或内容类型不对：请以 JSON（Content-Type: application/json）或表单提交"
        case let error as any AbortError where error.status.code < 500:
            status = error.status
            message = switch error.status {
            case .notFound: "找不到这个页面或记录"
            case .methodNotAllowed: "不支持这种请求方式"
            case .payloadTooLarge: "提交的内容太大"
            default: error.reason
            }
        default:
            status = .internalServerError
            message = "服务器内部错误，已记录；请稍后再试或联系管理员"
        }
        title = switch status {
        case .badRequest: "提交的内容有误"
        case .notFound: "找不到"
        case .conflict: "与现有数据冲突"
        case .forbidden: "没有权限"
        case .unauthorized: "需要登录"
        case .internalServerError: "服务器出错"
        default: "无法完成请求"
        }
    }

    /// Names the field the request got wrong, in the words a cadre reads.
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            let names = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "请求内容" : "字段 \(names.joined(separator: "."))"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key]))：缺少此项"
        case .valueNotFound(_, let context):
            return "\(field(context.codingPath))：不能为空"
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath))：类型不对，应为\(describe(type))"
        case .dataCorrupted(let context):
            // Foundation's JSONDecoder on Linux reports a number that does not fit its field (2.5 or
            // 1e30 for an integer) as invalid JSON without naming the field; the message says it may be either.
            let reason = context.debugDescription.contains("JSON")
                ? "不是有效的 JSON，或其中有数字不合要求（应为整数的写了小数，或超出范围）" : context.debugDescription
            return "\(field(context.codingPath))：\(reason)"
        @unknown default:
            return "请求内容无法解析"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int?.Type: "整数"
        case is String.Type, is String?.Type: "文字"
        case is Bool.Type, is Bool?.Type: "是/否（true 或 false）"
        // A keyed container (a Dictionary is a Collection too): the JSON object {…}, not a list.
        case is [String: Any].Type: "对象（{…}）"
        case is any Collection.Type: "列表"
        default: "\(type)"
        }
    }
}
