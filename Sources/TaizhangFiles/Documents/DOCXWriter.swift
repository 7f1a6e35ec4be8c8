import Foundation
import ZIPFoundation

/// Writes a `DOCXDocument` as a Word .docx file (WordprocessingML), built in memory: the
/// documents it is for (bulletins, reports) are a few pages long.
public enum DOCXWriter {
    /// The bytes of the .docx file. `created` is recorded in the file's properties.
    public static func data(of document: DOCXDocument, created: Date = Date()) throws -> Data {
        let body = try DOCXDocumentXML.document(document)
        let archive = try Archive(data: Data(), accessMode: .create)
        let footer = document.pageNumbers
        try add("[Content_Types].xml", DOCXPackageParts.contentTypes(footer: footer), to: archive)
        try add("_rels/.rels", DOCXPackageParts.rootRelationships, to: archive)
        try add("docProps/app.xml", DOCXPackageParts.app, to: archive)
        try add("docProps/core.xml", DOCXPackageParts.core(title: document.title, created: created), to: archive)
        try add("word/document.xml", body, to: archive)
        try add("word/_rels/document.xml.rels", DOCXPackageParts.documentRelationships(footer: footer), to: archive)
        try add("word/styles.xml", DOCXPackageParts.styles(bodyFont: document.bodyFont, bodySize: document.bodySize), to: archive)
        try add("word/settings.xml", DOCXPackageParts.settings, to: archive)
        try add("word/fontTable.xml", DOCXPackageParts.fontTable(DOCXDocumentXML.fonts(of: document)), to: archive)
        if footer { try add("word/footer1.xml", DOCXPackageParts.footer, to: archive) }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// Writes the .docx file to `url`, replacing any file there.
    public static func write(_ document: DOCXDocument, to url: URL, created: Date = Date()) throws {
        try data(of: document, created: created).write(to: url, options: .atomic)
    }

    private static func add(_ path: String, _ text: String, to archive: Archive) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate) { position, size in
            let start = Int(position)
            return data.subdata(in: start..<min(start + size, data.count))
        }
    }
}

/// A document the writer cannot lay out: a mistake in the code that built it, not in user input.
public enum DOCXError: Error, Equatable, CustomStringConvertible {
    /// The table at block `block` (counting from 1) has no columns.
    case tableWithoutColumns(block: Int)
    /// Row `row` of the table at block `block` has more cells than the table has columns.
    case rowWiderThanTable(block: Int, row: Int, cells: Int, columns: Int)

    public var description: String {
        switch self {
        case let .tableWithoutColumns(block):
            "文档第 \(block) 块的表格没有列"
        case let .rowWiderThanTable(block, row, cells, columns):
            "文档第 \(block) 块的表格第 \(row) 行有 \(cells) 格，多于 \(columns) 列"
        }
    }
}
