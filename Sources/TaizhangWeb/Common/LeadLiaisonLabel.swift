import TaizhangCore

/// A township's lead liaison cadre (牵头挂钩干部) as the completeness table, the bulletins, the
/// ranking and the division page show it: name and phone, or 未指定 (highlighted) where the
/// township has none — so whoever reads who is behind also reads whom to call.
struct LeadLiaisonLabel: Encodable, Sendable, Equatable {
    static let unassigned = "未指定"

    var name: String
    var phone: String
    var isMissing: Bool

    init(_ cadre: LiaisonCadre?) {
        self.init(name: cadre?.name, phone: cadre?.phone)
    }

    /// A name and phone kept elsewhere (a bulletin's frozen content); no name is 未指定.
    init(name: String?, phone: String?) {
        self.name = name ?? Self.unassigned
        self.phone = name == nil ? "" : phone ?? ""
        isMissing = name == nil
    }

    /// "陈明 13905951234", "陈明" or "未指定", for plain text (documents, spreadsheets).
    var text: String { [name, phone].filter { !$0.isEmpty }.joined(separator: " ") }
}

/// A township named with its lead liaison, for the lists of who has not reported or is behind.
struct TownshipWithLiaison: Encodable, Sendable, Equatable {
    var name: String
    var liaison: LeadLiaisonLabel

    /// "金井镇（陈明 13905951234）" or "金井镇（挂钩干部未指定）".
    var text: String { "\(name)（\(liaison.isMissing ? "挂钩干部" + LeadLiaisonLabel.unassigned : liaison.text)）" }
}
