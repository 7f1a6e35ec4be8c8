import Foundation

/// One row of a table file: its 1-based row number and its cells' texts.
public struct TabularRow: Sendable, Equatable {
    public var number: Int
    public var cells: [String]

    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }
}

extension TabularFileReader {
    /// The file's rows, `size` at a time, read on a thread of its own while the caller works on
    /// the chunk before: the reader stays at most `ahead` chunks ahead, so memory holds a few
    /// chunks whatever the file's size. Call `cancel()` on the result when stopping early.
    public func chunks(of size: Int, ahead: Int = 2) -> TabularRowChunks {
        precondition(size > 0 && ahead > 0)
        let (stream, continuation) = AsyncThrowingStream<[TabularRow], any Error>.makeStream()
        let gate = ChunkGate(permits: ahead)
        continuation.onTermination = { _ in gate.cancel() }
        let reader = self
        // Hands a chunk over once the consumer has room for it; throws when the consumer has gone
        // (cancelled, or its task was), so that the end is never marked after a dropped chunk.
        @Sendable func handOver(_ chunk: [TabularRow]) throws {
            try gate.acquire()
            if case .terminated = continuation.yield(chunk) { throw CancellationError() }
        }
        let thread = Thread {
            var chunk: [TabularRow] = []
            chunk.reserveCapacity(size)
            do {
                try reader.forEachRow { number, cells in
                    chunk.append(TabularRow(number: number, cells: cells))
                    guard chunk.count == size else { return }
                    try handOver(chunk)
                    chunk = []
                    chunk.reserveCapacity(size)
                }
                if !chunk.isEmpty { try handOver(chunk) }
                gate.markEnd()
                continuation.finish()
            } catch {
                // The rows read before the problem still go first, so that the consumer meets
                // the error where the file has it.
                if !chunk.isEmpty { try? handOver(chunk) }
                continuation.finish(throwing: error)
            }
        }
        thread.name = "taizhang.tabular-reader"
        thread.start()
        return TabularRowChunks(iterator: stream.makeAsyncIterator(), gate: gate)
    }
}

/// The chunks of `TabularFileReader.chunks(of:)`, in order; `nil` after the last. Problems with
/// the file (`SpreadsheetError`) are thrown from `next()` when the reader meets them.
public struct TabularRowChunks {
    private var iterator: AsyncThrowingStream<[TabularRow], any Error>.Iterator
    private let gate: ChunkGate

    fileprivate init(iterator: AsyncThrowingStream<[TabularRow], any Error>.Iterator, gate: ChunkGate) {
        self.iterator = iterator
        self.gate = gate
    }

    public mutating func next() async throws -> [TabularRow]? {
        let chunk = try await iterator.next()
        if chunk != nil {
            gate.release()
        } else if !gate.reachedEnd || Task.isCancelled {
            // The stream also ends when the consuming task is cancelled; that is not the end of
            // the file, and a caller taking it for one would act on part of the file.
            throw CancellationError()
        }
        return chunk
    }

    /// Stops the reader (it ends at its next chunk); the file is closed when its thread ends.
    public func cancel() {
        gate.cancel()
    }
}

/// Counts the chunks the reader may hand over before the consumer takes one; the reader's
/// thread waits at zero. Cancelling wakes it with an error so that it stops reading.
final class ChunkGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var permits: Int
    private var cancelled = false
    private var ended = false

    init(permits: Int) {
        self.permits = permits
    }

    func acquire() throws {
        condition.lock()
        defer { condition.unlock() }
        while permits == 0 && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        permits -= 1
    }

    func release() {
        condition.lock()
        permits += 1
        condition.signal()
        condition.unlock()
    }

    /// Set by the reader once it has handed over the file's last row.
    func markEnd() {
        condition.lock()
        ended = true
        condition.unlock()
    }

    var reachedEnd: Bool {
        condition.lock()
        defer { condition.unlock() }
        return ended
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
