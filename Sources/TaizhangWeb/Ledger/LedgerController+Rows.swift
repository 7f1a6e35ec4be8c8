import TaizhangStore

extension LedgerController {
    /// The ledger table's rows as HTML, written here rather than by the template: a page of 50
    /// rows had Leaf resolve some 900 variables, about half of what the page cost under load.
    /// `HTMLWriter` escapes every value as Leaf's `#()` does, so the page is the same byte for byte.
    /// Written straight from the entries (no model of a row in between: its 16 strings a row were
    /// a few per cent of the page under load).
    static func tableRows(_ entries: [LedgerListEntry], names: DivisionNames) -> String {
        var out = HTMLWriter(capacity: entries.count * 900)
        let townshipLink = SiteURL.ledger.path + "?division="
        for entry in entries {
            let href = SiteURL.organization(.value(entry.code)).path
            let township = names.byCode[entry.townshipCode]
            out.markup("<tr><td><a href=\"")
            out.text(href)
            out.markup("\">")
            out.text(entry.code)
            out.markup("</a></td><td><a href=\"")
            out.text(href)
            out.markup("\">")
            out.text(entry.name)
            out.markup("</a></td><td>")
            out.text(township?.parentCode.flatMap { names.byCode[$0]?.name } ?? "")
            out.markup("</td><td><a href=\"")
            out.text(townshipLink + entry.townshipCode)
            out.markup("\">")
            out.text(township?.name ?? entry.townshipCode)
            out.markup("</a></td><td>")
            out.text(entry.orgType)
            out.markup("</td><td>")
            out.text(entry.unitCategory)
            out.markup("</td><td><span class=\"stage stage-")
            out.text(entry.stage.rawValue)
            out.markup("\">")
            out.text(entry.stage.label)
            out.markup("</span></td><td><span class=\"review review-")
            out.text(entry.refutedOn == nil ? entry.reviewState.rawValue : "refuted")
            out.markup("\">")
            out.text(entry.reviewLabel)
            out.markup("</span>")
            // Why it was returned, for the township to see in its list.
            if entry.reviewState == .returned, let note = entry.reviewReason, !note.isEmpty {
                out.markup("<br><span class=\"muted\">退回：")
                out.text(note)
                out.markup("</span>")
            }
            out.markup("</td><td>")
            out.text(entry.foundedOn?.description ?? "")
            out.markup("</td><td>")
            if let secretary = entry.secretaryName {
                out.text(secretary)
            } else if let acting = entry.actingSecretaryName {
                out.text(acting)
                out.markup("（代）")
            }
            out.markup("</td><td class=\"num\">")
            out.text(entry.memberCount.map(String.init) ?? "")
            out.markup("</td></tr>")
        }
        return out.html
    }
}
