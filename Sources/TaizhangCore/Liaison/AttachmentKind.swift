import Foundation

/// The files a visit may carry (photos and scans): recognised by their first bytes, not by the
/// name the phone gave them, so a renamed file of another kind is refused.
public enum AttachmentKind: String, Sendable, Hashable, Codable, CaseIterable {
    case jpeg, png, gif, webp, pdf

    /// At most 5 MB per file and 10 files per visit; stored in the database, so every app instance sees them.
    public static let maximumBytes = 5 * 1024 * 1024
    public static let maximumFiles = 10

    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .pdf: "application/pdf"
        }
    }

    public var isImage: Bool { self != .pdf }

    /// The kind the bytes start like, or nil.
    public init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(12))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + prefix.count && Array(head[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { self = .jpeg }
        else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png }
        else if starts(Array("GIF8".utf8)) { self = .gif }
        else if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { self = .webp }
        else if starts(Array("%PDF-".utf8)) { self = .pdf }
        else { return nil }
    }

    /// Checks one uploaded file; the refusal names the file and the limit.
    public static func check(fileName: String, bytes: some Collection<UInt8>) throws -> AttachmentKind {
        guard !bytes.isEmpty else { throw InvalidInput(field: "附件", reason: "「\(fileName)」是空文件") }
        guard bytes.count <= maximumBytes else {
            throw InvalidInput(field: "附件", reason: "「\(fileName)」有 \(sizeText(bytes.count))，超过每个文件 5 MB 的上限；请压缩照片后再上传")
        }
        guard let kind = AttachmentKind(sniffing: bytes) else {
            throw InvalidInput(field: "附件", reason: "「\(fileName)」不是图片（JPEG、PNG、GIF、WebP）或 PDF 文件")
        }
        return kind
    }

    public static func sizeText(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? String(format: "%.1f MB", Double(bytes) / 1024 / 1024) : "\(max(1, bytes / 1024)) KB"
    }
}
