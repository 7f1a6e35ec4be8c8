/// A bordered table with a header row that repeats on every page it spans.
public struct DOCXTable: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        /// The header cell's text.
        public var title: String
        /// In twips; the widths of a table should add up to at most the page's `textWidth`.
        public var width: Int
        /// Of the column's body cells; header cells are centred.
        public var alignment: DOCXAlignment

        public init(_ title: String, width: Int, alignment: DOCXAlignment = .center) {
            self.title = title
            self.width = width
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// Body rows, at most one cell per column; a short row is filled with empty cells.
    public var rows: [[DOCXCell]]
    public var hasBorders: Bool
    /// nil: the document's body font.
    public var font: DOCXFont?
    /// In half-points.
    public var size: Int

    public init(columns: [Column], rows: [[DOCXCell]] = [], hasBorders: Bool = true,
                font: DOCXFont? = nil, size: Int = DOCXFontSize.small4) {
        self.columns = columns
        self.rows = rows
        self.hasBorders = hasBorders
        self.font = font
        self.size = size
    }

    /// Appends a row of texts, bold for a total line (合计).
    public mutating func appendRow(_ texts: [String], bold: Bool = false) {
        rows.append(texts.map { DOCXCell($0, bold: bold) })
    }

    public var width: Int { columns.reduce(0) { $0 + $1.width } }
}

/// One cell of a table's body; line breaks in `text` are kept.
public struct DOCXCell: Sendable, Hashable, ExpressibleByStringLiteral {
    public var text: String
    public var bold: Bool
    /// nil: the column's alignment.
    public var alignment: DOCXAlignment?

    public init(_ text: String, bold: Bool = false, alignment: DOCXAlignment? = nil) {
        self.text = text
        self.bold = bold
        self.alignment = alignment
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }
}
