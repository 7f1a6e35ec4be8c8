import Foundation
import LeafKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
@testable import TaizhangWeb
import Testing
import VaporTesting

/// The ledger's table is written in Swift (`LedgerController.tableRows`), not by the template:
/// its values must come out escaped exactly as Leaf's `#()` escapes them.
@Suite struct LedgerTableTests {
    @Test func theWriterEscapesAsLeafDoes() {
        let values = ["", "安海镇商会团支部", "<script>alert(\"x\")</script>", "A&B 'C' <D> \"E\"", "&amp;", "\"\u{301}", "👩‍👩‍👧 & 团",
                      "line\r\nbreak", "全角＜＞＆＂＇", String(repeating: "<&>", count: 200)]
        for value in values {
            #expect(HTMLWriter.escape(value) == value.htmlEscaped(), "\(value)")
        }
        var writer = HTMLWriter()
        writer.markup("<td title=\"")
        writer.text("a\"b")
        writer.markup("\">退回：")
        writer.text("<b>")
        writer.markup("</td>")
        #expect(writer.html == "<td title=\"a&quot;b\">退回：&lt;b&gt;</td>")
    }

    @Test(arguments: TestDatabase.all)
    func whatCadresTypedShowsEscapedInTheTableWithTheReasonItWasReturned(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let reporterUser = try await makeTestUser(app, "anhai", grants: [(.townshipReporter, "350582101")])
            let reporter = try await APIClient.make(app, as: reporterUser)
            let county = try await APIClient.make(app, as: try await makeTestUser(app, "jinjiang", grants: [(.verifier, "350582")]))
            let hostileName = #"<script>alert("名")</script>团支部"#
            let (status, body, _) = try await reporter.call(.POST, "/api/v1/organizations", template: "/api/v1/organizations", json: """
                {"townshipCode": "350582101", "name": "\\u003cscript\\u003ealert(\\"名\\")\\u003c/script\\u003e团支部", "orgType": "团支部",
                 "unitCategory": "非公企业", "secretaryName": "O'Neil & \\"Co\\"", "memberCount": 5}
                """)
            #expect(status == .created, "\(String(decoding: body, as: UTF8.self))")
            let created = try decode(OrganizationDetailJSON.self, body).organization
            let code = created.code
            #expect(created.name == hostileName)
            let (returned, _, _) = try await county.call(.POST, "/api/v1/review-queue/returns", template: "/api/v1/review-queue/returns",
                                                         json: #"{"codes": ["\#(code)"], "reason": "<b>批复</b>缺失"}"#)
            #expect(returned == .ok)

            let page = try await BrowserSession.signIn(app, reporterUser).get("/ledger")
            #expect(page.status == .ok)
            let row = try #require(page.body.components(separatedBy: "<tbody>").last?.components(separatedBy: "</tbody>").first)
            let href = SiteURL.organization(.value(code)).path
            #expect(row.contains("<tr><td><a href=\"\(href)\">\(code)</a></td><td><a href=\"\(href)\">"
                + "&lt;script&gt;alert(&quot;名&quot;)&lt;/script&gt;团支部</a></td><td>晋江市</td>"))
            #expect(row.contains("<a href=\"/ledger?division=350582101\">安海镇</a>"))
            #expect(row.contains("<span class=\"review review-returned\">已退回</span><br><span class=\"muted\">退回：&lt;b&gt;批复&lt;/b&gt;缺失</span>"))
            #expect(row.contains("<td>O&#39;Neil &amp; &quot;Co&quot;</td><td class=\"num\">5</td></tr>"))
            #expect(!page.body.contains("<script>") && !page.body.contains("<b>"))

            // The filters' lists (`#options`) hold values administrators added, escaped the same way,
            // and mark the one the filter asks for.
            let hostileCategory = #"<i>&"'类"#
            try await ReferenceStore.add(.unitCategory, value: hostileCategory, by: testActor, on: app.db)
            let query = hostileCategory.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let filtered = try await BrowserSession.signIn(app, reporterUser).get("/ledger?unitCategory=" + query)
            #expect(filtered.status == .ok)
            #expect(filtered.body.contains(#"<option value="&lt;i&gt;&amp;&quot;&#39;类" selected>&lt;i&gt;&amp;&quot;&#39;类</option>"#))
            #expect(filtered.body.contains(#"<option value="非公企业">非公企业</option>"#))
            #expect(!filtered.body.contains("<i>"))
        }
    }
}
