import TaizhangStore

extension LedgerController {
    /// The ledger table's rows as HTML, written here rather than by the template: a page of 50
    /// rows had Leaf resolve some 900 variables, about half of what the page cost under load.
    /// `HTMLWriter` escapes every value as Leaf's `#()` does, so the page is the same byte for byte.
    static func tableRows(_ rows: [Row]) -> String {
        var out = HTMLWriter(capacity: rows.count * 900)
        let townshipLink = SiteURL.ledger.path + "?division="
        for r in rows {
            out.markup("<tr><td><a href=\"")
            out.text(r.href)
            out.markup("\">")
            out.text(r.code)
            out.markup("</a></td><td><a href=\"")
            out.text(r.href)
            out.markup("\">")
            out.text(r.name)
            out.markup("</a></td><td>")
            out.text(r.county)
            out.markup("</td><td><a href=\"")
            out.text(townshipLink + r.townshipCode)
            out.markup("\">")
            out.text(r.township)
            out.markup("</a></td><td>")
            out.text(r.orgType)
            out.markup("</td><td>")
            out.text(r.unitCategory)
            out.markup("</td><td><span class=\"stage stage-")
            out.text(r.stageClass)
            out.markup("\">")
            out.text(r.stage)
            out.markup("</span></td><td><span class=\"review review-")
            out.text(r.reviewClass)
            out.markup("\">")
            out.text(r.review)
            out.markup("</span>")
            if let note = r.reviewNote, !note.isEmpty {
                out.markup("<br><span class=\"muted\">退回：")
                out.text(note)
                out.markup("</span>")
            }
            out.markup("</td><td>")
            out.text(r.foundedOn)
            out.markup("</td><td>")
            out.text(r.secretary)
            out.markup("</td><td class=\"num\">")
            out.text(r.memberCount)
            out.markup("</td></tr>")
        }
        return out.html
    }
}
