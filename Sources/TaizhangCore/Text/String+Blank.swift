import Foundation

extension String {
    /// The text without surrounding white space (ASCII and full-width), or nil when nothing is left.
    public var nilIfBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
