import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

extension PageSnapshotTests {
    /// 示范典型 and 工作资料 as the city sees them: the demonstration townships by county, one with its
    /// checklist and evidence, the model cases and one printable case, the library, a document's versions and the 问答.
    @Test(arguments: TestDatabase.all)
    func theDemonstrationAndLibraryPagesOfTheDemoAreAsKept(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "snapshot", grants: [(.cityAdmin, "3505")]))
            let campaign = try #require(try await CampaignStore.list(overlapping: .everywhere, on: app.db).first)
            let demonstrations = try await DemonstrationStore.list(campaign.id, under: "", in: .everywhere, on: app.db)
            let accepted = try #require(demonstrations.first { $0.townshipCode.hasPrefix("350582") })
            let modelCase = try #require(try await ModelCaseStore.search(buildMode: "园区建团", unitCategory: nil, text: nil, in: .everywhere, on: app.db).first)
            let plan = try #require(try await LibraryStore.list(kind: .workPlan, readableIn: .everywhere, on: app.db).first)
            for (name, path) in [
                ("demonstrations", "/demonstrations"),
                ("demonstration-township", "/demonstrations/\(accepted.id)"),
                ("model-cases", "/model-cases"),
                ("model-case", "/model-cases/\(modelCase.id)"),
                ("library", "/library"),
                ("library-document", "/library/documents/\(plan.id)"),
                ("library-faq-search", "/library/faq?q=%E8%81%94%E5%90%88%E5%BB%BA%E5%9B%A2"),
            ] {
                let page = try await city.get(path)
                #expect(page.status == .ok, "\(path)")
                // The demo's .docx files carry the time they were made, so their digests change with each seeding.
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile + [(#"20(1[3-9]|[2-9]\d)-\d{2}-\d{2}"#, "TODAY"),
                                                                                           (#"<code>[0-9a-f]{64}</code>"#, "<code>SHA256</code>")])
            }
        }
    }
}
