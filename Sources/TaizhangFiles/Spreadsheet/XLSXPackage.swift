import Foundation
import ZIPFoundation

/// An opened XLSX container: finds the parts of the first worksheet and streams them out of
/// the ZIP with size accounting. Not Sendable (wraps a ZIPFoundation `Archive`); lives for one read.
final class XLSXPackage {
    /// Where the first worksheet and its shared strings live inside the package.
    struct Parts: Equatable {
        var sheet: String
        var sharedStrings: String?
    }

    private let archive: Archive
    private let entries: [String: Entry]
    private let limits: XLSXLimits

    /// Opens a package file.
    convenience init(url: URL, limits: XLSXLimits) throws {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw SpreadsheetError.corruptXLSX
        }
        self.init(archive: archive, limits: limits)
    }

    /// Opens a package held in memory.
    convenience init(data: Data, limits: XLSXLimits) throws {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw SpreadsheetError.corruptXLSX
        }
        self.init(archive: archive, limits: limits)
    }

    private init(archive: Archive, limits: XLSXLimits) {
        var entries: [String: Entry] = [:]
        for entry in archive where entry.type == .file {
            let path = entry.path.hasPrefix("/") ? String(entry.path.dropFirst()) : entry.path
            if entries[path] == nil { entries[path] = entry }
        }
        self.archive = archive
        self.entries = entries
        self.limits = limits
    }

    /// Locates the first worksheet through the package and workbook relationships.
    func locateParts() throws -> Parts {
        let workbookPath = try officeDocumentPath()
        if workbookPath?.hasSuffix(".bin") == true { throw SpreadsheetError.binaryWorkbook }
        guard let workbookPath, entries[workbookPath] != nil else {
            if entries["xl/workbook.bin"] != nil { throw SpreadsheetError.binaryWorkbook }
            if entries["content.xml"] != nil || entries["mimetype"] != nil {
                throw SpreadsheetError.openDocumentSpreadsheet
            }
            if entries.isEmpty { throw SpreadsheetError.corruptXLSX }
            throw SpreadsheetError.notAWorkbook
        }
        let folder = Self.folder(of: workbookPath)
        let relsPath = folder + "_rels/" + Self.fileName(of: workbookPath) + ".rels"
        var relationships: [String: (type: String, target: String)] = [:]
        var sharedStrings: String?
        if entries[relsPath] != nil {
            var handler = RelationshipsHandler()
            try XMLChunkScanner.scanDocument(readSmallPart(relsPath), into: &handler)
            for rel in handler.relationships {
                let target = Self.resolve(rel.target, against: folder)
                relationships[rel.id] = (rel.type, target)
                if rel.type.hasSuffix("/sharedStrings"), sharedStrings == nil { sharedStrings = target }
            }
        }
        var workbook = WorkbookHandler()
        try XMLChunkScanner.scanDocument(readSmallPart(workbookPath), into: &workbook)
        var sheet: String?
        for id in workbook.sheetRelationshipIDs {
            if let rel = relationships[id], rel.type.hasSuffix("/worksheet"), entries[rel.target] != nil {
                sheet = rel.target
                break
            }
        }
        if sheet == nil, entries[folder + "worksheets/sheet1.xml"] != nil { sheet = folder + "worksheets/sheet1.xml" }
        if sharedStrings == nil, entries[folder + "sharedStrings.xml"] != nil { sharedStrings = folder + "sharedStrings.xml" }
        guard let sheet else { throw SpreadsheetError.notAWorkbook }
        return Parts(sheet: sheet, sharedStrings: sharedStrings.flatMap { entries[$0] == nil ? nil : $0 })
    }

    /// The workbook part named by `_rels/.rels`, else `xl/workbook.xml`.
    private func officeDocumentPath() throws -> String? {
        if entries["_rels/.rels"] != nil {
            var handler = RelationshipsHandler()
            try XMLChunkScanner.scanDocument(readSmallPart("_rels/.rels"), into: &handler)
            if let rel = handler.relationships.first(where: { $0.type.hasSuffix("/officeDocument") }) {
                let path = Self.resolve(rel.target, against: "")
                if entries[path] != nil { return path }
            }
        }
        return entries["xl/workbook.xml"] != nil ? "xl/workbook.xml" : nil
    }

    /// Reads a small part (workbook, relationships) into memory.
    func readSmallPart(_ path: String) throws -> Data {
        var data = Data()
        try stream(path, limit: limits.maxSmallPartBytes, partName: "工作簿目录") { data.append($0) }
        return data
    }

    /// Streams a part's unpacked bytes to `consumer`, refusing it past `limit` bytes or an
    /// implausible compression ratio. Errors thrown by `consumer` pass through unchanged;
    /// any failure of the ZIP itself becomes `SpreadsheetError.corruptXLSX`.
    func stream(_ path: String, limit: Int64, partName: String, consumer: (Data) throws -> Void) throws {
        guard let entry = entries[path] else { throw SpreadsheetError.corruptXLSX }
        let tooLarge = SpreadsheetError.partTooLarge(part: partName, limitBytes: limit)
        let declared = Int64(clamping: entry.uncompressedSize)
        let packed = max(Int64(clamping: entry.compressedSize), 1)
        let ratioCap = packed.multipliedReportingOverflow(by: limits.maxCompressionRatio)
        let maxByRatio = ratioCap.overflow ? Int64.max : ratioCap.partialValue
        func exceeds(_ size: Int64) -> Bool {
            size > limit || (size > limits.compressionRatioFloorBytes && size > maxByRatio)
        }
        if exceeds(declared) { throw tooLarge }
        var produced: Int64 = 0
        var checksum = CRC32Checksum()
        do {
            _ = try archive.extract(entry, bufferSize: 256 << 10, skipCRC32: true) { chunk in
                produced += Int64(chunk.count)
                if exceeds(produced) { throw Passthrough(error: tooLarge) }
                chunk.withUnsafeBytes { checksum.update($0) }
                do { try consumer(chunk) } catch { throw Passthrough(error: error) }
            }
        } catch let passthrough as Passthrough {
            throw passthrough.error
        } catch {
            throw SpreadsheetError.corruptXLSX
        }
        if checksum.value != entry.checksum || produced != declared {
            throw SpreadsheetError.corruptXLSX
        }
    }

    private struct Passthrough: Error {
        var error: any Error
    }

    // MARK: - Paths

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    private static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Resolves a relationship target: absolute ("/xl/…") from the root, otherwise relative
    /// to `folder`, with "." and ".." segments removed.
    static func resolve(_ target: String, against folder: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : folder + target
        var parts: [Substring] = []
        for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { _ = parts.popLast(); continue }
            parts.append(segment)
        }
        return parts.joined(separator: "/")
    }
}

/// Collects `<Relationship Id Type Target>` elements of a `.rels` part.
private struct RelationshipsHandler: XMLTokenHandler {
    var relationships: [(id: String, type: String, target: String)] = []

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        guard name.equals("Relationship"),
              let id = XMLText.attributeString("Id", in: attributes),
              let target = XMLText.attributeString("Target", in: attributes) else { return }
        if XMLText.attributeString("TargetMode", in: attributes) == "External" { return }
        relationships.append((id, XMLText.attributeString("Type", in: attributes) ?? "", target))
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {}
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {}
    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws {}
}

/// Collects the relationship ids of `<sheet>` elements in workbook order.
private struct WorkbookHandler: XMLTokenHandler {
    var sheetRelationshipIDs: [String] = []

    mutating func startElement(_ name: UnsafeBufferPointer<UInt8>, attributes: UnsafeBufferPointer<UInt8>) throws {
        guard name.equals("sheet"), let id = XMLText.attributeString("id", in: attributes) else { return }
        sheetRelationshipIDs.append(id)
    }

    mutating func endElement(_ name: UnsafeBufferPointer<UInt8>) throws {}
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {}
    mutating func cdata(_ bytes: UnsafeBufferPointer<UInt8>) throws {}
}
