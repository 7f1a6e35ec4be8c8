import Testing
@testable import TaizhangFiles

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsCRLFAndByteOrderMark() {
        let text = "\u{FEFF}名称,备注\r\n\"晋江,安海\",\"他说\"\"好\"\"\"\r\n\"两\n行\",x\r\n"
        let rows = Array(CSVReader(text: text))
        #expect(rows == [["名称", "备注"], ["晋江,安海", "他说\"好\""], ["两\n行", "x"]])
    }

    @Test func countsLinesOfMultilineRows() {
        var reader = CSVReader(text: "a\n\"b\nc\"\nd\n")
        _ = reader.next()
        _ = reader.next()
        #expect(reader.lineNumber == 2)
        _ = reader.next()
        #expect(reader.lineNumber == 4)
    }
}
