/// A link as page models hand it to templates: what it says, where it goes (nil: the label is
/// shown as plain text), and a note some pages show beside it or use to mark the current one.
struct Link: Encodable, Sendable {
    var label: String
    var href: String?
    var note: String?
}
