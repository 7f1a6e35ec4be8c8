import LeafKit

/// `#if(present(x)):` — whether `x` is there and not empty. Leaf's own `#if(x):` is true for any
/// value that is not nil or false, so an empty list, an empty text and 0 all count as true there:
/// an empty table would show instead of its "没有…" line, and a heading over nothing. Every
/// template tests its values through this tag: nil, false, "" and an empty list or dictionary are
/// false; numbers are true whatever their value (a 0 is a figure to show).
struct PresentTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 1 else { throw LeafError(.unknownError("present() takes one value")) }
        return .bool(Self.isPresent(ctx.parameters[0]))
    }

    static func isPresent(_ value: LeafData) -> Bool {
        if value.isNil { return false }
        switch value.celf {
        case .bool: return value.bool ?? false
        case .string: return !(value.string ?? "").isEmpty
        case .array: return !(value.array ?? []).isEmpty
        case .dictionary: return !(value.dictionary ?? [:]).isEmpty
        default: return true
        }
    }
}
