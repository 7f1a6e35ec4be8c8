import Foundation
@testable import TaizhangFiles
import Testing
import ZIPFoundation
@testable import TaizhangCore

/// A row as a user would see it: its number in the file and its cells.
private struct Row: Equatable, CustomStringConvertible {
    var number: Int
    var cells: [String]
    var description: String { "\(number): \(cells)" }
}

private func rows(_ reader: TabularFileReader) throws -> [Row] {
    var result: [Row] = []
    try reader.forEachRow { number, cells in result.append(Row(number: number, cells: cells)) }
    return result
}

private func rows(of url: URL, limits: XLSXLimits = .standard) throws -> [Row] {
    try rows(TabularFileReader(url: url, limits: limits))
}

private func rows(of bytes: [UInt8]) throws -> [Row] {
    try rows(TabularFileReader(data: Data(bytes)))
}

private func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// The message the reader throws for `url`, or nil if it reads without error.
private func failure(of url: URL, limits: XLSXLimits = .standard) -> String? {
    do {
        _ = try rows(of: url, limits: limits)
        return nil
    } catch let error as SpreadsheetError {
        return error.message
    } catch {
        return "unexpected \(error)"
    }
}

/// A scratch folder removed when the test ends.
final class Scratch {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("spreadsheet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    func file(_ name: String, bytes: [UInt8]) throws -> URL {
        let url = url(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// A ledger export of `count` data rows under a header.
    func ledger(_ name: String = "ledger.xlsx", rows count: Int) throws -> URL {
        let url = url(name)
        let writer = try XLSXWriter(url: url, sheetName: "直属团组织")
        try writer.appendHeader(["序号", "组织名称", "联系电话"])
        for i in 1...count {
            try writer.appendRow([.number(Double(i)), .text("第\(i)团支部"), .text("1380595\(String(format: "%04d", i))")])
        }
        try writer.finish()
        return url
    }
}

@Suite struct XLSXRoundTripTests {
    @Test func writtenWorkbookReadsBackAsTheCadreTypedIt() throws {
        let scratch = try Scratch()
        let url = scratch.url("导出.xlsx")
        let writer = try XLSXWriter(url: url, sheetName: "台账:2012/12", columnWidths: [20, 12, 14])
        try writer.appendHeader(["组织名称", "组织代码", "电话", "团员数", "成立日期", "备注"])
        try writer.appendRow([
            .text("安海镇商会团支部"), .text("350521101001"), .text("0595-85701234"),
            .number(35), .date(CalendarDay(year: 2012, month: 11, day: 5)!), .text("A&B <公司> \"引号\" 'x'"),
        ])
        try writer.appendRow([.text("  前后空格  "), .empty, .text(""), .number(3.5), .empty, .text("两\n行\r\n第三行")])
        try writer.appendRow(["控制\u{1}字符\u{7}去掉", "_x000D_ 原样", "0001", "", "=SUM(A1)"])
        try writer.appendRow([XLSXCell]())
        try writer.appendRow([.empty, .empty, .number(-12), .number(0.1 + 0.2), .number(1e20)])
        try writer.finish()

        let reader = try TabularFileReader(url: url)
        #expect(reader.format == .xlsx)
        let read = try rows(reader)
        #expect(read == [
            Row(number: 1, cells: ["组织名称", "组织代码", "电话", "团员数", "成立日期", "备注"]),
            Row(number: 2, cells: ["安海镇商会团支部", "350521101001", "0595-85701234", "35", "41218",
                                   "A&B <公司> \"引号\" 'x'"]),
            Row(number: 3, cells: ["  前后空格  ", "", "", "3.5", "", "两\n行\r\n第三行"]),
            Row(number: 4, cells: ["控制字符去掉", "_x000D_ 原样", "0001", "", "=SUM(A1)"]),
            Row(number: 5, cells: []),
            Row(number: 6, cells: ["", "", "-12", "0.3", "1e+20"]),
        ])
        #expect(try ValueParser.day(read[1].cells[4], field: "成立日期") == CalendarDay(year: 2012, month: 11, day: 5))
    }

    @Test func tenThousandRowsRoundTripFromFileAndFromMemory() throws {
        let scratch = try Scratch()
        let url = try scratch.ledger(rows: 10_000)
        let fromFile = try rows(of: url)
        #expect(fromFile.count == 10_001)
        #expect(fromFile[0] == Row(number: 1, cells: ["序号", "组织名称", "联系电话"]))
        #expect(fromFile[10_000] == Row(number: 10_001, cells: ["10000", "第10000团支部", "138059510000"]))
        let fromMemory = try rows(TabularFileReader(data: Data(contentsOf: url)))
        #expect(fromMemory == fromFile)
    }

    @Test func throwingFromTheRowHandlerStopsAndPassesTheErrorThrough() throws {
        let scratch = try Scratch()
        let url = try scratch.ledger(rows: 100)
        var seen = 0
        #expect(throws: InvalidInput(field: "第3行", reason: "停")) {
            try TabularFileReader(url: url).forEachRow { number, _ in
                seen += 1
                if number == 3 { throw InvalidInput(field: "第3行", reason: "停") }
            }
        }
        #expect(seen == 3)
    }

    @Test func sheetNamesAreMadeValidForExcel() {
        #expect(XLSXWriter.validSheetName("台账:2012/12") == "台账_2012_12")
        #expect(XLSXWriter.validSheetName("") == "Sheet1")
        #expect(XLSXWriter.validSheetName(String(repeating: "团", count: 40)).count == 31)
    }

    @Test func onlyPlainDecimalsBecomeNumbers() {
        #expect(XLSXCell.numberIfPlain("35") == .number(35))
        #expect(XLSXCell.numberIfPlain("-3.5") == .number(-3.5))
        #expect(XLSXCell.numberIfPlain("0.25") == .number(0.25))
        #expect(XLSXCell.numberIfPlain("0595") == .text("0595"))
        #expect(XLSXCell.numberIfPlain("350521199001011234") == .text("350521199001011234"))
        #expect(XLSXCell.numberIfPlain("1e3") == .text("1e3"))
        #expect(XLSXCell.numberIfPlain("") == .empty)
    }
}

@Suite struct XLSXFixtureTests {
    @Test func readsOpenpyxlWorkbookWithGapsRichTextAndDates() throws {
        let read = try rows(of: fixture("openpyxl-ledger.xlsx"))
        #expect(read == [
            Row(number: 1, cells: ["组织名称", "组织类型", "成立日期", "团员数", "联系电话", "备注"]),
            Row(number: 2, cells: ["安海镇商会团支部", "团支部", "41218", "35", "13805951234", "红色青年"]),
            Row(number: 4, cells: ["A&B <公司>", "", "", "3.5", "", "1"]),
            Row(number: 5, cells: ["  前后空格  ", "两\n行", "41333", "0"]),
        ])
    }

    @Test func readsSharedStringsAsExcelWritesThem() throws {
        let read = try rows(of: fixture("xlsxwriter-shared.xlsx"))
        #expect(read == [
            Row(number: 1, cells: ["乡镇", "组织名称", "成立日期", "人数"]),
            Row(number: 2, cells: ["安海镇", "安海商会团支部", "41258", "12"]),
            Row(number: 4, cells: ["安海镇", "", "", "0595"]),
            Row(number: 5, cells: ["", "", "", "24"]),
        ])
        #expect(try ValueParser.day(read[1].cells[2], field: "成立日期") == CalendarDay(year: 2012, month: 12, day: 15))
    }

    @Test func readsTheFirstSheetWithEveryCellKind() throws {
        let read = try rows(of: fixture("handmade-features.xlsx"))
        #expect(read == [
            Row(number: 1, cells: ["共享", " 行内 ", "公式&结果", "", "#N/A"]),
            Row(number: 2, cells: ["富文本", "3.3", "0", "晋江 安海"]),
            Row(number: 7, cells: ["中国\"'", "第一行\r\n第二行", "<原样> & 保留"]),
            Row(number: 8, cells: []),
        ])
    }
}

@Suite struct XLSXRefusalTests {
    @Test func truncatedWorkbookIsReportedAsDamaged() throws {
        let scratch = try Scratch()
        let whole = try Data(contentsOf: scratch.ledger(rows: 2_000))
        let cut = try scratch.file("cut.xlsx", bytes: Array(whole.prefix(whole.count / 2)))
        #expect(failure(of: cut) == "XLSX 文件已损坏或不完整：请在 Excel 中重新保存后再上传")
    }

    @Test func damagedSheetDataIsReportedAsDamaged() throws {
        let scratch = try Scratch()
        var bytes = try [UInt8](Data(contentsOf: scratch.ledger(rows: 2_000)))
        // Flip bytes inside the deflated worksheet (the largest entry, written last).
        for i in stride(from: bytes.count / 2, to: bytes.count / 2 + 64, by: 1) { bytes[i] ^= 0x5A }
        #expect(failure(of: try scratch.file("flipped.xlsx", bytes: bytes))
            == "XLSX 文件已损坏或不完整：请在 Excel 中重新保存后再上传")
    }

    @Test func encryptedOrLegacyExcelIsRefusedWithAdvice() throws {
        let scratch = try Scratch()
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)
        let url = try scratch.file("加密.xlsx", bytes: ole)
        #expect(throws: SpreadsheetError.encryptedOrLegacyExcel) { try TabularFileReader(url: url) }
        #expect(failure(of: url) == "文件已加密或是旧版 .xls 格式：请在 Excel 中另存为 .xlsx（不设密码）或 CSV")
        #expect(throws: SpreadsheetError.encryptedOrLegacyExcel) { try TabularFileReader(data: Data(ole)) }
    }

    @Test func sheetDeclaredLargerThanTheLimitIsRefused() throws {
        let scratch = try Scratch()
        let url = try scratch.ledger(rows: 2_000)
        #expect(failure(of: url, limits: XLSXLimits(maxSheetBytes: 50_000))
            == "XLSX 文件中的工作表解压后超过 50000 字节 上限或压缩比异常（疑似压缩炸弹）：请删除多余内容或拆分后分批导入")
    }

    @Test func sheetThatLiesAboutItsSizeIsStoppedWhileInflating() throws {
        let scratch = try Scratch()
        var bytes = try [UInt8](Data(contentsOf: scratch.ledger(rows: 2_000)))
        try declareSize(1_000, of: "xl/worksheets/sheet1.xml", in: &bytes)
        let url = try scratch.file("bomb.xlsx", bytes: bytes)
        #expect(failure(of: url, limits: XLSXLimits(maxSheetBytes: 64 << 10))
            == "XLSX 文件中的工作表解压后超过 64 KiB 上限或压缩比异常（疑似压缩炸弹）：请删除多余内容或拆分后分批导入")
    }

    @Test func moreRowsThanAnUploadMayHoldAreRefusedNamingTheRow() throws {
        let scratch = try Scratch()
        let url = try scratch.ledger(rows: 2_000)
        #expect(failure(of: url, limits: XLSXLimits(maxRows: 500))
            == "文件超过 500 行（第 501 行起超出）：网页一次最多导入 500 行，请拆分后分批导入，或由管理员用 taizhang import 命令导入")
        let csv = scratch.url("宽.csv")
        try Data((["a,b,c"] + Array(repeating: Array(repeating: "x", count: 40).joined(separator: ","), count: 3))
            .joined(separator: "\n").utf8).write(to: csv)
        #expect(failure(of: csv, limits: XLSXLimits(maxColumns: 30)) == "第 2 行超过 30 列：台账模板只有二十余列，请删除多余的列后再上传")
        // Uploads from the web and the API stop at 100,000 rows and a 256 MiB sheet; the command line does not.
        #expect(XLSXLimits.forUploads.maxRows == 100_000 && XLSXLimits.forUploads.maxSheetBytes == 256 << 20)
        #expect(XLSXLimits.standard.maxRows == .max)
    }

    @Test func absurdCompressionRatioIsRefused() throws {
        let scratch = try Scratch()
        let url = try scratch.ledger(rows: 2_000)
        let limits = XLSXLimits(maxCompressionRatio: 2, compressionRatioFloorBytes: 10_000)
        #expect(failure(of: url, limits: limits)?.contains("疑似压缩炸弹") == true)
    }

    @Test func zipWithoutWorkbookIsNotAnXLSX() throws {
        let scratch = try Scratch()
        let url = scratch.url("照片.zip")
        let archive = try Archive(url: url, accessMode: .create)
        let text = Data("不是表格".utf8)
        try archive.addEntry(with: "说明.txt", type: .file, uncompressedSize: Int64(text.count)) { position, size in
            text.subdata(in: Int(position)..<min(Int(position) + size, text.count))
        }
        #expect(failure(of: url) == "压缩包里没有 Excel 工作簿：这不是 .xlsx 文件，请在 Excel 中另存为 .xlsx 或 CSV")
    }

    /// Rewrites the uncompressed size recorded for `name` in its local header and central directory entry.
    private func declareSize(_ size: UInt32, of name: String, in bytes: inout [UInt8]) throws {
        let nameBytes = Array(name.utf8)
        var patched = 0
        var i = 0
        while i + 46 + nameBytes.count <= bytes.count {
            let signature = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            let (sizeOffset, nameOffset): (Int, Int)
            switch signature {
            case 0x0403_4B50: (sizeOffset, nameOffset) = (22, 30)
            case 0x0201_4B50: (sizeOffset, nameOffset) = (24, 46)
            default:
                i += 1
                continue
            }
            if Array(bytes[(i + nameOffset)..<(i + nameOffset + nameBytes.count)]) == nameBytes {
                for k in 0..<4 { bytes[i + sizeOffset + k] = UInt8(truncatingIfNeeded: size >> (8 * k)) }
                patched += 1
            }
            i += 4
        }
        try #require(patched == 2)
    }
}

@Suite struct CSVUploadTests {
    /// "组织名称,团员数,备注\r\n安海镇团委,35,"多行\n说明，含“引号”"\r\n㐀字,7,\r\n" as Chinese Excel saves it (GB18030).
    static let gbk: [UInt8] = [
        215, 233, 214, 175, 195, 251, 179, 198, 44, 205, 197, 212, 177, 202, 253, 44, 177, 184, 215, 162, 13, 10,
        176, 178, 186, 163, 213, 242, 205, 197, 206, 175, 44, 51, 53, 44, 34, 182, 224, 208, 208, 10, 203, 181,
        195, 247, 163, 172, 186, 172, 161, 176, 210, 253, 186, 197, 161, 177, 34, 13, 10, 129, 57, 238, 57, 215,
        214, 44, 55, 44, 13, 10,
    ]
    fileprivate static let expected = [
        Row(number: 1, cells: ["组织名称", "团员数", "备注"]),
        Row(number: 2, cells: ["安海镇团委", "35", "多行\n说明，含“引号”"]),
        Row(number: 4, cells: ["㐀字", "7", ""]),
    ]

    @Test func gbkCSVFromChineseExcelIsDecoded() throws {
        let reader = try TabularFileReader(data: Data(Self.gbk))
        #expect(reader.format == .csv)
        var read: [Row] = []
        let summary = try reader.forEachRow { read.append(Row(number: $0, cells: $1)) }
        #expect(read == Self.expected)
        #expect(summary == TabularReadSummary(rowCount: 3, textEncoding: .gb18030))
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func chunkBoundariesNeverSplitACharacterOrAQuotedField(chunkSize: Int) throws {
        for bytes in [Self.gbk, [0xEF, 0xBB, 0xBF] + Array("组织名称,团员数,备注\r\n安海镇团委,35,\"多行\n说明，含“引号”\"\r\n㐀字,7,\r\n".utf8)] {
            var offset = 0
            var reader = CSVStreamReader { count in
                defer { offset = min(offset + count, bytes.count) }
                return Array(bytes[offset..<min(offset + count, bytes.count)])
            }
            reader.chunkSize = chunkSize
            var read: [Row] = []
            _ = try reader.forEachRow { read.append(Row(number: $0, cells: $1)) }
            #expect(read == Self.expected)
        }
    }

    @Test func utf8WithByteOrderMarkFromFile() throws {
        let scratch = try Scratch()
        let url = try scratch.file("台账.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("名称,电话\n安海镇团委,0595-85701234\n\n\"晋江,安海\",\"他说\"\"好\"\"\"\n".utf8))
        var read: [Row] = []
        let summary = try TabularFileReader(url: url).forEachRow { read.append(Row(number: $0, cells: $1)) }
        #expect(read == [
            Row(number: 1, cells: ["名称", "电话"]),
            Row(number: 2, cells: ["安海镇团委", "0595-85701234"]),
            Row(number: 3, cells: [""]),
            Row(number: 4, cells: ["晋江,安海", "他说\"好\""]),
        ])
        #expect(summary.textEncoding == .utf8)
    }

    @Test func utf16LittleEndianWithByteOrderMark() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "名称,人数\r\n团委,3\r\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try rows(of: bytes) == [Row(number: 1, cells: ["名称", "人数"]), Row(number: 2, cells: ["团委", "3"])])
    }

    @Test func utf8AfterGBKIsRefusedAsMixed() throws {
        var reader = CSVStreamReader { _ in [] }
        var chunks: [[UInt8]] = [Array("a,b\n".utf8), [0xCD, 0xC5, 0x0A], Array("团\n".utf8)]
        reader = CSVStreamReader { _ in chunks.isEmpty ? [] : chunks.removeFirst() }
        reader.chunkSize = 1
        #expect(throws: SpreadsheetError.mixedTextEncoding(line: 3)) { _ = try reader.forEachRow { _, _ in } }
    }

    @Test func emptyFileHasNoRowsAndBinaryIsRefused() throws {
        #expect(try rows(of: []) == [])
        let pdfLike: [UInt8] = Array("%PDF-1.4\n".utf8) + [0, 1, 2, 0xFF, 0]
        #expect(throws: SpreadsheetError.notATable) { try rows(of: pdfLike) }
        #expect(SpreadsheetError.notATable.message == "文件不是 CSV 或 XLSX 表格：请上传 .xlsx 或 .csv 文件")
    }
}

@Suite struct XLSXSheetParserRobustnessTests {
    /// Damaged worksheet XML must end in rows or a `SpreadsheetError`, never in a crash.
    @Test func mangledSheetXMLNeverCrashes() throws {
        let xml = Array("""
        <worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>富</t></r>\
        <rPh><t>x</t></rPh></is></c><c t="b"><v>1</v></c></row><row><c r="XFD2"><v>3.2999999999999998</v></c>\
        <c r="B2" t="str"><f>A1</f><v>&amp;&#x4E2D;_x000D_</v></c></row><row r="9"/></sheetData></worksheet>
        """.utf8)
        var seed: UInt64 = 0x2012_1215
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33)
        }
        for _ in 0..<500 {
            var bytes = xml
            for _ in 0..<(1 + next() % 4) {
                let i = next() % bytes.count
                switch next() % 3 {
                case 0: bytes[i] = "<>/\"=c1rtv".utf8.map { $0 }[next() % 10]
                case 1: bytes.remove(at: i)
                default: bytes.insert(bytes[next() % bytes.count], at: i)
                }
            }
            var handler = XLSXSheetHandler(sharedStrings: ["共享"]) { _, cells in
                #expect(cells.count <= XLSXSheetHandler.maxColumns)
            }
            var scanner = XMLChunkScanner()
            do {
                for start in stride(from: 0, to: bytes.count, by: 37) {
                    try bytes[start..<min(start + 37, bytes.count)].withUnsafeBufferPointer {
                        try scanner.feed($0, into: &handler)
                    }
                }
                try scanner.finish(into: &handler)
            } catch let error as SpreadsheetError {
                #expect(error == .corruptXLSX)
            }
        }
    }
}
