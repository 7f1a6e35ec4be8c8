import LeafKit

/// `#options(list)` — a select's `<option>`s from a list of `{value, label, selected}`, written in
/// Swift: the same as `#for(o in list):<option value="#(o.value)"#if(present(o.selected)): selected#endif>#(o.label)</option>#endfor`
/// at a fraction of Leaf's cost per variable (the ledger's filters have some 50 options). Every
/// value and label is escaped as `#()` escapes it (`HTMLWriter`).
struct OptionsTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 1, let options = ctx.parameters[0].array else {
            throw LeafError(.unknownError("options() takes one list of {value, label, selected}"))
        }
        var out = HTMLWriter(capacity: options.count * 64)
        for option in options {
            guard let fields = option.dictionary else { throw LeafError(.unknownError("options(): each option is {value, label, selected}")) }
            // As `#(o.value)` prints them (nothing for a value that is not there) and `present(o.selected)` tests.
            out.markup("<option value=\"")
            out.text(fields["value"]?.string ?? "")
            out.markup(PresentTag.isPresent(fields["selected"] ?? .trueNil) ? "\" selected>" : "\">")
            out.text(fields["label"]?.string ?? "")
            out.markup("</option>")
        }
        return .string(out.html)
    }
}
