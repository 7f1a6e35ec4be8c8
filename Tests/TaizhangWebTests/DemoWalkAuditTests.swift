import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor
import VaporTesting

/// The audit page after the demo walk (issue 14): the 操作 filter is a list of the recorded
/// actions by their Chinese names, and every action in the trail is shown by its name.
@Suite struct DemoWalkAuditTests {
    /// Every action code the application records, read from the calls in Sources/.
    static func recordedActionCodes() throws -> Set<String> {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let patterns = [
            #"AuditLog\.record\(\s*"([a-z_.]+)""#,
            #"AuditLog\.record\(\s*\w+\s*==?[^?]*\?\s*"([a-z_.]+)"\s*:\s*"([a-z_.]+)""#,
            #"AuditLog\.record\(\s*\w+\s*\?\s*"([a-z_.]+)"\s*:\s*"([a-z_.]+)""#,
            #"\.init\(action:\s*"([a-z_.]+)""#,
            #"recordRefusal\("([a-z_.]+)""#,
        ].map { try! NSRegularExpression(pattern: $0) }
        var codes: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for pattern in patterns {
                for match in pattern.matches(in: text, range: range) {
                    for group in 1..<match.numberOfRanges {
                        if let r = Range(match.range(at: group), in: text) { codes.insert(String(text[r])) }
                    }
                }
            }
        }
        return codes
    }

    /// (value, label) of each option of the page's 操作 list.
    static func actionOptions(_ html: String) throws -> [(value: String, label: String, selected: Bool)] {
        let select = try #require(html.range(of: #"<select name="action">.*?</select>"#, options: .regularExpression))
        let option = try NSRegularExpression(pattern: #"<option value="([^"]*)"( selected)?>([^<]*)</option>"#)
        let text = String(html[select])
        return option.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            let group = { (i: Int) in Range(match.range(at: i), in: text).map { String(text[$0]) } ?? "" }
            return (group(1), group(3), match.range(at: 2).location != NSNotFound)
        }
    }

    /// (code, label) of each row's 操作 cell.
    static func actionCells(_ html: String) throws -> [(code: String, label: String)] {
        let cell = try NSRegularExpression(pattern: #"<td title="([^"]*)">([^<]*)</td>"#)
        return cell.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            (String(html[Range(match.range(at: 1), in: html)!]), String(html[Range(match.range(at: 2), in: html)!]))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theActionFilterListsEveryRecordedActionInChineseAndEveryRowIsNamed(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DemoSeeder.seed(on: app.db)
            let admin = try await BrowserSession.signIn(app, try await makeTestUser(app, "root"))
            // A refusal and a deactivation, so those rows are in the trail too.
            #expect(try await admin.post("/divisions/350582101/attributes", ["youthPopulation": "很多"]).status == .badRequest)

            let page = try await admin.get("/audit")
            #expect(page.status == .ok)
            let options = try Self.actionOptions(page.body)
            #expect(options.first?.value == "" && options.first?.label == "全部操作")
            let offered = Dictionary(options.dropFirst().map { ($0.value, $0.label) }, uniquingKeysWith: { a, _ in a })
            let recorded = try Self.recordedActionCodes()
            #expect(recorded.count > 30, "the source scan found the recording calls: \(recorded.sorted())")
            for code in recorded.sorted() {
                #expect(offered[code] != nil, "「\(code)」 is recorded but not offered in the 操作 list")
            }
            for (code, label) in offered {
                #expect(label != code && label.unicodeScalars.contains { $0.value > 0x2E80 }, "「\(code)」 has a Chinese label, not「\(label)」")
            }
            #expect(Set(offered.values).count == offered.count, "each label names one action")

            // Every row on the page is named in Chinese (the demo records campaigns, reports, bulletins…).
            let cells = try Self.actionCells(page.body)
            #expect(cells.count > 20)
            for cell in cells { #expect(cell.label != cell.code, "「\(cell.code)」 shown raw") }
            // The demo's review story fills the latest page, so each action is looked up by its filter.
            for code in ["bulletin.issue", "report.review", "campaign.proposal.create", "reporting.schedule", "request.refused",
                         "organization.review.confirm", "signoff.create"] {
                let filtered = try await admin.get("/audit?action=\(code)")
                #expect(try Self.actionCells(filtered.body).contains { $0.code == code }, "the demo trail has \(code)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theFilterTakesTheChosenCodeOrItsLabelAndKeepsAnUnknownCode(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app async throws in
            _ = try await DemoSeeder.seed(on: app.db)
            let admin = try await BrowserSession.signIn(app, try await makeTestUser(app, "root"))

            let byCode = try await admin.get("/audit?action=bulletin.issue")
            #expect(byCode.status == .ok)
            let chosen = try Self.actionOptions(byCode.body).filter(\.selected)
            #expect(chosen.map(\.value) == ["bulletin.issue"])
            let rows = try Self.actionCells(byCode.body)
            #expect(!rows.isEmpty && rows.allSatisfy { $0.code == "bulletin.issue" && $0.label == "发布通报" })

            let byLabel = try await admin.get("/audit?action=" + "发布通报".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(byLabel.status == .ok)
            #expect(try Self.actionCells(byLabel.body).count == rows.count)
            #expect(try Self.actionOptions(byLabel.body).filter(\.selected).map(\.value) == ["bulletin.issue"])

            // A code the list does not know is still accepted: it finds nothing and stays chosen.
            let unknown = try await admin.get("/audit?action=no.such.action")
            #expect(unknown.status == .ok)
            #expect(try Self.actionCells(unknown.body).isEmpty)
            #expect(try Self.actionOptions(unknown.body).filter(\.selected).map(\.value) == ["no.such.action"])

            // The CSV names the action in Chinese as well.
            let csv = try await admin.get("/audit.csv?action=bulletin.issue")
            #expect(csv.body.contains(",发布通报,"))

            // A bad date is refused naming its field.
            let bad = try await admin.get("/audit?action=bulletin.issue&from=2012-13-40")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("起始日期"))
        }
    }
}
