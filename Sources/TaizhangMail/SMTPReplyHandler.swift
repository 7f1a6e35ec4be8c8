import NIOCore
import NIOSSL

/// A server reply: its code and its lines' text (a multi-line reply has several).
struct SMTPReply: Sendable {
    var code: Int
    var lines: [String]

    var text: String { lines.joined(separator: " ") }
}

/// Splits what the server sends into replies (RFC 5321 4.2: "250-…" continues, "250 …" ends) and
/// hands each to the command waiting for it; a reply that comes before anyone waits is kept.
/// Touched only on its channel's event loop.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private var buffer = ByteBuffer()
    private var lines: [String] = []
    private var ready: [SMTPReply] = []
    private var waiting: [(id: Int, promise: EventLoopPromise<SMTPReply>)] = []
    /// Why the connection failed, once it has (a TLS handshake refused, a dropped connection).
    private(set) var failure: MailError?
    private var nextID = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readerIndex + 1
            var line = buffer.readString(length: length) ?? ""
            // By scalars: "\r\n" is one Character, which hasSuffix("\n") does not match.
            while let last = line.unicodeScalars.last, last == "\n" || last == "\r" { line.unicodeScalars.removeLast() }
            take(line)
        }
        buffer.discardReadBytes()
    }

    private func take(_ line: String) {
        let characters = Array(line)
        guard characters.count >= 3, let code = Int(String(characters[0..<3])) else {
            fail(MailError("服务器的回复无法识别：「\(line.prefix(80))」"))
            return
        }
        lines.append(characters.count > 4 ? String(characters[4...]) : "")
        if characters.count > 3, characters[3] == "-" { return }
        deliver(SMTPReply(code: code, lines: lines))
        lines = []
    }

    private func deliver(_ reply: SMTPReply) {
        if waiting.isEmpty { ready.append(reply) } else { waiting.removeFirst().promise.succeed(reply) }
    }

    private func fail(_ error: MailError) {
        if failure == nil { failure = error }
        let pending = waiting
        waiting = []
        for entry in pending { entry.promise.fail(error) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(MailError("服务器断开了连接"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError {
            fail(MailError("TLS 加密连接失败（\(error)）：请确认服务器名称与证书一致；服务器用自签名证书时，在 SMTP 地址后加 verify=0"))
        } else {
            fail(MailError("连接出错：\(error)"))
        }
        context.close(promise: nil)
    }

    /// The next reply, or a failure after `timeout`. Call on the event loop.
    func nextReply(on loop: any EventLoop, timeout: TimeAmount) -> EventLoopFuture<SMTPReply> {
        loop.preconditionInEventLoop()
        if !ready.isEmpty { return loop.makeSucceededFuture(ready.removeFirst()) }
        if let failure { return loop.makeFailedFuture(failure) }
        let promise = loop.makePromise(of: SMTPReply.self)
        nextID += 1
        let id = nextID
        waiting.append((id, promise))
        let timer = loop.scheduleTask(in: timeout) { [self] in
            guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
            waiting.remove(at: index).promise.fail(MailError("等待服务器回复超时"))
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }
}
