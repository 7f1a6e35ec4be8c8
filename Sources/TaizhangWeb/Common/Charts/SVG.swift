/// A small SVG writer whose every text and attribute value is escaped as it is added, so a
/// chart can be put on a page as markup (`#unsafeHTML`) without trusting what it shows.
struct SVG {
    private(set) var markup = ""

    init(width: Int, height: Int, title: String) {
        markup = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" "
            + "class=\"chart\" preserveAspectRatio=\"xMinYMin meet\" font-family=\"'Noto Sans CJK SC','Microsoft YaHei',sans-serif\">"
            + "<title>\(Self.escape(title))</title>"
    }

    static func escape(_ text: String) -> String {
        HTMLWriter.escape(text)
    }

    private static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    private static func attributes(_ values: [(String, String)]) -> String {
        values.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, title: String? = nil) {
        markup += "<rect" + Self.attributes([("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(max(0, width))),
                                             ("height", Self.number(height)), ("fill", fill)])
        markup += title.map { "><title>\(Self.escape($0))</title></rect>" } ?? "/>"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        var values = [("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
                      ("stroke", stroke), ("stroke-width", Self.number(width))]
        if let dash { values.append(("stroke-dasharray", dash)) }
        markup += "<line" + Self.attributes(values) + "/>"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil) {
        guard !points.isEmpty else { return }
        var values = [("points", points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")), ("fill", "none"),
                      ("stroke", stroke), ("stroke-width", Self.number(width))]
        if let dash { values.append(("stroke-dasharray", dash)) }
        markup += "<polyline" + Self.attributes(values) + "/>"
    }

    enum Anchor: String {
        case start, middle, end
    }

    mutating func text(_ content: String, x: Double, y: Double, size: Double = 13, anchor: Anchor = .start, fill: String = "#222",
                       bold: Bool = false) {
        var values = [("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)), ("text-anchor", anchor.rawValue),
                      ("fill", fill)]
        if bold { values.append(("font-weight", "bold")) }
        markup += "<text" + Self.attributes(values) + ">" + Self.escape(content) + "</text>"
    }

    func finished() -> String { markup + "</svg>" }
}
