import Foundation
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import TaizhangWeb
import Testing
import Vapor

extension PageSnapshotTests {
    /// 挂钩联系 and 督办 as the city sees them: coverage, a stalled township's timeline beside its
    /// curve, the overdue items. The test runs long after 2012, so today's date is a placeholder.
    @Test(arguments: TestDatabase.all)
    func theLiaisonPagesOfTheDemoAreAsKept(_ database: TestDatabase) async throws {
        try await withDemoApp(database) { app async throws in
            let city = try await BrowserSession.signIn(app, try await makeTestUser(app, "snapshot", grants: [(.cityAdmin, "3505")]))
            let interview = try #require(try await EscalationStore.list(under: "35/3505/", in: .everywhere, on: app.db).last { $0.kind == .interview })
            for (name, path) in [
                ("liaisons-city", "/liaisons"),
                ("liaison-township-stalled", "/liaisons/townships/\(interview.divisionCode)"),
                ("supervision-overdue", "/supervision?view=overdue&division=350524"),
                ("escalations", "/supervision/escalations"),
            ] {
                let page = try await city.get(path)
                #expect(page.status == .ok, "\(path)")
                try expectHTMLSnapshot(page.body, named: name, normalizing: Self.volatile + [(#"20(1[3-9]|[2-9]\d)-\d{2}-\d{2}"#, "TODAY")])
            }
        }
    }
}
