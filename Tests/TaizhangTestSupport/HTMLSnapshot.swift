import Foundation
import Testing

/// Compares a page's HTML with the copy kept beside the test (`__Snapshots__/<suite>/<name>.html`),
/// so a change in a page shows as a readable diff in review. Values that differ on every run
/// (CSRF tokens, the moment of a request) are replaced by placeholders first.
///
/// A missing snapshot is written and the test fails once, asking for a look; set
/// `TAIZHANG_RECORD_SNAPSHOTS=1` to rewrite all of them after an intended change. (A small helper
/// rather than swift-snapshot-testing, whose package would add swift-syntax to every CI build.)
public func expectHTMLSnapshot(
    _ html: String, named name: String, normalizing extra: [(pattern: String, replacement: String)] = [],
    filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let normalized = normalizeHTML(html, extra: extra)
    let testFile = URL(fileURLWithPath: filePath)
    let folder = testFile.deletingLastPathComponent().appendingPathComponent("__Snapshots__")
        .appendingPathComponent(testFile.deletingPathExtension().lastPathComponent)
    let file = folder.appendingPathComponent(name + ".html")
    let record = ProcessInfo.processInfo.environment["TAIZHANG_RECORD_SNAPSHOTS"] == "1"
    guard !record, let kept = try? String(contentsOf: file, encoding: .utf8) else {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try normalized.write(to: file, atomically: true, encoding: .utf8)
        Issue.record("snapshot \(name) recorded at \(file.path): look at it, then run the test again", sourceLocation: sourceLocation)
        return
    }
    guard kept != normalized else { return }
    Issue.record("page \(name) differs from \(file.path) (TAIZHANG_RECORD_SNAPSHOTS=1 to accept):\n\(lineDiff(kept, normalized))",
                 sourceLocation: sourceLocation)
}

/// Placeholders for what changes from run to run.
func normalizeHTML(_ html: String, extra: [(pattern: String, replacement: String)]) -> String {
    let rules: [(String, String)] = [
        (#"name="_csrf" value="[^"]*""#, #"name="_csrf" value="CSRF""#),
        (#"name="csrf-token" content="[^"]*""#, #"name="csrf-token" content="CSRF""#),
    ] + extra.map { ($0.pattern, $0.replacement) }
    var text = html
    for (pattern, replacement) in rules {
        text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    return text
}

/// The differing lines with two lines of context, `-` kept and `+` now; at most 60 lines.
func lineDiff(_ old: String, _ new: String) -> String {
    let a = old.components(separatedBy: "\n")
    let b = new.components(separatedBy: "\n")
    var prefix = 0
    while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
    var out: [String] = []
    for i in max(0, prefix - 2)..<prefix { out.append("  \(i + 1): \(a[i])") }
    for i in prefix..<(a.count - suffix) { out.append("- \(i + 1): \(a[i])") }
    for i in prefix..<(b.count - suffix) { out.append("+ \(i + 1): \(b[i])") }
    for i in (b.count - suffix)..<min(b.count, b.count - suffix + 2) { out.append("  \(i + 1): \(b[i])") }
    return out.prefix(60).joined(separator: "\n")
}
