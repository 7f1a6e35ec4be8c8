import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real SMTP server process for a test (`scripts/test-smtp-server`, Python's aiosmtpd): it
/// listens on a free loopback port and records every message it accepts, decoded as a mail reader
/// would, so a test can count what arrived and read its Chinese subject. Stop it when done.
public final class TestSMTPServer: @unchecked Sendable {
    public struct Message: Decodable, Sendable {
        public var from: String
        public var to: [String]
        public var subject: String
        public var body: String
        public var auth: Bool?
        /// Whether the message came over TLS (STARTTLS or smtps).
        public var tls: Bool?
    }

    /// How the server speaks: in the clear, requiring STARTTLS before mail and login, or TLS from
    /// the first byte (smtps); TLS with a self-signed certificate for 127.0.0.1.
    public enum Security: Sendable {
        case none
        case requireStartTLS
        case implicitTLS
    }

    public let port: Int
    let process: Process
    let record: URL

    /// Starts the server; `refuse` answers every RCPT TO with that code (e.g. 550); `user` and
    /// `password` make it require AUTH (`loginOnly`: by AUTH LOGIN, PLAIN not offered).
    public static func start(refuse: Int? = nil, user: String? = nil, password: String? = nil, loginOnly: Bool = false,
                             security: Security = .none) throws -> TestSMTPServer {
        let record = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-smtp-\(UUID().uuidString).jsonl")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/test-smtp-server")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", script.path, "--record", record.path]
        if let refuse { arguments += ["--refuse", String(refuse)] }
        if let user, let password { arguments += ["--user", user, "--password", password] }
        if loginOnly { arguments.append("--login-only") }
        switch security {
        case .none: break
        case .requireStartTLS: arguments.append("--starttls")
        case .implicitTLS: arguments.append("--tls")
        }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "ready PORT" once it listens.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("ready "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw TestSMTPServerError(message: "test SMTP server did not start (\(text)); is aiosmtpd installed? (pip install aiosmtpd)")
        }
        return TestSMTPServer(port: port, process: process, record: record)
    }

    init(port: Int, process: Process, record: URL) {
        self.port = port
        self.process = process
        self.record = record
    }

    /// Every message accepted so far, in arrival order.
    public func messages() throws -> [Message] {
        guard let data = try? Data(contentsOf: record) else { return [] }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(Message.self, from: Data($0.utf8))
        }
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            for _ in 0..<30 where process.isRunning { usleep(100_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: record)
    }

    /// A port on which nothing listens (bound and closed again), for "server unreachable".
    public static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct TestSMTPServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
