import FluentKit
import Foundation
import SQLKit
import TaizhangCore
import TaizhangStore
import TaizhangTestSupport
import Testing

/// A backup taken while cadres keep saving is one consistent moment of the ledger, and it
/// restores into a database the app opens as it was.
@Suite struct SQLiteBackupTests {
    @Test func aBackupDuringWritesIsConsistentAndRestores() async throws {
        try await withTestApp(.sqlite) { app async throws in
            _ = try await DivisionLoader.load(region: "3505", from: bundledDivisions, by: testActor, on: app.db)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taizhang-backup-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }

            let writer = Task {
                for index in 0..<120 {
                    _ = try await OrganizationStore.create(sampleFields("备份期间登记第\(index)号团支部"), by: testActor, on: app.db)
                }
            }
            try await Task.sleep(for: .milliseconds(150))
            let copy = folder.appendingPathComponent("copy.sqlite")
            let report = try await SQLiteBackup.backup(to: copy, on: app.db)
            try await writer.value
            #expect(report.organizations <= 120)
            // One moment: every organization in the copy has its creation in the audit trail, and nothing more.
            #expect(report.auditEvents == 1 + report.organizations, "the division load plus one per organization")

            let target = folder.appendingPathComponent("restored.sqlite").path
            let (restored, kept) = try await SQLiteBackup.restore(from: copy.path, into: target)
            #expect(kept == nil)
            #expect(restored.organizations == report.organizations)
            let reopened = try await SQLiteBackup.check(target)
            #expect(reopened.organizations == report.organizations)

            await #expect(throws: SQLiteBackup.Problem.self) { try await SQLiteBackup.backup(to: copy, on: app.db) }
        }
    }
}
