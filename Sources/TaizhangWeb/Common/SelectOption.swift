/// One choice of a form's select list: the value sent and the label shown.
struct SelectOption: Encodable, Sendable {
    var value: String
    var label: String
}
