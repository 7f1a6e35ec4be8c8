import Foundation
@testable import TaizhangFiles
import Testing
import ZIPFoundation
@testable import TaizhangCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a reader of `word/document.xml` sees: whether it parsed, and its tables and text.
private final class WordBodyReader: NSObject, XMLParserDelegate {
    var elementCounts: [String: Int] = [:]
    /// Cells per table row, in order.
    var rowWidths: [Int] = []
    /// The text of each paragraph, `<w:br/>` read as "\n".
    var paragraphs: [String] = []
    private var inText = false

    static func read(_ data: Data) -> WordBodyReader? {
        let reader = WordBodyReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        return parser.parse() ? reader : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elementCounts[name, default: 0] += 1
        switch name {
        case "w:p": paragraphs.append("")
        case "w:tr": rowWidths.append(0)
        case "w:tc": rowWidths[rowWidths.count - 1] += 1
        case "w:t": inText = true
        case "w:br" where attributes["w:type"] == nil: paragraphs[paragraphs.count - 1] += "\n"
        case "w:tab": paragraphs[paragraphs.count - 1] += "\t"
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "w:t" { inText = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { paragraphs[paragraphs.count - 1] += string }
    }
}

/// A bulletin's first page: title, heading, body text that needs escaping, and a ranking table.
private func bulletin() -> DOCXDocument {
    var table = DOCXTable(columns: [
        .init("序号", width: 900),
        .init("县（市、区）", width: 3000, alignment: .left),
        .init("新建团组织数", width: 2000, alignment: .right),
    ])
    table.appendRow(["1", "晋江市 <A&B>", "1,204"])
    table.rows.append(["2", DOCXCell("南安市\n（含管委会）", alignment: .center)])
    table.appendRow(["", "合计", "1,204"], bold: true)
    return DOCXDocument(title: "关于乡镇直属团组织建设进展情况的通报", blocks: [
        .paragraph(.title("关于乡镇直属团组织建设进展情况的通报")),
        .paragraph(.heading("一、总体进展")),
        .paragraph(.body(#"截至12月2日，全市新建 A&B <公司> "引号" 'x' 团支部。"#)),
        .paragraph(DOCXParagraph([DOCXRun("第一行\r\n第二行\t制表", bold: true), DOCXRun("控制\u{1}字符")], alignment: .right)),
        .table(table),
        .pageBreak,
        .paragraph(DOCXParagraph("共青团泉州市委", alignment: .right, spaceBefore: 560)),
    ])
}

private func entries(of data: Data) throws -> [String: Data] {
    let archive = try Archive(data: data, accessMode: .read)
    var parts: [String: Data] = [:]
    for entry in archive {
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        parts[entry.path] = bytes
    }
    return parts
}

@Suite struct DOCXWriterTests {
    @Test func writesEveryPartWordNeedsAsWellFormedXML() throws {
        let parts = try entries(of: DOCXWriter.data(of: bulletin()))
        for path in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
                     "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml",
                     "word/settings.xml", "word/fontTable.xml", "word/footer1.xml"] {
            let part = try #require(parts[path], "missing \(path)")
            #expect(XMLParser(data: part).parse(), "\(path) is not well-formed")
        }
        let types = String(decoding: parts["[Content_Types].xml"]!, as: UTF8.self)
        #expect(types.contains("wordprocessingml.document.main+xml"))
        let core = String(decoding: parts["docProps/core.xml"]!, as: UTF8.self)
        #expect(core.contains("<dc:title>关于乡镇直属团组织建设进展情况的通报</dc:title>"))
    }

    @Test func textIsEscapedAndReadsBackAsWritten() throws {
        let parts = try entries(of: DOCXWriter.data(of: bulletin()))
        let xml = try #require(parts["word/document.xml"])
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("A&amp;B &lt;公司&gt;"))
        let body = try #require(WordBodyReader.read(xml))
        #expect(body.paragraphs.contains(#"截至12月2日，全市新建 A&B <公司> "引号" 'x' 团支部。"#))
        #expect(body.paragraphs.contains("第一行\n第二行\t制表控制字符"))
        #expect(body.paragraphs.contains("晋江市 <A&B>"))
        #expect(body.paragraphs.contains("南安市\n（含管委会）"))
        #expect(body.elementCounts["w:br"] == 3) // two line breaks and the page break
    }

    @Test func tableHasAHeaderRowAndACellPerColumnInEveryRow() throws {
        let parts = try entries(of: DOCXWriter.data(of: bulletin()))
        let body = try #require(WordBodyReader.read(parts["word/document.xml"]!))
        #expect(body.elementCounts["w:tbl"] == 1)
        #expect(body.rowWidths == [3, 3, 3, 3])
        #expect(body.elementCounts["w:tblHeader"] == 1)
        #expect(body.elementCounts["w:gridCol"] == 3)
        #expect(body.paragraphs.contains("县（市、区）"))
    }

    @Test func pagesAreA4WithOfficialDocumentMargins() throws {
        let parts = try entries(of: DOCXWriter.data(of: bulletin()))
        let text = String(decoding: parts["word/document.xml"]!, as: UTF8.self)
        #expect(text.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#))
        #expect(text.contains(#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#))
        #expect(DOCXPageLayout.officialA4.textWidth == 8845)
        let fonts = String(decoding: parts["word/fontTable.xml"]!, as: UTF8.self)
        #expect(fonts.contains(#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#))
        #expect(fonts.contains(#"w:name="方正小标宋简体""#))
    }

    @Test func withoutPageNumbersThereIsNoFooter() throws {
        var document = bulletin()
        document.pageNumbers = false
        let parts = try entries(of: DOCXWriter.data(of: document))
        #expect(parts["word/footer1.xml"] == nil)
        #expect(!String(decoding: parts["[Content_Types].xml"]!, as: UTF8.self).contains("footer"))
        #expect(!String(decoding: parts["word/document.xml"]!, as: UTF8.self).contains("footerReference"))
    }

    @Test func anEmptyDocumentStillHasABody() throws {
        let parts = try entries(of: DOCXWriter.data(of: DOCXDocument()))
        let body = try #require(WordBodyReader.read(parts["word/document.xml"]!))
        #expect(body.elementCounts["w:p"] == 1)
    }

    @Test func refusesARowWiderThanItsTable() {
        let table = DOCXTable(columns: [.init("序号", width: 900)], rows: [["1"], ["2", "多余"]])
        let document = DOCXDocument(blocks: [.paragraph(.body("前言")), .table(table)])
        #expect(throws: DOCXError.rowWiderThanTable(block: 2, row: 2, cells: 2, columns: 1)) {
            try DOCXWriter.data(of: document)
        }
        #expect(throws: DOCXError.tableWithoutColumns(block: 1)) {
            try DOCXWriter.data(of: DOCXDocument(blocks: [.table(DOCXTable(columns: []))]))
        }
    }

    @Test func writesTheSameFileToDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("通报-\(UUID().uuidString).docx")
        defer { try? FileManager.default.removeItem(at: url) }
        let created = Date(timeIntervalSince1970: 1_354_435_200)
        try DOCXWriter.write(bulletin(), to: url, created: created)
        let parts = try entries(of: Data(contentsOf: url))
        #expect(parts.count == 10)
        #expect(String(decoding: parts["docProps/core.xml"]!, as: UTF8.self).contains("2012-12-02T08:00:00Z"))
    }
}
