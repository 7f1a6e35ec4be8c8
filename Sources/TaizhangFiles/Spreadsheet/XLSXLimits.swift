/// Size limits that keep a hostile or broken XLSX ("zip bomb") from exhausting the server.
public struct XLSXLimits: Sendable, Equatable {
    /// Largest unpacked worksheet XML (a full 1,048,576-row sheet of ledger columns fits).
    public var maxSheetBytes: Int64
    /// Largest unpacked shared-strings XML; the table is held in memory while reading.
    public var maxSharedStringsBytes: Int64
    /// Largest unpacked workbook, relationships or other small part.
    public var maxSmallPartBytes: Int64
    /// Largest accepted ratio of unpacked to packed size …
    public var maxCompressionRatio: Int64
    /// … checked only once a part has unpacked past this many bytes.
    public var compressionRatioFloorBytes: Int64
    /// Most rows read from one file (XLSX or CSV), counting every row handed on.
    public var maxRows: Int
    /// Most cells in one row (the ledger template has about twenty-five columns).
    public var maxColumns: Int

    /// Creates limits; the defaults suit ledger imports.
    public init(
        maxSheetBytes: Int64 = 1 << 30,
        maxSharedStringsBytes: Int64 = 256 << 20,
        maxSmallPartBytes: Int64 = 16 << 20,
        maxCompressionRatio: Int64 = 1000,
        compressionRatioFloorBytes: Int64 = 16 << 20,
        maxRows: Int = .max,
        maxColumns: Int = 1_024
    ) {
        self.maxSheetBytes = maxSheetBytes
        self.maxSharedStringsBytes = maxSharedStringsBytes
        self.maxSmallPartBytes = maxSmallPartBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.compressionRatioFloorBytes = compressionRatioFloorBytes
        self.maxRows = maxRows
        self.maxColumns = maxColumns
    }

    /// The default limits (the command line: an operator's file of any number of rows).
    public static let standard = XLSXLimits()

    /// An upload from the web or the API: at most 100,000 rows (a province's ledger at a time),
    /// a 256 MiB sheet and a 64 MiB string table, so one upload stays within a few hundred MB of
    /// memory however its file was made.
    public static let forUploads = XLSXLimits(maxSheetBytes: 256 << 20, maxSharedStringsBytes: 64 << 20, maxRows: 100_000)
}
