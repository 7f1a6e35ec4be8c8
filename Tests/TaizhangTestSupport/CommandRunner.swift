import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `taizhang` executable built beside the tests.
public struct CommandResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
}

public enum TaizhangCommand {
    public static var executableURL: URL {
        let folder = Bundle.main.bundleURL.deletingLastPathComponent()
        let beside = folder.appendingPathComponent("taizhang")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("taizhang")
    }

    /// Runs to completion in `directory` with `environment` added to a minimal one. `timeout`
    /// only stops a command that never ends: the tests run beside the whole suite on two cores,
    /// where a command that takes a second alone may take a minute.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], timeout: TimeInterval = 600
    ) throws -> CommandResult {
        let process = try start(arguments, in: directory, environment: environment)
        let deadline = Date().addingTimeInterval(timeout)
        while process.process.isRunning, Date() < deadline { usleep(20_000) }
        if process.process.isRunning { process.process.terminate() }
        process.process.waitUntilExit()
        return process.result()
    }

    public final class Running: @unchecked Sendable {
        public let process: Process
        let out: URL
        let err: URL

        init(process: Process, out: URL, err: URL) {
            self.process = process
            self.out = out
            self.err = err
        }

        /// What the command has written to standard output so far (it may still be running).
        public func outputSoFar() -> String {
            (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        }

        public func result() -> CommandResult {
            CommandResult(
                exitCode: process.terminationStatus,
                stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        }

        public func stop() {
            if process.isRunning {
                process.interrupt()
                let deadline = Date().addingTimeInterval(10)
                while process.isRunning, Date() < deadline { usleep(20_000) }
                if process.isRunning { process.terminate() }
            }
            process.waitUntilExit()
        }
    }

    /// Starts the command without waiting; output goes to files so a chatty server never blocks.
    public static func start(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws -> Running {
        let process = Process()
        process.executableURL = executableURL
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LOG_LEVEL": "warning"]
        env.merge(environment) { $1 }
        process.environment = env
        let id = UUID().uuidString
        let out = directory.appendingPathComponent("stdout-\(id).txt")
        let err = directory.appendingPathComponent("stderr-\(id).txt")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return Running(process: process, out: out, err: err)
    }

    /// A loopback port nobody is listening on right now.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
