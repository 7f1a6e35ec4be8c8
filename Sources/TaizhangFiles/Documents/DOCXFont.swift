/// The fonts of a run: one for Chinese, one for Latin letters and digits.
public struct DOCXFont: Sendable, Hashable {
    public var eastAsian: String
    /// Another name of `eastAsian` that Word and LibreOffice try when it is not installed
    /// (仿宋 for 仿宋_GB2312); written to the font table as its alternate name.
    public var fallback: String?
    public var latin: String

    public init(eastAsian: String, fallback: String? = nil, latin: String = "Times New Roman") {
        self.eastAsian = eastAsian
        self.fallback = fallback
        self.latin = latin
    }

    /// 方正小标宋简体, for document titles.
    public static let xiaoBiaoSong = DOCXFont(eastAsian: "方正小标宋简体", fallback: "宋体")
    /// 黑体, for first-level headings.
    public static let heiTi = DOCXFont(eastAsian: "黑体", fallback: "SimHei")
    /// 楷体_GB2312, for second-level headings.
    public static let kaiTi = DOCXFont(eastAsian: "楷体_GB2312", fallback: "楷体")
    /// 仿宋_GB2312, for body text.
    public static let fangSong = DOCXFont(eastAsian: "仿宋_GB2312", fallback: "仿宋")
    /// 宋体, for page numbers.
    public static let songTi = DOCXFont(eastAsian: "宋体", fallback: "SimSun", latin: "宋体")
}

/// Chinese type sizes (字号) in half-points, the unit of `DOCXRun.size`.
public enum DOCXFontSize {
    /// 二号, 22 pt
    public static let no2 = 44
    /// 小二, 18 pt
    public static let small2 = 36
    /// 三号, 16 pt
    public static let no3 = 32
    /// 小三, 15 pt
    public static let small3 = 30
    /// 四号, 14 pt
    public static let no4 = 28
    /// 小四, 12 pt
    public static let small4 = 24
    /// 五号, 10.5 pt
    public static let no5 = 21
}
