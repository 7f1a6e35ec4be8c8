import Foundation
import Vapor

/// A document written to a temporary file, sent as an attachment under its Chinese name (with an
/// ASCII name for old clients), and deleted once sent: the bulletins' and spot-check reports' files.
enum TemporaryFileDownload {
    static let docx = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.wordprocessingml.document")
    static let xlsx = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    static func respond(_ req: Request, contentType: HTTPMediaType, asciiName: String, name: String,
                        write: (URL) throws -> Void) async throws -> Response {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-download-\(UUID().uuidString)")
        try write(url)
        let response = try await req.fileio.asyncStreamFile(at: url.path) { _ in try? FileManager.default.removeItem(at: url) }
        response.headers.contentType = contentType
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? asciiName
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(asciiName)\"; filename*=UTF-8''\(encoded)")
        return response
    }
}
