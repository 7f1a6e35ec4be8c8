import Foundation
import TaizhangCore
import Vapor

/// A stored file sent back as it was uploaded, its type from the bytes it was checked by, named in UTF-8.
enum FileResponse {
    static func make(bytes: Data, fileName: String, kind: DocumentFileKind, inline: Bool) -> Response {
        var headers = HTTPHeaders()
        let parts = kind.contentType.split(separator: "/").map(String.init)
        headers.contentType = HTTPMediaType(type: parts[0], subType: parts[1])
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        headers.replaceOrAdd(name: .contentDisposition,
                             value: "\(inline ? "inline" : "attachment"); filename=\"file.\(kind.fileExtension)\"; filename*=UTF-8''\(encoded)")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }
}
