import Foundation
@testable import TaizhangFiles
import Testing

/// `chunks(of:)` hands over the same rows as `forEachRow`, a chunk at a time, from a reader
/// thread that stops when told to and passes the file's problems on.
@Suite struct TabularRowChunksTests {
    func all(_ reader: TabularFileReader, size: Int) async throws -> [[TabularRow]] {
        var chunks = reader.chunks(of: size)
        var result: [[TabularRow]] = []
        while let chunk = try await chunks.next() { result.append(chunk) }
        return result
    }

    @Test func chunksHoldEveryRowInOrder() async throws {
        let scratch = try Scratch()
        let url = try scratch.ledger(rows: 10_000)
        var expected: [TabularRow] = []
        try TabularFileReader(url: url).forEachRow { expected.append(TabularRow(number: $0, cells: $1)) }
        let chunks = try await all(TabularFileReader(url: url), size: 3_000)
        #expect(chunks.map(\.count) == [3_000, 3_000, 3_000, 1_001])
        #expect(chunks.flatMap { $0 } == expected)
        let csv = (1...7).map { "第\($0)行,x" }.joined(separator: "\n")
        #expect(try await all(TabularFileReader(data: Data(csv.utf8)), size: 7).map { $0.map(\.number) } == [Array(1...7)])
        #expect(try await all(TabularFileReader(data: Data()), size: 5).isEmpty)
    }

    @Test func aConsumerThatStopsEarlyStopsTheReader() async throws {
        let scratch = try Scratch()
        let url = try scratch.ledger(rows: 10_000)
        for _ in 0..<20 {
            var chunks = try TabularFileReader(url: url).chunks(of: 100, ahead: 1)
            let first = try await chunks.next()
            #expect(first?.first?.number == 1)
            chunks.cancel()
        }
        // Twenty abandoned reads neither hang nor disturb a whole read of the same file.
        #expect(try await all(TabularFileReader(url: url), size: 4_000).joined().count == 10_001)
    }

    @Test func aDamagedFileIsReportedFromNext() async throws {
        let scratch = try Scratch()
        let whole = try Data(contentsOf: scratch.ledger(rows: 20_000))
        let cut = try scratch.file("cut.xlsx", bytes: Array(whole.prefix(whole.count / 2)))
        await #expect(throws: SpreadsheetError.self) { try await all(TabularFileReader(url: cut), size: 1_000) }
    }

    /// A problem met part-way through comes after the rows before it, not instead of them.
    @Test func theRowsBeforeAProblemComeFirst() async throws {
        let scratch = try Scratch()
        // More than one 4 MB read of UTF-8, then a line as if pasted from a GBK file.
        var bytes = Array((1...300_000).map { "第\($0)行,团员\n" }.joined().utf8)
        bytes += [0xB5, 0xDA, 0xFF, 0x2C, 0x78, 0x0A]
        let url = try scratch.file("mixed.csv", bytes: bytes)
        var chunks = try TabularFileReader(url: url).chunks(of: 50_000)
        var numbers: [[Int]] = []
        do {
            while let chunk = try await chunks.next() { numbers.append(chunk.map(\.number)) }
            Issue.record("the damaged last line was not reported")
        } catch let SpreadsheetError.mixedTextEncoding(line) {
            // The rows of every whole read before the problem, in order, in full chunks and the rest.
            #expect(line > 50_000)
            #expect(numbers.joined().elementsEqual(1..<line))
            #expect(numbers.dropLast().allSatisfy { $0.count == 50_000 })
        }
    }

    /// A consumer whose task is cancelled is told so; it never takes the cancellation for the end
    /// of the file (an import would then act on part of it).
    @Test func aCancelledConsumerIsNotToldTheFileEnded() async throws {
        let scratch = try Scratch()
        let url = try scratch.ledger(rows: 10_000)
        let consumer = Task {
            var chunks = try TabularFileReader(url: url).chunks(of: 100, ahead: 1)
            var rows = 0
            while let chunk = try await chunks.next() {
                rows += chunk.count
                if rows == 100 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return rows
        }
        await #expect(throws: CancellationError.self) { try await consumer.value }
    }
}
