/// Renders a `DOCXDocument`'s body as `word/document.xml`.
enum DOCXDocumentXML {
    static func document(_ document: DOCXDocument) throws -> String {
        var xml = DOCXPackageParts.header
            + #"<w:document xmlns:w="\#(DOCXPackageParts.mainNamespace)" xmlns:r="\#(DOCXPackageParts.relationshipNamespace)"><w:body>"#
        for (index, block) in document.blocks.enumerated() {
            switch block {
            case .paragraph(let paragraph):
                xml += self.paragraph(paragraph)
            case .table(let table):
                xml += try self.table(table, number: index + 1)
            case .pageBreak:
                xml += #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#
            }
        }
        // Word needs a paragraph after a final table, and a body with at least one.
        if document.blocks.isEmpty { xml += "<w:p/>" }
        if case .table = document.blocks.last { xml += "<w:p/>" }
        xml += section(document) + "</w:body></w:document>"
        return xml
    }

    /// Every font the document names, the body font first, for the font table.
    static func fonts(of document: DOCXDocument) -> [DOCXFont] {
        var fonts = [document.bodyFont]
        for block in document.blocks {
            switch block {
            case .paragraph(let paragraph): fonts += paragraph.runs.compactMap(\.font)
            case .table(let table): fonts += table.font.map { [$0] } ?? []
            case .pageBreak: break
            }
        }
        if document.pageNumbers { fonts.append(.songTi) }
        return fonts
    }

    /// `<w:rFonts>` naming `font` for Chinese and for Latin text.
    static func runFonts(_ font: DOCXFont) -> String {
        let latin = XMLWriting.escapedAttribute(font.latin)
        return #"<w:rFonts w:ascii="\#(latin)" w:hAnsi="\#(latin)" w:eastAsia="\#(XMLWriting.escapedAttribute(font.eastAsian))" w:cs="\#(latin)"/>"#
    }

    // MARK: - Paragraphs

    private static func paragraph(_ paragraph: DOCXParagraph) -> String {
        var properties = ""
        if paragraph.spaceBefore > 0 || paragraph.spaceAfter > 0 || paragraph.lineHeight != nil {
            properties += #"<w:spacing w:before="\#(max(paragraph.spaceBefore, 0))" w:after="\#(max(paragraph.spaceAfter, 0))""#
            if let line = paragraph.lineHeight { properties += #" w:line="\#(line)" w:lineRule="exact""# }
            properties += "/>"
        }
        if paragraph.firstLineIndent > 0 { properties += #"<w:ind w:firstLine="\#(paragraph.firstLineIndent)"/>"# }
        properties += #"<w:jc w:val="\#(paragraph.alignment.rawValue)"/>"#
        var xml = "<w:p><w:pPr>" + properties + "</w:pPr>"
        for run in paragraph.runs where !run.text.isEmpty {
            xml += self.run(run.text, properties: runProperties(font: run.font, size: run.size, bold: run.bold))
        }
        return xml + "</w:p>"
    }

    private static func runProperties(font: DOCXFont?, size: Int?, bold: Bool) -> String {
        var xml = font.map(runFonts) ?? ""
        if bold { xml += "<w:b/><w:bCs/>" }
        if let size { xml += #"<w:sz w:val="\#(size)"/><w:szCs w:val="\#(size)"/>"# }
        return xml.isEmpty ? "" : "<w:rPr>" + xml + "</w:rPr>"
    }

    /// A run of `text`, its line breaks (any of \n, \r\n, \r) as `<w:br/>` and tabs as `<w:tab/>`.
    private static func run(_ text: String, properties: String) -> String {
        var xml = "<w:r>" + properties
        var pending = ""
        // Line breaks and tabs are taken out first, so the attribute escaping serves for text too.
        func flush() {
            guard !pending.isEmpty else { return }
            xml += #"<w:t xml:space="preserve">"# + XMLWriting.escapedAttribute(pending) + "</w:t>"
            pending = ""
        }
        for character in text {
            if character.isNewline {
                flush()
                xml += "<w:br/>"
            } else if character == "\t" {
                flush()
                xml += "<w:tab/>"
            } else {
                pending.append(character)
            }
        }
        flush()
        return xml + "</w:r>"
    }

    // MARK: - Tables

    private static func table(_ table: DOCXTable, number: Int) throws -> String {
        guard !table.columns.isEmpty else { throw DOCXError.tableWithoutColumns(block: number) }
        if let wide = table.rows.enumerated().first(where: { $0.element.count > table.columns.count }) {
            throw DOCXError.rowWiderThanTable(block: number, row: wide.offset + 1, cells: wide.element.count,
                                              columns: table.columns.count)
        }
        var xml = #"<w:tbl><w:tblPr><w:tblW w:w="\#(table.width)" w:type="dxa"/><w:jc w:val="center"/>"#
        if table.hasBorders {
            xml += "<w:tblBorders>"
            for edge in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                xml += #"<w:\#(edge) w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
            }
            xml += "</w:tblBorders>"
        }
        xml += #"<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#
        for column in table.columns { xml += #"<w:gridCol w:w="\#(column.width)"/>"# }
        xml += "</w:tblGrid>"

        // The header row repeats on every page; no row is split across pages.
        xml += "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        for column in table.columns {
            xml += cell(column.title, width: column.width, alignment: .center, bold: true, table: table)
        }
        xml += "</w:tr>"
        for row in table.rows {
            xml += "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            for (index, column) in table.columns.enumerated() {
                let cell = index < row.count ? row[index] : DOCXCell("")
                xml += self.cell(cell.text, width: column.width, alignment: cell.alignment ?? column.alignment,
                                 bold: cell.bold, table: table)
            }
            xml += "</w:tr>"
        }
        return xml + "</w:tbl>"
    }

    /// A vertically centred cell. The paragraph mark carries the table's size so that an empty
    /// cell is as tall as a filled one.
    private static func cell(_ text: String, width: Int, alignment: DOCXAlignment, bold: Bool, table: DOCXTable) -> String {
        let properties = runProperties(font: table.font, size: table.size, bold: bold)
        var xml = #"<w:tc><w:tcPr><w:tcW w:w="\#(width)" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>"#
        xml += #"<w:p><w:pPr><w:jc w:val="\#(alignment.rawValue)"/>\#(properties)</w:pPr>"#
        if !text.isEmpty { xml += run(text, properties: properties) }
        return xml + "</w:p></w:tc>"
    }

    // MARK: - Section

    private static func section(_ document: DOCXDocument) -> String {
        let page = document.page
        var xml = "<w:sectPr>"
        if document.pageNumbers {
            xml += #"<w:footerReference w:type="default" r:id="\#(DOCXPackageParts.footerRelationship)"/>"#
        }
        let orientation = page.width > page.height ? #" w:orient="landscape""# : ""
        xml += #"<w:pgSz w:w="\#(page.width)" w:h="\#(page.height)"\#(orientation)/>"#
        xml += #"<w:pgMar w:top="\#(page.top)" w:right="\#(page.right)" w:bottom="\#(page.bottom)" w:left="\#(page.left)" "#
            + #"w:header="851" w:footer="\#(page.footer)" w:gutter="0"/>"#
        return xml + "</w:sectPr>"
    }
}
