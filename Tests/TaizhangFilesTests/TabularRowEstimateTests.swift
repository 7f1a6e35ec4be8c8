import Foundation
@testable import TaizhangFiles
import Testing

/// `estimatedRowCount()` counts a CSV's rows below its header from its line breaks, from a file
/// read in blocks as from memory, and does not guess for XLSX or UTF-16 text.
@Suite struct TabularRowEstimateTests {
    /// A CSV of `rows` rows under a header, each ~600 bytes, so 10,000 of them span two of the
    /// 4 MiB blocks the file is read in.
    static func csv(rows: Int, lastBreak: Bool = true) -> Data {
        let filler = String(repeating: "团支部", count: 190)
        var text = "组织名称,备注\n"
        for row in 1...max(rows, 1) where rows > 0 {
            text += "第\(row)团支部,\(filler)" + (row < rows || lastBreak ? "\n" : "")
        }
        return Data(text.utf8)
    }

    @Test func aCSVFileAndTheSameBytesInMemoryCountTheirRows() throws {
        let scratch = try Scratch()
        for (rows, lastBreak) in [(10_000, true), (10_000, false), (1, false), (0, true)] {
            let data = Self.csv(rows: rows, lastBreak: lastBreak)
            let url = scratch.url("\(rows)-\(lastBreak).csv")
            try data.write(to: url)
            #expect(rows < 10_000 || data.count > 4 << 20)
            #expect(try TabularFileReader(url: url).estimatedRowCount() == rows)
            #expect(try TabularFileReader(data: data).estimatedRowCount() == rows)
            var read = 0
            try TabularFileReader(data: data).forEachRow { _, _ in read += 1 }
            #expect(read == rows + 1)
        }
    }

    @Test func anXLSXOrUTF16TextIsNotGuessed() throws {
        let scratch = try Scratch()
        #expect(try TabularFileReader(url: try scratch.ledger(rows: 20)).estimatedRowCount() == nil)
        var utf16 = Data([0xFF, 0xFE])
        // 上 is 0x4E0A: in UTF-16LE its first byte is a line feed's.
        utf16.append("组织名称\n上海团支部\n".data(using: .utf16LittleEndian)!)
        #expect(try TabularFileReader(data: utf16).estimatedRowCount() == nil)
        let url = try scratch.file("utf16.csv", bytes: Array(utf16))
        #expect(try TabularFileReader(url: url).estimatedRowCount() == nil)
    }
}
