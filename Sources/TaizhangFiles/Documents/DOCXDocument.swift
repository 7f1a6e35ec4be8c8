/// A Word document for `DOCXWriter`: paragraphs, tables and page breaks on pages laid out as a
/// Chinese official document (GB/T 9704: A4, body in 仿宋_GB2312 三号, numbered pages).
public struct DOCXDocument: Sendable, Hashable {
    /// The title in the file's properties (shown by Word and in a PDF's metadata), not printed.
    public var title: String
    public var blocks: [DOCXBlock]
    public var page: DOCXPageLayout
    /// The font of runs and cells that name none.
    public var bodyFont: DOCXFont
    /// The size of runs that name none, in half-points.
    public var bodySize: Int
    /// Whether pages carry a centred "— 1 —" footer.
    public var pageNumbers: Bool

    public init(title: String = "", blocks: [DOCXBlock] = [], page: DOCXPageLayout = .officialA4,
                bodyFont: DOCXFont = .fangSong, bodySize: Int = DOCXFontSize.no3, pageNumbers: Bool = true) {
        self.title = title
        self.blocks = blocks
        self.page = page
        self.bodyFont = bodyFont
        self.bodySize = bodySize
        self.pageNumbers = pageNumbers
    }
}

/// One block of a document's body, in reading order.
public enum DOCXBlock: Sendable, Hashable {
    case paragraph(DOCXParagraph)
    case table(DOCXTable)
    /// What follows starts on a new page.
    case pageBreak
}

public enum DOCXAlignment: String, Sendable, Hashable {
    case left, center, right
    /// Flush at both edges, as official body text is set.
    case justified = "both"
}

/// A stretch of text in one font, size and weight. Line breaks and tabs in `text` are kept.
public struct DOCXRun: Sendable, Hashable {
    public var text: String
    public var bold: Bool
    /// nil: the document's body font.
    public var font: DOCXFont?
    /// In half-points (see `DOCXFontSize`); nil: the document's body size.
    public var size: Int?

    public init(_ text: String, bold: Bool = false, font: DOCXFont? = nil, size: Int? = nil) {
        self.text = text
        self.bold = bold
        self.font = font
        self.size = size
    }
}

/// A paragraph of runs. Lengths are in twips (1/20 point, 1/1440 inch).
public struct DOCXParagraph: Sendable, Hashable {
    public var runs: [DOCXRun]
    public var alignment: DOCXAlignment
    public var spaceBefore: Int
    public var spaceAfter: Int
    /// An exact line height ("固定值"); nil: single spacing of the font.
    public var lineHeight: Int?
    /// 640 indents two characters of 三号 (16 pt each).
    public var firstLineIndent: Int

    public init(_ runs: [DOCXRun], alignment: DOCXAlignment = .justified, spaceBefore: Int = 0, spaceAfter: Int = 0,
                lineHeight: Int? = nil, firstLineIndent: Int = 0) {
        self.runs = runs
        self.alignment = alignment
        self.spaceBefore = spaceBefore
        self.spaceAfter = spaceAfter
        self.lineHeight = lineHeight
        self.firstLineIndent = firstLineIndent
    }

    /// A paragraph of one run.
    public init(_ text: String, bold: Bool = false, font: DOCXFont? = nil, size: Int? = nil,
                alignment: DOCXAlignment = .justified, spaceBefore: Int = 0, spaceAfter: Int = 0,
                lineHeight: Int? = nil, firstLineIndent: Int = 0) {
        self.init([DOCXRun(text, bold: bold, font: font, size: size)], alignment: alignment,
                  spaceBefore: spaceBefore, spaceAfter: spaceAfter, lineHeight: lineHeight, firstLineIndent: firstLineIndent)
    }

    /// Body lines of an official document: "固定值 28 磅", as offices set them.
    public static let officialLineHeight = 560

    /// A document title: 方正小标宋简体 二号, centred, a blank line below.
    public static func title(_ text: String) -> DOCXParagraph {
        DOCXParagraph(text, font: .xiaoBiaoSong, size: DOCXFontSize.no2, alignment: .center, spaceAfter: officialLineHeight)
    }

    /// A first-level heading ("一、…"): 黑体 三号, indented two characters.
    public static func heading(_ text: String) -> DOCXParagraph {
        DOCXParagraph(text, font: .heiTi, size: DOCXFontSize.no3, lineHeight: officialLineHeight, firstLineIndent: 640)
    }

    /// Body text: 仿宋_GB2312 三号, justified, indented two characters.
    public static func body(_ text: String) -> DOCXParagraph {
        DOCXParagraph(text, font: .fangSong, size: DOCXFontSize.no3, lineHeight: officialLineHeight, firstLineIndent: 640)
    }
}

/// Page size and margins in twips.
public struct DOCXPageLayout: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var top: Int
    public var bottom: Int
    public var left: Int
    public var right: Int
    /// From the page's bottom edge to the bottom of the footer (the page number).
    public var footer: Int

    public init(width: Int, height: Int, top: Int, bottom: Int, left: Int, right: Int, footer: Int) {
        self.width = width
        self.height = height
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
        self.footer = footer
    }

    /// A4 portrait with GB/T 9704 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm),
    /// leaving a 156 × 225 mm text area.
    public static let officialA4 = DOCXPageLayout(
        width: 11906, height: 16838,
        top: twips(millimetres: 37), bottom: twips(millimetres: 35),
        left: twips(millimetres: 28), right: twips(millimetres: 26),
        footer: twips(millimetres: 22))

    /// The width between the margins, the most a table can take.
    public var textWidth: Int { width - left - right }

    public static func twips(millimetres: Double) -> Int {
        Int((millimetres * 1440 / 25.4).rounded())
    }
}
