import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed
/// (`TAIZHANG_TRUSTED_PROXIES`: addresses or CIDR blocks, IPv4 or IPv6, separated by commas or
/// spaces). From any other peer those headers are the client's own words and are ignored.
public struct TrustedProxies: Sendable, Equatable {
    struct Block: Sendable, Equatable {
        var network: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            var remaining = prefixLength
            for (a, n) in zip(address, network) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != n & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    var blocks: [Block]

    public static let none = TrustedProxies(blocks: [])

    /// Parses the list, naming the first entry that is not an address or block.
    public init(parsing text: String) throws(Problem) {
        var blocks: [Block] = []
        for entry in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let parts = entry.split(separator: "/", maxSplits: 1)
            guard let network = Self.bytes(of: String(parts[0])) else { throw Problem(entry: String(entry)) }
            var length = network.count * 8
            if parts.count == 2 {
                guard let given = Int(parts[1]), (0...length).contains(given) else { throw Problem(entry: String(entry)) }
                length = given
            }
            blocks.append(Block(network: network, prefixLength: length))
        }
        self.blocks = blocks
    }

    init(blocks: [Block]) {
        self.blocks = blocks
    }

    public var isEmpty: Bool { blocks.isEmpty }

    public func contains(_ address: String) -> Bool {
        guard !blocks.isEmpty, let bytes = Self.bytes(of: address) else { return false }
        return blocks.contains { $0.contains(bytes) }
    }

    /// The client behind a trusted proxy: the right-most `X-Forwarded-For` hop that is not itself
    /// a trusted proxy (hops to its left are whatever the client chose to send).
    public func client(peer: String, forwardedFor: [String]) -> String {
        guard contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !contains(hop) {
            return Self.bytes(of: hop) == nil ? peer : hop
        }
        return hops.first ?? peer
    }

    static func bytes(of address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// The entry of the list that is not an address or block.
    public struct Problem: Error, Sendable {
        public var entry: String
    }
}
