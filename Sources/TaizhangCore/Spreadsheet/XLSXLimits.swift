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

    /// Creates limits; the defaults suit ledger imports.
    public init(
        maxSheetBytes: Int64 = 1 << 30,
        maxSharedStringsBytes: Int64 = 256 << 20,
        maxSmallPartBytes: Int64 = 16 << 20,
        maxCompressionRatio: Int64 = 1000,
        compressionRatioFloorBytes: Int64 = 16 << 20
    ) {
        self.maxSheetBytes = maxSheetBytes
        self.maxSharedStringsBytes = maxSharedStringsBytes
        self.maxSmallPartBytes = maxSmallPartBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.compressionRatioFloorBytes = compressionRatioFloorBytes
    }

    /// The default limits.
    public static let standard = XLSXLimits()
}
