/// Who is making a change, as the audit trail records it.
public struct Actor: Sendable, Hashable, Codable {
    /// The account's id, or nil for the command line and the system itself.
    public var userID: String?
    public var name: String
    public var clientAddress: String?

    public init(userID: String?, name: String, clientAddress: String?) {
        self.userID = userID
        self.name = name
        self.clientAddress = clientAddress
    }

    /// Changes made on the server's own command line (init, demo, user add).
    public static func commandLine(_ command: String) -> Actor {
        Actor(userID: nil, name: "命令行 \(command)", clientAddress: nil)
    }
}
