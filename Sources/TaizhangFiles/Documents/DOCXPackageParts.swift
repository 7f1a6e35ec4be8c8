import Foundation

/// The parts of a .docx file around its body: content types, relationships, styles,
/// settings, font table, footer and properties.
enum DOCXPackageParts {
    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    /// The relationship id of the footer in `document.xml`.
    static let footerRelationship = "rIdFooter"

    static func contentTypes(footer: Bool) -> String {
        let wordML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
        return header + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="\(wordML).document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="\(wordML).styles+xml"/>\
        <Override PartName="/word/settings.xml" ContentType="\(wordML).settings+xml"/>\
        <Override PartName="/word/fontTable.xml" ContentType="\(wordML).fontTable+xml"/>\
        \(footer ? #"<Override PartName="/word/footer1.xml" ContentType="\#(wordML).footer+xml"/>"# : "")\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
        </Types>
        """
    }

    static let rootRelationships = header + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="\(relationshipNamespace)/officeDocument" Target="word/document.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
    <Relationship Id="rId3" Type="\(relationshipNamespace)/extended-properties" Target="docProps/app.xml"/>\
    </Relationships>
    """

    static func documentRelationships(footer: Bool) -> String {
        header + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="\(relationshipNamespace)/styles" Target="styles.xml"/>\
        <Relationship Id="rId2" Type="\(relationshipNamespace)/settings" Target="settings.xml"/>\
        <Relationship Id="rId3" Type="\(relationshipNamespace)/fontTable" Target="fontTable.xml"/>\
        \(footer ? #"<Relationship Id="\#(footerRelationship)" Type="\#(relationshipNamespace)/footer" Target="footer1.xml"/>"# : "")\
        </Relationships>
        """
    }

    /// The document defaults (body font and size, Chinese language) and the built-in styles
    /// Word expects to find.
    static func styles(bodyFont: DOCXFont, bodySize: Int) -> String {
        header + """
        <w:styles xmlns:w="\(mainNamespace)">\
        <w:docDefaults><w:rPrDefault><w:rPr>\(DOCXDocumentXML.runFonts(bodyFont))\
        <w:kern w:val="2"/><w:sz w:val="\(bodySize)"/><w:szCs w:val="\(bodySize)"/>\
        <w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>\
        <w:pPrDefault><w:pPr><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>\
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>\
        <w:pPr><w:widowControl w:val="0"/></w:pPr></w:style>\
        <w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">\
        <w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\
        <w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>\
        <w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>\
        <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>\
        <w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>\
        <w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>\
        <w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\
        </w:styles>
        """
    }

    /// Word 2013+ layout (no "compatibility mode"), Chinese punctuation compressed at line ends.
    static let settings = header + """
    <w:settings xmlns:w="\(mainNamespace)">\
    <w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>\
    <w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>\
    </w:settings>
    """

    /// Every font the document names, Chinese ones with their fallback as alternate name and
    /// the GB2312 character set, so a reader without them picks a Chinese font of the same kind.
    static func fontTable(_ fonts: [DOCXFont]) -> String {
        var entries: [String] = []
        var seen: Set<String> = []
        for font in fonts where seen.insert(font.eastAsian).inserted {
            let alternate = font.fallback.map { #"<w:altName w:val="\#(XMLWriting.escapedAttribute($0))"/>"# } ?? ""
            entries.append(#"<w:font w:name="\#(XMLWriting.escapedAttribute(font.eastAsian))">\#(alternate)"#
                + #"<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#)
        }
        for font in fonts where seen.insert(font.latin).inserted {
            entries.append(#"<w:font w:name="\#(XMLWriting.escapedAttribute(font.latin))">"#
                + #"<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#)
        }
        return header + #"<w:fonts xmlns:w="\#(mainNamespace)">"# + entries.joined() + "</w:fonts>"
    }

    /// A centred "— 1 —" in 宋体 四号, as GB/T 9704 numbers pages.
    static let footer: String = {
        let properties = "<w:rPr>" + DOCXDocumentXML.runFonts(.songTi) + #"<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>"#
        return header + """
        <w:ftr xmlns:w="\(mainNamespace)"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>\
        <w:r>\(properties)<w:t xml:space="preserve">— </w:t></w:r>\
        <w:fldSimple w:instr=" PAGE "><w:r>\(properties)<w:t>1</w:t></w:r></w:fldSimple>\
        <w:r>\(properties)<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>
        """
    }()

    static let app = header + """
    <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
    <Application>Taizhang</Application></Properties>
    """

    static func core(title: String, created: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let stamp = formatter.string(from: created)
        let titleElement = title.isEmpty ? "" : "<dc:title>\(XMLWriting.escapedAttribute(title))</dc:title>"
        return header + """
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
        \(titleElement)<dc:creator>Taizhang</dc:creator>\
        <dcterms:created xsi:type="dcterms:W3CDTF">\(stamp)</dcterms:created>\
        <dcterms:modified xsi:type="dcterms:W3CDTF">\(stamp)</dcterms:modified>\
        </cp:coreProperties>
        """
    }
}
