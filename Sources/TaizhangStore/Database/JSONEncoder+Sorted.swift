import Foundation

extension JSONEncoder {
    /// Keys in order, so equal values encode to equal text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
