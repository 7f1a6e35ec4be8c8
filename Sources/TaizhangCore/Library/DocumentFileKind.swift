import Foundation

/// The files the library and the demonstration evidence keep: PDF, Word (.docx) and Excel (.xlsx),
/// recognised from the bytes (a .docx and an .xlsx are ZIP packages whose parts name them), never
/// from the name, so a renamed file of another kind is refused. Evidence may also be a photo.
public enum DocumentFileKind: String, Sendable, Hashable, Codable, CaseIterable {
    case pdf, docx, xlsx, jpeg, png

    /// The library's default size limit per file; the server's is `AppSettings.libraryMaximumBytes`.
    public static let standardMaximumBytes = 20 * 1024 * 1024

    public static let documents: Set<DocumentFileKind> = [.pdf, .docx, .xlsx]
    public static let evidence: Set<DocumentFileKind> = [.pdf, .docx, .xlsx, .jpeg, .png]

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        }
    }

    public var label: String {
        switch self {
        case .pdf: "PDF"
        case .docx: "Word"
        case .xlsx: "Excel"
        case .jpeg: "JPEG"
        case .png: "PNG"
        }
    }

    public var fileExtension: String { rawValue == "jpeg" ? "jpg" : rawValue }

    /// The kind the bytes are, or nil.
    public init?(sniffing bytes: [UInt8]) {
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && Array(bytes[0..<prefix.count]) == prefix }
        if starts(Array("%PDF-".utf8)) { self = .pdf; return }
        if starts([0xFF, 0xD8, 0xFF]) { self = .jpeg; return }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png; return }
        // An Office Open XML package: a ZIP whose part names (stored uncompressed in its headers) include the main part.
        guard starts([0x50, 0x4B, 0x03, 0x04]), Self.contains(bytes, "[Content_Types].xml") else { return nil }
        if Self.contains(bytes, "word/document.xml") { self = .docx; return }
        if Self.contains(bytes, "xl/workbook.xml") { self = .xlsx; return }
        return nil
    }

    static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first, Array(bytes[index..<index + needle.count]) == needle { return true }
            index += 1
        }
        return false
    }

    /// Checks one uploaded file against the allowed kinds and the limit; the refusal names the file and what is wrong.
    public static func check(fileName: String, bytes: [UInt8], allowed: Set<DocumentFileKind>, maximumBytes: Int,
                             field: String = "文件") throws -> DocumentFileKind {
        guard !bytes.isEmpty else { throw InvalidInput(field: field, reason: "「\(fileName)」是空文件") }
        guard bytes.count <= maximumBytes else {
            throw InvalidInput(field: field, reason: "「\(fileName)」有 \(sizeText(bytes.count))，超过每个文件 \(sizeText(maximumBytes)) 的上限")
        }
        guard let kind = DocumentFileKind(sniffing: bytes), allowed.contains(kind) else {
            let names = allowed.sorted { $0.rawValue < $1.rawValue }.map(\.label).joined(separator: "、")
            throw InvalidInput(field: field, reason: "「\(fileName)」不是允许的文件类型（只收 \(names)；按文件内容判断，改扩展名无效）")
        }
        return kind
    }

    public static func sizeText(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? String(format: "%.1f MB", Double(bytes) / 1024 / 1024) : "\(max(1, bytes / 1024)) KB"
    }
}
