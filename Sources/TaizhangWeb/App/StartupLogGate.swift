import Logging
import Synchronization

/// Holds back library log lines while the app starts, so that a start-up failure reaches
/// the operator as the one line the command prints.
public enum StartupLogGate {
    private static let quiet = Atomic<Bool>(false)

    public static var isQuiet: Bool {
        get { quiet.load(ordering: .relaxed) }
        set { quiet.store(newValue, ordering: .relaxed) }
    }
}

/// A log handler that drops everything below `.critical` while the gate is closed.
public struct GatedLogHandler: LogHandler {
    private var wrapped: any LogHandler

    public init(wrapping handler: any LogHandler) {
        wrapped = handler
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        if StartupLogGate.isQuiet, event.level < .critical { return }
        wrapped.log(event: event)
    }
}
